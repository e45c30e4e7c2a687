import { containersWithStatus, eventsAbout, podObject } from '../helpers';
import type { DiagnosticRule } from '../types';

const PULL_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

// Placeholders left in manifests: ACCOUNT_ID, ${VAR}, <account-id>, REPLACE_ME.
const PLACEHOLDER = /(ACCOUNT_ID|\$\{[^}]*\}|<[^>]+>|REPLACE_?ME|CHANGE_?ME)/;

/**
 * D19, D20, T-isvc: a container whose image cannot be pulled, with the cause
 * told apart: a placeholder or invalid reference, a tag the registry does not
 * have, or missing pull credentials.
 */
export const imagePullFailure: DiagnosticRule = {
  id: 'image-pull-failure',
  failureIds: ['D19', 'D20', 'T-isvc'],
  evaluate(input) {
    return input.pods.flatMap(pod =>
      containersWithStatus(pod).flatMap(({ status }) => {
        const waiting = status.state?.waiting;
        if (!waiting?.reason || !PULL_REASONS.has(waiting.reason)) return [];
        const image = status.image ?? '';
        const pullEvent = eventsAbout(
          input,
          'Pod',
          pod.metadata.name,
          pod.metadata.namespace,
        ).find(e => e.reason === 'Failed' && /pull/i.test(e.message ?? ''));
        const evidence = pullEvent?.message ?? waiting.message;
        const text = `${waiting.message ?? ''} ${pullEvent?.message ?? ''}`;
        const placeholder = PLACEHOLDER.exec(image)?.[1];
        const tag = /:([^/:@]+)$/.exec(image)?.[1] ?? 'latest';
        let failureIds: string[];
        let cause: string;
        let fix: string;
        if (placeholder || waiting.reason === 'InvalidImageName') {
          failureIds = ['D19'];
          cause = placeholder
            ? `Container ${status.name} uses image "${image}", which still contains the placeholder "${placeholder}"; the kubelet cannot parse it as an image reference.`
            : `Container ${status.name} uses image "${image}", which is not a valid image reference.`;
          fix =
            'Fill in the real value (for example the AWS account id from the template input) wherever the image name is written, and apply again.';
        } else if (/not found|manifest unknown|does not exist/i.test(text)) {
          failureIds = ['D20'];
          cause = `The registry has no tag "${tag}" for ${image.replace(
            /:[^/:@]+$/,
            '',
          )}: the tag the manifests ask for differs from the tag CI pushed.`;
          fix =
            'Use one tag scheme in CI and in the overlays (push the tag the overlay references, or point the overlay at the pushed tag).';
        } else if (/unauthorized|denied|no basic auth|403/i.test(text)) {
          failureIds = ['T-isvc'];
          cause = `The node is not allowed to pull "${image}".`;
          fix =
            'Give the node role ECR read access (AmazonEC2ContainerRegistryReadOnly), or add an imagePullSecret for a private registry.';
        } else {
          failureIds = ['T-isvc'];
          cause = `Container ${status.name} cannot pull "${image}" (${waiting.reason}).`;
          fix =
            'Check that the image exists and that the nodes can reach the registry.';
        }
        return [
          {
            ruleId: this.id,
            failureIds,
            severity: 'error' as const,
            title: `Image cannot be pulled: ${waiting.reason}`,
            objects: [podObject(pod)],
            cause,
            fix,
            evidence,
          },
        ];
      }),
    );
  },
};

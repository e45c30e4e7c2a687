import { containersWithStatus, eventsAbout, podObject } from '../helpers';
import type { DiagnosticRule } from '../types';

const MISSING = /(configmap|secret)s? "([^"]+)" not found/gi;

/**
 * D06, D29, T-crashloop: a pod that mounts or reads a ConfigMap or Secret that
 * does not exist (FailedMount, CreateContainerConfigError).
 */
export const mountMissingObject: DiagnosticRule = {
  id: 'mount-missing-object',
  failureIds: ['D06', 'D29', 'T-crashloop'],
  evaluate(input) {
    return input.pods.flatMap(pod => {
      const messages = [
        ...eventsAbout(input, 'Pod', pod.metadata.name, pod.metadata.namespace)
          .filter(e => e.reason === 'FailedMount')
          .map(e => e.message ?? ''),
        ...containersWithStatus(pod)
          .filter(
            c =>
              c.status.state?.waiting?.reason === 'CreateContainerConfigError',
          )
          .map(c => c.status.state?.waiting?.message ?? ''),
      ];
      const missing = new Map<
        string,
        { kind: string; name: string; evidence: string }
      >();
      for (const message of messages) {
        for (const m of message.matchAll(MISSING)) {
          const kind =
            m[1].toLowerCase() === 'configmap' ? 'ConfigMap' : 'Secret';
          missing.set(`${kind}/${m[2]}`, {
            kind,
            name: m[2],
            evidence: message,
          });
        }
      }
      if (missing.size === 0) return [];
      const list = [...missing.values()];
      return [
        {
          ruleId: this.id,
          failureIds: ['D06', 'D29'],
          severity: 'error' as const,
          title: 'Pod references ConfigMaps or Secrets that do not exist',
          objects: [
            podObject(pod),
            ...list.map(o => ({
              kind: o.kind,
              name: o.name,
              namespace: pod.metadata.namespace,
            })),
          ],
          cause: `The pod cannot start because ${list
            .map(o => `${o.kind} "${o.name}"`)
            .join(', ')} ${
            list.length === 1 ? 'does' : 'do'
          } not exist in namespace ${pod.metadata.namespace}.`,
          fix: 'Define these objects in the manifests that deploy the pod (create Secrets outside the repository, never commit their values), or mark the volume or env source optional: true.',
          evidence: list[0].evidence,
        },
      ];
    });
  },
};

import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  type NotConfiguredReason,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

const TITLE: Record<NotConfiguredReason, string> = {
  missingAnnotation: 'No workloads are selected',
  invalidAnnotation: 'The workload annotations are not valid',
  noClusters: 'No Kubernetes cluster is configured',
};

/** The annotations that select this entity's pods, ready to paste. */
export function annotationSnippet(name: string): string {
  return [
    'metadata:',
    '  annotations:',
    `    ${ANNOTATION_KUBERNETES_ID}: ${name}`,
    `    # or, to select by any labels instead:`,
    `    # ${ANNOTATION_KUBERNETES_LABEL_SELECTOR}: app.kubernetes.io/name=${name}`,
    `    # optional, to look in one namespace only:`,
    `    # ${ANNOTATION_KUBERNETES_NAMESPACE}: llm-serving`,
  ].join('\n');
}

/**
 * Why the dashboard has nothing to show, and, for annotation problems, the
 * exact snippet to add to the entity.
 */
export const NotConfigured = ({
  reason,
  message,
  compact = false,
}: {
  reason: NotConfiguredReason;
  message: string;
  compact?: boolean;
}) => {
  const { entity } = useEntity();
  const name = entity.metadata.name;
  const description = (
    <>
      {message}
      {reason === 'noClusters' && (
        <>
          {' '}
          The LLM Platform backend reads the clusters of{' '}
          <code>kubernetes.clusterLocatorMethods</code> in app-config.
        </>
      )}
    </>
  );
  const snippet =
    reason === 'noClusters' ? undefined : (
      <Box sx={{ maxWidth: 720 }}>
        <Typography variant="body2" paragraph>
          Label the model server’s pods with{' '}
          <code>
            {ANNOTATION_KUBERNETES_ID}={name}
          </code>{' '}
          and add this to the entity’s <code>catalog-info.yaml</code>:
        </Typography>
        <CodeSnippet
          language="yaml"
          text={annotationSnippet(name)}
          showCopyCodeButton
        />
      </Box>
    );
  if (compact) {
    return (
      <Box role="status">
        <Typography variant="subtitle1" component="h3">
          {TITLE[reason]}
        </Typography>
        <Typography variant="body2" paragraph>
          {description}
        </Typography>
        {snippet}
      </Box>
    );
  }
  return (
    <EmptyState
      missing={reason === 'noClusters' ? 'info' : 'field'}
      title={TITLE[reason]}
      description={description}
      action={snippet}
    />
  );
};

import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  getWorkloadSelector,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  CodeSnippet,
  InfoCard,
  WarningPanel,
} from '@backstage/core-components';
import Typography from '@mui/material/Typography';

/**
 * Shows which Kubernetes workloads the entity's annotations select, or why
 * they select none, exactly as the backend will read them.
 */
export const WorkloadSelection = () => {
  const { entity } = useEntity();
  const selector = getWorkloadSelector(entity);

  if (!selector.configured) {
    return (
      <WarningPanel
        defaultExpanded
        severity={selector.reason === 'invalid' ? 'error' : 'warning'}
        title={
          selector.reason === 'invalid'
            ? 'The workload annotations are not valid'
            : 'No workloads are selected'
        }
      >
        <Typography variant="body2" paragraph>
          {selector.message}
        </Typography>
        <Typography variant="body2">
          Add one of these annotations to the entity, for example:
        </Typography>
        <CodeSnippet
          language="yaml"
          text={`metadata:\n  annotations:\n    ${ANNOTATION_KUBERNETES_ID}: my-model\n    # or\n    ${ANNOTATION_KUBERNETES_LABEL_SELECTOR}: app.kubernetes.io/name=vllm`}
        />
      </WarningPanel>
    );
  }

  return (
    <InfoCard title="Workload selection">
      <Typography variant="body2">Label selector</Typography>
      <CodeSnippet language="text" text={selector.labelSelector} />
      <Typography variant="body2">
        Namespace: {selector.namespace ?? 'all namespaces'}
      </Typography>
    </InfoCard>
  );
};

import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getWorkloadSelector } from '@llm-platform/backstage-plugin-llm-platform-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { NotConfigured } from '../NotConfigured';
import { StatusChip } from '../StatusChip';
import { useAutoRefresh } from '../../hooks/useAutoRefresh';
import { usePreloadDashboard } from '../../hooks/usePreloadDashboard';
import { useMetrics, useWorkloads } from '../../hooks/useEntityData';
import { formatSeconds } from '../../utils/format';
import {
  HealthStatus,
  THRESHOLDS,
  gpuStatus,
  podsReadyStatus,
  secondsStatus,
  severityStatus,
} from '../../utils/thresholds';
import { sortedFindings, workloadTotals } from '../../utils/summary';
import { errorText } from '../../utils/contrast';

const Line = ({
  label,
  value,
  status,
}: {
  label: string;
  value: string;
  status: HealthStatus;
}) => (
  <Box
    component="li"
    aria-label={label}
    sx={{ display: 'flex', alignItems: 'center', gap: 1, py: 0.5 }}
  >
    <Typography variant="body2" sx={{ flex: 1 }}>
      {label}
    </Typography>
    <Typography variant="body2" sx={{ fontWeight: 500 }}>
      {value}
    </Typography>
    <StatusChip status={status} />
  </Box>
);

const OverviewBody = () => {
  usePreloadDashboard();
  const tick = useAutoRefresh(60_000, true);
  const workloads = useWorkloads(tick);
  const metrics = useMetrics('1h', tick);

  if (workloads.error && !workloads.value) {
    return <ResponseErrorPanel error={workloads.error} />;
  }
  const response = workloads.value;
  if (!response) {
    return <Progress />;
  }
  if (response.status === 'notConfigured') {
    return (
      <NotConfigured
        compact
        reason={response.reason}
        message={response.message}
      />
    );
  }
  const totals = workloadTotals(response.clusters);
  const worst = sortedFindings(response.clusters)[0]?.finding;
  const failingClusters = response.clusters.filter(c => c.errors.length);
  const serving = metrics.value?.total;
  return (
    <>
      <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }}>
        <Line
          label="Pods ready"
          value={`${totals.podsReady} / ${totals.podsTotal}`}
          status={podsReadyStatus(totals.podsReady, totals.podsTotal)}
        />
        <Line
          label="GPUs in use"
          value={`${totals.gpuRequested} / ${totals.gpuAllocatable}`}
          status={gpuStatus(totals)}
        />
        <Line
          label="p95 end-to-end latency (1 h)"
          value={formatSeconds(serving?.e2eLatency.p95.now)}
          status={secondsStatus(
            serving?.e2eLatency.p95.now ?? null,
            THRESHOLDS.e2eP95,
          )}
        />
        <Line
          label="p95 time to first token (1 h)"
          value={formatSeconds(serving?.timeToFirstToken.p95.now)}
          status={secondsStatus(
            serving?.timeToFirstToken.p95.now ?? null,
            THRESHOLDS.ttftP95,
          )}
        />
      </Box>
      <Typography variant="body2" sx={{ mt: 1 }}>
        {worst ? (
          <>
            <strong>{worst.title}</strong> (
            {worst.failureIds.join(', ') || worst.ruleId})
          </>
        ) : (
          'No known failure found.'
        )}{' '}
        <StatusChip status={severityStatus(worst?.severity)} />
      </Typography>
      {failingClusters.map(c => (
        <Typography
          key={c.cluster}
          variant="body2"
          sx={{ color: errorText }}
          role="alert"
        >
          Cluster {c.cluster} could not be read: {c.errors[0].kind}
        </Typography>
      ))}
    </>
  );
};

/** The compact LLM Platform card for an entity's overview page. */
export const EntityLlmPlatformOverviewCard = () => {
  const { entity } = useEntity();
  const selector = getWorkloadSelector(entity);
  return (
    <InfoCard
      title="LLM serving"
      subheader="Pods, GPUs and latency at a glance"
    >
      {selector.configured ? (
        <OverviewBody />
      ) : (
        <NotConfigured
          compact
          reason={
            selector.reason === 'invalid'
              ? 'invalidAnnotation'
              : 'missingAnnotation'
          }
          message={selector.message}
        />
      )}
    </InfoCard>
  );
};

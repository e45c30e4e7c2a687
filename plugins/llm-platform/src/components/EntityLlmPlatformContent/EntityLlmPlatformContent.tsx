import { useCallback, useId, useState } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  getWorkloadSelector,
  type MetricsRange,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ClusterErrors } from '../ClusterErrors';
import { Diagnostics } from '../Diagnostics';
import { GpuAllocation } from '../GpuAllocation';
import { ALL_MODELS, LatencyPanel } from '../LatencyPanel';
import { NotConfigured } from '../NotConfigured';
import { PodTable } from '../PodTable';
import { RefreshControls } from '../RefreshControls';
import { SummaryStrip } from '../SummaryStrip';
import { useAutoRefresh } from '../../hooks/useAutoRefresh';
import { useMetrics, useWorkloads } from '../../hooks/useEntityData';

const NO_CLUSTERS = undefined;

/** Options of the tab. */
export interface EntityLlmPlatformContentProps {
  /** Auto-refresh interval to start with, in milliseconds (default 10 s). */
  refreshIntervalMs?: number;
  /** Range of the latency charts to start with (default `1h`). */
  defaultRange?: MetricsRange;
}

const Dashboard = ({
  refreshIntervalMs,
  defaultRange,
}: Required<EntityLlmPlatformContentProps>) => {
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [intervalMs, setIntervalMs] = useState(refreshIntervalMs);
  const [manualTick, setManualTick] = useState(0);
  const [range, setRange] = useState<MetricsRange>(defaultRange);
  const [model, setModel] = useState(ALL_MODELS);
  const tick = useAutoRefresh(intervalMs, autoRefresh) + manualTick;
  const refreshNow = useCallback(() => setManualTick(t => t + 1), []);
  const headingId = useId();

  const workloads = useWorkloads(tick);
  const metrics = useMetrics(range, tick);

  const response = workloads.value;
  if (response?.status === 'notConfigured') {
    return (
      <NotConfigured reason={response.reason} message={response.message} />
    );
  }
  const clusters = response?.clusters ?? NO_CLUSTERS;

  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{ display: 'grid', gap: 3, gridTemplateColumns: 'minmax(0, 1fr)' }}
    >
      <Box
        sx={{
          display: 'flex',
          justifyContent: 'space-between',
          gap: 2,
          flexWrap: 'wrap',
          alignItems: 'center',
        }}
      >
        <Box>
          <Typography variant="h5" component="h2" id={headingId}>
            LLM serving
          </Typography>
          {response && (
            <Typography variant="body2" color="text.secondary">
              Pods matching <code>{response.selector.labelSelector}</code>
              {response.selector.namespace
                ? ` in namespace ${response.selector.namespace}`
                : ' in all namespaces'}
              , {response.clusters.length} cluster
              {response.clusters.length === 1 ? '' : 's'}
            </Typography>
          )}
        </Box>
        <RefreshControls
          enabled={autoRefresh}
          onEnabledChange={setAutoRefresh}
          intervalMs={intervalMs}
          onIntervalChange={setIntervalMs}
          onRefresh={refreshNow}
          generatedAt={response?.generatedAt}
        />
      </Box>
      {workloads.error && !response && (
        <ResponseErrorPanel error={workloads.error} />
      )}
      {workloads.error && response && (
        <Alert severity="warning">
          Could not refresh the workloads ({workloads.error.message}); showing
          the data read at{' '}
          {new Date(response.generatedAt).toLocaleTimeString('en-GB')}.
        </Alert>
      )}
      {clusters && <ClusterErrors clusters={clusters} />}
      <SummaryStrip
        clusters={clusters}
        metrics={metrics.value}
        metricsUnavailable={!!metrics.error && !metrics.value}
        model={model || undefined}
      />
      <Diagnostics clusters={clusters} />
      <LatencyPanel
        metrics={metrics.value}
        error={metrics.error}
        loading={metrics.loading}
        range={range}
        onRangeChange={setRange}
        model={model}
        onModelChange={setModel}
      />
      <GpuAllocation clusters={clusters} gpus={metrics.value?.gpus} />
      <PodTable clusters={clusters} generatedAt={response?.generatedAt} />
    </Box>
  );
};

/**
 * The "LLM Platform" tab: summary, diagnostics, latency, GPU allocation and
 * pods. All view state lives here or below and survives refreshes.
 */
export const EntityLlmPlatformContent = ({
  refreshIntervalMs = 10_000,
  defaultRange = '1h',
}: EntityLlmPlatformContentProps) => {
  const { entity } = useEntity();
  const selector = getWorkloadSelector(entity);
  if (!selector.configured) {
    return (
      <NotConfigured
        reason={
          selector.reason === 'invalid'
            ? 'invalidAnnotation'
            : 'missingAnnotation'
        }
        message={selector.message}
      />
    );
  }
  return (
    <Dashboard
      refreshIntervalMs={refreshIntervalMs}
      defaultRange={defaultRange}
    />
  );
};

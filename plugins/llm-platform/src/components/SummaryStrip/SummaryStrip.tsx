import { memo, ReactNode } from 'react';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type {
  ClusterWorkloads,
  EntityMetricsResponse,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  healthDetail,
  healthHeadline,
  servingHealthStatus,
} from '../ServingHealth';
import { StatusChip } from '../StatusChip';
import {
  HealthStatus,
  STATUS_LABEL,
  THRESHOLDS,
  gpuStatus,
  kvCacheStatus,
  podsReadyStatus,
  secondsStatus,
  severityStatus,
  tokensStatus,
} from '../../utils/thresholds';
import {
  formatChange,
  formatDurationLabel,
  formatFraction,
  formatRate,
  formatSeconds,
} from '../../utils/format';
import { changeAgainstPreviousPeriod } from '../../utils/series';
import {
  selectModel,
  sortedFindings,
  workloadTotals,
} from '../../utils/summary';

interface TileProps {
  label: string;
  value: ReactNode;
  status: HealthStatus;
  detail?: ReactNode;
  threshold: string;
  wide?: boolean;
}

const Tile = ({ label, value, status, detail, threshold, wide }: TileProps) => (
  <Paper
    variant="outlined"
    component="section"
    aria-label={label}
    sx={{
      p: 1.5,
      minWidth: 0,
      gridColumn: wide ? 'span 2' : undefined,
      borderLeftWidth: 6,
      borderLeftColor:
        status === 'unknown'
          ? 'divider'
          : `${status === 'ok' ? 'success' : status}.main`,
    }}
  >
    <Typography
      variant="overline"
      component="h3"
      sx={{ lineHeight: 1.4, display: 'block' }}
    >
      {label}
    </Typography>
    {wide ? (
      <Typography variant="subtitle1" component="p" sx={{ lineHeight: 1.3 }}>
        {value}
      </Typography>
    ) : (
      <Typography variant="h5" component="p" noWrap>
        {value}
      </Typography>
    )}
    <Tooltip title={threshold}>
      <Box component="span" sx={{ display: 'inline-flex', mt: 0.5 }}>
        <StatusChip status={status} />
      </Box>
    </Tooltip>
    {detail && (
      <Typography
        variant="caption"
        component="p"
        color="text.secondary"
        sx={{ mt: 0.5 }}
      >
        {detail}
      </Typography>
    )}
  </Paper>
);

const TileSkeleton = ({ label }: { label: string }) => (
  <Paper
    variant="outlined"
    component="section"
    sx={{ p: 1.5 }}
    aria-busy="true"
    aria-label={label}
  >
    <Typography variant="overline" component="h3" noWrap>
      {label}
    </Typography>
    <Skeleton variant="text" width="60%" height={36} />
    <Skeleton variant="rounded" width={80} height={24} />
  </Paper>
);

const LEGEND: Array<[string, string]> = [
  ['Serving health', THRESHOLDS.serving.describe],
  ['Pods ready', THRESHOLDS.podsReady.describe],
  ['GPUs in use', THRESHOLDS.gpus.describe],
  ['p95 end-to-end latency', THRESHOLDS.e2eP95.describe],
  ['p95 time to first token', THRESHOLDS.ttftP95.describe],
  ['Tokens per second', THRESHOLDS.tokens.describe],
  ['KV-cache usage', THRESHOLDS.kvCache.describe],
];

/** What each colour means, and the threshold behind every tile. */
const SummaryLegend = () => (
  <Box
    component="details"
    sx={{ mt: 1, color: 'text.secondary', typography: 'body2' }}
  >
    <Box component="summary" sx={{ cursor: 'pointer' }}>
      Legend:{' '}
      {(['ok', 'warning', 'error', 'unknown'] as HealthStatus[]).map(s => (
        <Box component="span" key={s} sx={{ ml: 1 }}>
          <StatusChip status={s} label={STATUS_LABEL[s]} />
        </Box>
      ))}
    </Box>
    <Box
      component="dl"
      sx={{
        display: 'grid',
        gridTemplateColumns: 'max-content 1fr',
        columnGap: 2,
        rowGap: 0.5,
        mt: 1,
      }}
    >
      {LEGEND.map(([label, text]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <Box component="dt" sx={{ fontWeight: 500 }}>
            {label}
          </Box>
          <Box component="dd" sx={{ m: 0 }}>
            {text}
          </Box>
        </Box>
      ))}
    </Box>
  </Box>
);

export interface SummaryStripProps {
  clusters?: ClusterWorkloads[];
  metrics?: EntityMetricsResponse;
  /** Why the metrics are missing, when they failed to load. */
  metricsUnavailable?: boolean;
  model?: string;
}

/** The first row of the tab: the numbers that say whether serving is well. */
export const SummaryStrip = memo(
  ({ clusters, metrics, metricsUnavailable, model }: SummaryStripProps) => {
    const tiles: ReactNode[] = [];
    if (!clusters) {
      for (const label of ['Pods ready', 'GPUs in use', 'Worst diagnostic']) {
        tiles.push(<TileSkeleton key={label} label={label} />);
      }
    } else {
      const totals = workloadTotals(clusters);
      const worst = sortedFindings(clusters)[0]?.finding;
      tiles.push(
        <Tile
          key="pods"
          label="Pods ready"
          value={`${totals.podsReady} / ${totals.podsTotal}`}
          status={podsReadyStatus(totals.podsReady, totals.podsTotal)}
          threshold={THRESHOLDS.podsReady.describe}
        />,
        <Tile
          key="gpus"
          label="GPUs in use"
          value={`${totals.gpuRequested} / ${totals.gpuAllocatable}`}
          status={gpuStatus(totals)}
          detail={
            totals.gpuMissingNodes
              ? `${totals.gpuMissingNodes} node(s) without GPUs`
              : `${totals.gpuEntityRequested} by this entity`
          }
          threshold={THRESHOLDS.gpus.describe}
        />,
        <Tile
          key="diagnostic"
          label="Worst diagnostic"
          wide
          value={worst ? worst.title : 'None'}
          status={severityStatus(worst?.severity)}
          detail={worst ? worst.failureIds.join(', ') : undefined}
          threshold={THRESHOLDS.diagnostics.describe}
        />,
      );
    }

    const metricLabels = [
      'Serving health',
      'p95 end-to-end latency',
      'p95 time to first token',
      'Tokens per second',
      'KV-cache usage',
    ];
    if (metrics) {
      const serving = selectModel(metrics, model);
      const { start, end } = metrics.range;
      const period = `vs previous ${formatDurationLabel((end - start) / 2)}`;
      const change = (s: typeof serving.e2eLatency.p95) =>
        `${formatChange(changeAgainstPreviousPeriod(s, start, end))} ${period}`;
      tiles.splice(
        2,
        0,
        <Tile
          key="health"
          label={metricLabels[0]}
          wide
          value={healthHeadline(serving.health, metrics.range)}
          status={servingHealthStatus(serving.health)}
          detail={healthDetail(serving.health, { nameModels: !model })}
          threshold={THRESHOLDS.serving.describe}
        />,
        <Tile
          key="e2e"
          label={metricLabels[1]}
          value={formatSeconds(serving.e2eLatency.p95.now)}
          status={secondsStatus(serving.e2eLatency.p95.now, THRESHOLDS.e2eP95)}
          detail={change(serving.e2eLatency.p95)}
          threshold={THRESHOLDS.e2eP95.describe}
        />,
        <Tile
          key="ttft"
          label={metricLabels[2]}
          value={formatSeconds(serving.timeToFirstToken.p95.now)}
          status={secondsStatus(
            serving.timeToFirstToken.p95.now,
            THRESHOLDS.ttftP95,
          )}
          detail={change(serving.timeToFirstToken.p95)}
          threshold={THRESHOLDS.ttftP95.describe}
        />,
        <Tile
          key="tokens"
          label={metricLabels[3]}
          value={formatRate(serving.generationTokensRate.now, 'tok/s')}
          status={tokensStatus(serving.generationTokensRate.now)}
          detail="generated"
          threshold={THRESHOLDS.tokens.describe}
        />,
        <Tile
          key="kv"
          label={metricLabels[4]}
          value={formatFraction(serving.kvCacheUsage.now)}
          status={kvCacheStatus(serving.kvCacheUsage.now)}
          threshold={THRESHOLDS.kvCache.describe}
        />,
      );
    } else {
      tiles.splice(
        2,
        0,
        ...metricLabels.map(label =>
          metricsUnavailable ? (
            <Tile
              key={label}
              label={label}
              value="–"
              status="unknown"
              detail="metrics unavailable"
              threshold="No metrics could be read."
            />
          ) : (
            <TileSkeleton key={label} label={label} />
          ),
        ),
      );
    }

    return (
      <Box component="section" aria-label="Summary">
        <Box
          sx={{
            display: 'grid',
            gap: 1.5,
            gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
          }}
        >
          {tiles}
        </Box>
        <SummaryLegend />
      </Box>
    );
  },
);

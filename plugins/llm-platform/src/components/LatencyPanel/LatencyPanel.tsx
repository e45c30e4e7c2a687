import { memo, ReactNode, Suspense, useEffect, useMemo } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import {
  METRICS_RANGES,
  type EntityMetricsResponse,
  type MetricsPanelId,
  type MetricsRange,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import type { ChartSeries } from './MetricChart';
import {
  formatClock,
  formatCount,
  formatDurationLabel,
  formatFraction,
  formatRate,
  formatSeconds,
} from '../../utils/format';
import { selectModel } from '../../utils/summary';
import { ServingHealthBanner } from '../ServingHealth';
import { LazyMetricChart as MetricChart } from '../lazyParts';

export const ALL_MODELS = '';

export interface LatencyPanelProps {
  metrics?: EntityMetricsResponse;
  error?: Error;
  loading: boolean;
  range: MetricsRange;
  onRangeChange: (range: MetricsRange) => void;
  model: string;
  onModelChange: (model: string) => void;
}

const gridSx = {
  display: 'grid',
  gap: 3,
  gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))',
} as const;

const ChartsSkeleton = () => (
  <Box sx={gridSx} aria-busy="true" aria-label="Loading metrics">
    {[0, 1, 2, 3].map(i => (
      <Skeleton key={i} variant="rounded" height={260} />
    ))}
  </Box>
);

const seconds = (v: number | null) => formatSeconds(v);
const tokens = (v: number | null) => formatRate(v, 'tok/s');
const requests = (v: number | null) => formatRate(v, 'req/s');
const percent = (v: number | null) => formatFraction(v);

/** Latency, throughput and load charts for a range and a model. */
export const LatencyPanel = memo(
  ({
    metrics,
    error,
    loading,
    range,
    onRangeChange,
    model,
    onModelChange,
  }: LatencyPanelProps) => {
    // The chart library is the largest part of the tab: it loads apart (the
    // tab's shell starts it with the dashboard), and at the latest when the
    // panel mounts, so it downloads while the data requests are under way.
    useEffect(() => {
      MetricChart.preload().catch(() => undefined);
    }, []);
    const serving = metrics ? selectModel(metrics, model) : undefined;
    const charts = useMemo(() => {
      if (!serving) return undefined;
      const q = (
        prefix: string,
        quantiles: Partial<
          Record<'p50' | 'p95' | 'p99', ChartSeries['series']>
        >,
      ): ChartSeries[] =>
        (['p50', 'p95', 'p99'] as const)
          .filter(p => quantiles[p])
          .map(p => ({
            id: `${prefix}-${p}`,
            label: p,
            series: quantiles[p]!,
          }));
      return {
        e2e: q('e2e', serving.e2eLatency),
        ttft: q('ttft', serving.timeToFirstToken),
        itl: q('itl', serving.interTokenLatency),
        requests: [
          {
            id: 'req',
            label: 'Finished requests',
            series: serving.requestRate,
          },
        ],
        tokens: [
          {
            id: 'gen',
            label: 'Generated',
            series: serving.generationTokensRate,
          },
          { id: 'prompt', label: 'Prompt', series: serving.promptTokensRate },
        ],
        load: [
          { id: 'running', label: 'Running', series: serving.running },
          { id: 'waiting', label: 'Waiting', series: serving.waiting },
        ],
        kv: [
          { id: 'kv', label: 'KV-cache usage', series: serving.kvCacheUsage },
        ],
      };
    }, [serving]);

    const models = metrics?.models.map(m => m.model!).filter(Boolean) ?? [];
    const multiDay = metrics
      ? metrics.range.end - metrics.range.start > 86_400
      : false;

    const slot = (panel: MetricsPanelId, chart: ReactNode) => {
      const status = metrics!.panels[panel];
      if (status.state === 'error') {
        return (
          <Alert severity="error" variant="outlined">
            Prometheus {status.instance} failed: {status.message}
          </Alert>
        );
      }
      if (status.state === 'noData') {
        return (
          <Alert severity="info" variant="outlined">
            No data: {status.message}
          </Alert>
        );
      }
      return chart;
    };

    let body: ReactNode;
    if (!metrics && error) {
      body = (
        <Alert severity="error" role="alert">
          Inference metrics are unavailable: {error.message}
        </Alert>
      );
    } else if (!metrics || !charts) {
      body = <ChartsSkeleton />;
    } else {
      body = (
        <>
          <ServingHealthBanner
            health={serving!.health}
            range={metrics.range}
            total={!model}
          />
          {error && (
            <Alert severity="warning" sx={{ mb: 2 }}>
              Could not refresh the metrics ({error.message}); showing the
              previous data.
            </Alert>
          )}
          {metrics.notes.map(note => (
            <Alert key={note} severity="info" sx={{ mb: 2 }}>
              {note}
            </Alert>
          ))}
          <Suspense fallback={<ChartsSkeleton />}>
            <Box sx={gridSx}>
              {slot(
                'e2eLatency',
                <MetricChart
                  title="End-to-end latency"
                  series={charts.e2e}
                  format={seconds}
                  multiDay={multiDay}
                />,
              )}
              {slot(
                'timeToFirstToken',
                <MetricChart
                  title="Time to first token"
                  series={charts.ttft}
                  format={seconds}
                  multiDay={multiDay}
                />,
              )}
              {slot(
                'interTokenLatency',
                <MetricChart
                  title="Inter-token latency"
                  series={charts.itl}
                  format={seconds}
                  multiDay={multiDay}
                />,
              )}
              {slot(
                'throughput',
                <MetricChart
                  title="Requests per second"
                  series={charts.requests}
                  format={requests}
                  multiDay={multiDay}
                />,
              )}
              {slot(
                'throughput',
                <MetricChart
                  title="Tokens per second"
                  series={charts.tokens}
                  format={tokens}
                  multiDay={multiDay}
                />,
              )}
              {slot(
                'load',
                <MetricChart
                  title="Running and waiting requests"
                  series={charts.load}
                  format={formatCount}
                  multiDay={multiDay}
                />,
              )}
              {slot(
                'load',
                <MetricChart
                  title="KV-cache usage"
                  series={charts.kv}
                  format={percent}
                  yMax={1}
                  multiDay={multiDay}
                />,
              )}
            </Box>
          </Suspense>
        </>
      );
    }

    return (
      <Card component="section" aria-label="Inference latency">
        <CardHeader
          title="Inference latency and throughput"
          titleTypographyProps={{ variant: 'h6', component: 'h2' }}
          subheader={
            metrics
              ? // The newest point is on the step grid: say when, and how
                // long each point's window is.
                `Prometheus ${metrics.instance} · ${
                  model ? `model ${model}` : 'all models'
                } · up to ${formatClock(
                  metrics.range.end,
                  multiDay,
                )}, a point every ${formatDurationLabel(metrics.range.step)}`
              : undefined
          }
          action={
            <Box
              sx={{
                display: 'flex',
                gap: 2,
                alignItems: 'center',
                flexWrap: 'wrap',
              }}
            >
              {models.length > 1 && (
                <TextField
                  select
                  size="small"
                  label="Model"
                  value={model}
                  onChange={e => onModelChange(e.target.value)}
                  SelectProps={{ displayEmpty: true }}
                  InputLabelProps={{ shrink: true }}
                  sx={{ minWidth: 200 }}
                >
                  <MenuItem value={ALL_MODELS}>All models</MenuItem>
                  {models.map(m => (
                    <MenuItem key={m} value={m}>
                      {m}
                    </MenuItem>
                  ))}
                </TextField>
              )}
              <ToggleButtonGroup
                size="small"
                exclusive
                value={range}
                aria-label="Time range"
                onChange={(_e, value: MetricsRange | null) => {
                  if (value) onRangeChange(value);
                }}
              >
                {METRICS_RANGES.map(r => (
                  <ToggleButton key={r} value={r} aria-label={`Last ${r}`}>
                    {r}
                  </ToggleButton>
                ))}
              </ToggleButtonGroup>
            </Box>
          }
        />
        {loading && metrics && <LinearProgress aria-label="Loading metrics" />}
        <CardContent>{body}</CardContent>
      </Card>
    );
  },
);

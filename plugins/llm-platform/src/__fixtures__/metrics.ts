import type {
  EntityMetricsResponse,
  GpuMetrics,
  MetricSeries,
  MetricsPanelId,
  MetricsPanelStatus,
  MetricsRange,
  ModelServingMetrics,
  ServingHealth,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { GENERATED_AT } from './workloads';

export const RANGE_SECONDS: Record<MetricsRange, number> = {
  '15m': 900,
  '1h': 3600,
  '6h': 21_600,
  '24h': 86_400,
  '7d': 604_800,
};

// The backend's steps: the smallest of its round steps that keeps a series
// at or under 300 points.
const STEP_SECONDS: Record<MetricsRange, number> = {
  '15m': 15,
  '1h': 15,
  '6h': 120,
  '24h': 300,
  '7d': 3600,
};

export const METRICS_END = Date.parse(GENERATED_AT) / 1000;

/** A smooth daily wave around `base`, deterministic in time. */
const series = (
  start: number,
  end: number,
  step: number,
  base: number,
  amplitude: number,
  phase = 0,
): MetricSeries => {
  const points: [number, number][] = [];
  for (let t = start; t <= end; t += step) {
    const wave = Math.sin((t / 86_400) * 2 * Math.PI + phase);
    const ripple = Math.sin(t / 900 + phase) * 0.15;
    points.push([
      t,
      Math.max(0, base * (1 + amplitude * wave + ripple * amplitude)),
    ]);
  }
  return { points, now: points.length ? points[points.length - 1][1] : null };
};

/** A verdict with no threshold breached. */
export const HEALTHY: ServingHealth = {
  state: 'ok',
  reasons: [],
  degradedSince: null,
  degradedThroughoutRange: false,
};

const modelMetrics = (
  model: string | null,
  scale: number,
  start: number,
  end: number,
  step: number,
): ModelServingMetrics => {
  const s = (base: number, amplitude: number, phase = 0) =>
    series(start, end, step, base * scale, amplitude, phase);
  return {
    model,
    e2eLatency: { p50: s(2.1, 0.2), p95: s(6.4, 0.3), p99: s(11.8, 0.35) },
    timeToFirstToken: {
      p50: s(0.08, 0.2, 1),
      p95: s(0.42, 0.3, 1),
      p99: s(0.95, 0.4, 1),
    },
    interTokenLatency: { p50: s(0.021, 0.1, 2), p95: s(0.038, 0.15, 2) },
    queueTime: { p95: s(0.12, 0.5, 3) },
    requestRate: s(3.2, 0.5),
    finishedByReason: { stop: s(3.0, 0.5), length: s(0.2, 0.5) },
    promptTokensRate: s(1850, 0.5),
    generationTokensRate: s(712, 0.5),
    running: s(14, 0.4),
    waiting: s(1.5, 0.8, 0.5),
    kvCacheUsage: series(start, end, step, 0.46, 0.3),
    preemptionRate: s(0.01, 0.5),
    health: HEALTHY,
  };
};

const gpu = (
  node: string,
  index: number,
  pod: string,
  start: number,
  end: number,
  step: number,
): GpuMetrics => ({
  uuid: `GPU-${node}-${index}`,
  index: String(index),
  productName: 'Tesla T4',
  node,
  pod,
  namespace: 'llm-serving',
  attribution: 'pod',
  utilization: series(start, end, step, 78, 0.2, index),
  memoryUsedMiB: series(start, end, step, 13_900, 0.02, index),
  memoryTotalMiB: series(start, end, step, 15_360, 0),
  powerWatts: series(start, end, step, 62, 0.1, index),
  temperatureCelsius: series(start, end, step, 64, 0.05, index),
});

export interface MetricsFixtureOptions {
  range?: MetricsRange;
  models?: string[];
  model?: string;
  panels?: Partial<Record<MetricsPanelId, MetricsPanelStatus>>;
  gpuNodes?: Array<{ node: string; pod: string }>;
  /** Verdicts: of the total, and of models by name; default all ok. */
  health?: { total?: ServingHealth; models?: Record<string, ServingHealth> };
  /** End of the range, unix seconds; default {@link METRICS_END}. */
  end?: number;
}

/** A metrics response shaped like the backend's, with deterministic series. */
export const makeMetrics = ({
  range = '1h',
  models = ['llama-3-8b-instruct'],
  model,
  panels = {},
  health = {},
  end = METRICS_END,
  gpuNodes = [
    {
      node: 'ip-10-0-12-34.ec2.internal',
      pod: 'llama-3-8b-vllm-7d9c6b5f4-abcde',
    },
    {
      node: 'ip-10-0-12-35.ec2.internal',
      pod: 'llama-3-8b-vllm-7d9c6b5f4-fghij',
    },
  ],
}: MetricsFixtureOptions = {}): EntityMetricsResponse => {
  const start = end - RANGE_SECONDS[range];
  const step = STEP_SECONDS[range];
  const selected = model ? models.filter(m => m === model) : models;
  const gpus = gpuNodes.map(({ node, pod }) =>
    gpu(node, 0, pod, start, end, step),
  );
  return {
    instance: 'prometheus-prod',
    range: {
      preset: range,
      start,
      end,
      step,
      rateWindow: Math.max(60, step * 4),
    },
    scope: { namespaces: ['llm-serving'], models: model ? [model] : [] },
    panels: {
      e2eLatency: { state: 'ok' },
      timeToFirstToken: { state: 'ok' },
      interTokenLatency: { state: 'ok' },
      queueTime: { state: 'ok' },
      throughput: { state: 'ok' },
      load: { state: 'ok' },
      gpu: { state: 'ok' },
      ...panels,
    },
    total: {
      ...modelMetrics(null, 1, start, end, step),
      health: health.total ?? HEALTHY,
    },
    models: selected.map((name, i) => ({
      ...modelMetrics(name, 1 + i * 0.35, start, end, step),
      health: health.models?.[name] ?? HEALTHY,
    })),
    gpus,
    gpuTotals: {
      count: gpus.length,
      utilization: series(start, end, step, 78, 0.2),
      memoryUsedMiB: series(start, end, step, 13_900 * gpus.length, 0.02),
      memoryTotalMiB: series(start, end, step, 15_360 * gpus.length, 0),
      powerWatts: series(start, end, step, 62 * gpus.length, 0.1),
      maxTemperatureCelsius: series(start, end, step, 66, 0.05),
    },
    notes: [],
    generatedAt: GENERATED_AT,
  };
};

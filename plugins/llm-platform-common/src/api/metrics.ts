/**
 * Response of the backend's inference metrics endpoint: latency, throughput,
 * load and GPU series of one entity, computed from Prometheus. The frontend
 * never sends PromQL; it picks a range and optionally a model.
 */

/**
 * The fixed time ranges the metrics endpoint accepts.
 *
 * @public
 */
export const METRICS_RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;

/**
 * One of {@link METRICS_RANGES}.
 *
 * @public
 */
export type MetricsRange = (typeof METRICS_RANGES)[number];

/**
 * One sample: `[unix time in seconds, value]`. Points where the value is
 * undefined (no requests in the window, so no quantile) are left out, so a gap
 * in time is a gap in the chart.
 *
 * @public
 */
export type MetricPoint = [number, number];

/**
 * A time series plus its value "now" (the point at the end of the range, or
 * null when the series has no point there: no traffic or no longer scraped).
 *
 * @public
 */
export interface MetricSeries {
  points: MetricPoint[];
  now: number | null;
}

/**
 * Latency quantiles in seconds. Totals are computed from summed histogram
 * buckets, never by averaging per-model quantiles.
 *
 * @public
 */
export interface LatencyQuantiles {
  p50: MetricSeries;
  p95: MetricSeries;
  p99: MetricSeries;
}

/**
 * What made a model degraded: p95 time to first token or inter-token latency
 * above its threshold, KV cache nearly full, preemptions, or a waiting queue
 * that keeps growing.
 *
 * @public
 */
export type HealthReasonKind =
  | 'timeToFirstToken'
  | 'interTokenLatency'
  | 'kvCacheUsage'
  | 'preemptions'
  | 'waitingQueueGrowing';

/**
 * One threshold a model breaches at the end of the range.
 *
 * @public
 */
export interface HealthReason {
  kind: HealthReasonKind;
  /** The model breaching it; set on every reason of a model or the total. */
  model?: string;
  /**
   * The value at the end of the range, in the series' unit: seconds, a 0..1
   * fraction, per second, or requests the queue grew by.
   */
  value: number;
  threshold: number;
  /** For people, for example "p95 TTFT 2.1 s > 1 s". */
  message: string;
}

/**
 * Is the model serving well right now, and since when not? Judged at the end
 * of the range against the thresholds of `llmPlatform.prometheus.health`.
 *
 * @public
 */
export interface ServingHealth {
  /**
   * `ok`: no threshold breached now; `degraded`: at least one is;
   * `noData`: no sample at the end of the range to judge from.
   */
  state: 'ok' | 'degraded' | 'noData';
  /** The thresholds breached now; empty unless degraded. */
  reasons: HealthReason[];
  /**
   * Unix seconds of the first point of the current unbroken degraded run.
   * Null when not degraded, and when degraded at every point of the range
   * (see `degradedThroughoutRange`): it began before the range.
   */
  degradedSince: number | null;
  /** Degraded at every point of the range: pick a longer range to see when it began. */
  degradedThroughoutRange: boolean;
  /** Why there is no verdict, when `noData`. */
  message?: string;
}

/**
 * Serving metrics of one model (`model_name` label of vLLM), or of all the
 * entity's models together.
 *
 * @public
 */
export interface ModelServingMetrics {
  /** The served model name, or null for the total over all models. */
  model: string | null;
  /** End-to-end request latency, seconds. */
  e2eLatency: LatencyQuantiles;
  /** Time to first token, seconds. */
  timeToFirstToken: LatencyQuantiles;
  /** Inter-token latency, seconds (p50 and p95). */
  interTokenLatency: Pick<LatencyQuantiles, 'p50' | 'p95'>;
  /** Time requests spend queued before scheduling, seconds (p95). */
  queueTime: Pick<LatencyQuantiles, 'p95'>;
  /** Finished requests per second, all finish reasons. */
  requestRate: MetricSeries;
  /** Finished requests per second by finish reason (`stop`, `length`, `abort`). */
  finishedByReason: Record<string, MetricSeries>;
  /** Prompt tokens processed per second. */
  promptTokensRate: MetricSeries;
  /** Tokens generated per second. */
  generationTokensRate: MetricSeries;
  /** Requests being processed (sum over engines). */
  running: MetricSeries;
  /** Requests waiting in the queue (sum over engines). */
  waiting: MetricSeries;
  /** KV-cache usage as a fraction 0..1, mean over engines. */
  kvCacheUsage: MetricSeries;
  /** Preemptions per second. */
  preemptionRate: MetricSeries;
  /**
   * The verdict now and since when; the total's is degraded whenever a model
   * is, and its reasons name their models.
   */
  health: ServingHealth;
}

/**
 * One GPU as dcgm-exporter reports it, tied to the pod holding it and the
 * node it sits in.
 *
 * @public
 */
export interface GpuMetrics {
  /** The GPU's UUID, stable across restarts. */
  uuid: string;
  /** Index of the GPU on its node (`gpu` label). */
  index: string;
  /** Product name, for example `Tesla T4`. */
  productName?: string;
  /** Node (dcgm-exporter `Hostname`). */
  node?: string;
  /** Pod holding the GPU; absent when dcgm-exporter reports no pod for it. */
  pod?: string;
  namespace?: string;
  /** How the GPU was tied to the entity: through its pod, or only its node. */
  attribution: 'pod' | 'node';
  /** Utilisation, percent 0..100. */
  utilization: MetricSeries;
  /** Framebuffer memory used, MiB. */
  memoryUsedMiB: MetricSeries;
  /** Framebuffer memory total (used + free), MiB. */
  memoryTotalMiB: MetricSeries;
  /** Power draw, watts. */
  powerWatts: MetricSeries;
  /** Temperature, degrees Celsius. */
  temperatureCelsius: MetricSeries;
}

/**
 * How much of each GPU's series the metrics endpoint returns, its `gpuSeries`
 * parameter: `range`, every point (the default); `latest`, each series' value
 * now with no points, for a view that shows no per-GPU history (the entity
 * tab and card). Over 24 h of 16 GPUs, the points are two thirds of the
 * answer. The GPU totals keep their points either way.
 *
 * @public
 */
export const GPU_SERIES_DETAILS = ['range', 'latest'] as const;

/**
 * One of {@link GPU_SERIES_DETAILS}.
 *
 * @public
 */
export type GpuSeriesDetail = (typeof GPU_SERIES_DETAILS)[number];

/**
 * Aggregates over all the entity's GPUs.
 *
 * @public
 */
export interface GpuTotals {
  /** GPUs seen at the end of the range. */
  count: number;
  /** Mean utilisation, percent. */
  utilization: MetricSeries;
  memoryUsedMiB: MetricSeries;
  memoryTotalMiB: MetricSeries;
  powerWatts: MetricSeries;
  /** Hottest GPU, degrees Celsius. */
  maxTemperatureCelsius: MetricSeries;
}

/**
 * Identifies a group of series that are fetched and can fail together.
 *
 * @public
 */
export type MetricsPanelId =
  | 'e2eLatency'
  | 'timeToFirstToken'
  | 'interTokenLatency'
  | 'queueTime'
  | 'throughput'
  | 'load'
  | 'gpu';

/**
 * Whether a panel's series could be computed. Failures are per panel: the
 * other panels of the same response are still served.
 *
 * @public
 */
export type MetricsPanelStatus =
  | { state: 'ok' }
  | {
      state: 'noData';
      /** The likely cause, for example "is the pod scraped?". */
      message: string;
    }
  | {
      state: 'error';
      /** The Prometheus instance that failed. */
      instance: string;
      /** Why: unreachable, HTTP status, timeout or query error. */
      message: string;
    };

/**
 * The time range actually queried.
 *
 * @public
 */
export interface MetricsTimeRange {
  /** Set when the caller picked one of the fixed ranges. */
  preset?: MetricsRange;
  /** Unix seconds. */
  start: number;
  /** Unix seconds. */
  end: number;
  /** Seconds between points. */
  step: number;
  /** Window of `rate()`, seconds. */
  rateWindow: number;
}

/**
 * Everything the metrics endpoint returns for one entity.
 *
 * @public
 */
export interface EntityMetricsResponse {
  /** Name of the configured Prometheus instance that was queried. */
  instance: string;
  range: MetricsTimeRange;
  /** What the series are restricted to. */
  scope: {
    namespaces: string[];
    /** Model names the query was restricted to; empty when not restricted. */
    models: string[];
  };
  panels: Record<MetricsPanelId, MetricsPanelStatus>;
  /** All models together. */
  total: ModelServingMetrics;
  /** One entry per model seen, sorted by name. */
  models: ModelServingMetrics[];
  gpus: GpuMetrics[];
  gpuTotals: GpuTotals;
  /** Things the reader should know, for example a truncated GPU list. */
  notes: string[];
  /** ISO time at which the response was computed (cached responses keep it). */
  generatedAt: string;
}

/**
 * A `JSON.stringify` replacer that keeps six significant digits of every
 * fractional number: more than any chart, tooltip or table shows, and half
 * the size of full precision. The backend encodes metrics answers with it.
 *
 * @public
 */
export function roundMetricValue(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value)
    ? Number(value.toPrecision(6))
    : value;
}

/**
 * The answer with each GPU's series reduced to its value now: what the
 * metrics endpoint sends for `gpuSeries=latest`.
 *
 * @public
 */
export function withLatestGpuValues(
  answer: EntityMetricsResponse,
): EntityMetricsResponse {
  const latest = (series: MetricSeries): MetricSeries => ({
    points: [],
    now: series.now,
  });
  return {
    ...answer,
    gpus: answer.gpus.map(
      (gpu): GpuMetrics => ({
        ...gpu,
        utilization: latest(gpu.utilization),
        memoryUsedMiB: latest(gpu.memoryUsedMiB),
        memoryTotalMiB: latest(gpu.memoryTotalMiB),
        powerWatts: latest(gpu.powerWatts),
        temperatureCelsius: latest(gpu.temperatureCelsius),
      }),
    ),
  };
}

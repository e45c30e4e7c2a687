import type {
  HealthReason,
  HealthReasonKind,
  MetricSeries,
  MetricsTimeRange,
  ModelServingMetrics,
  ServingHealth,
} from '@llm-platform/backstage-plugin-llm-platform-common';

/** When a model counts as degraded (`llmPlatform.prometheus.health`). */
export interface HealthThresholds {
  /** p95 time to first token above this, seconds. */
  timeToFirstTokenP95Seconds: number;
  /** p95 inter-token latency above this, seconds. */
  interTokenLatencyP95Seconds: number;
  /** KV-cache usage (mean over the model's engines) above this fraction. */
  kvCacheUsage: number;
  /** Preemptions per second above this. */
  preemptionsPerSecond: number;
  /** The waiting queue grew by at least this many requests ... */
  waitingGrowthRequests: number;
  /** ... within this many seconds. */
  waitingGrowthWindowSeconds: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  timeToFirstTokenP95Seconds: 1,
  interTokenLatencyP95Seconds: 0.2,
  kvCacheUsage: 0.9,
  preemptionsPerSecond: 0.1,
  waitingGrowthRequests: 5,
  waitingGrowthWindowSeconds: 300,
};

/** Seconds as people read them: 850 ms, 2.1 s. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Number((seconds * 1000).toPrecision(2))} ms`;
  return `${Number(seconds.toPrecision(2))} s`;
}

const percent = (fraction: number) => `${Math.round(fraction * 100)} %`;
const perSecond = (v: number) => `${Number(v.toPrecision(2))}/s`;
const minutes = (s: number) =>
  s % 60 === 0 ? `${s / 60} min` : formatSeconds(s);

interface Condition {
  kind: HealthReasonKind;
  series: MetricSeries;
  /** The breach at time t, if any. */
  at(t: number): { value: number; threshold: number } | undefined;
  message(value: number, threshold: number): string;
}

function pointMap(series: MetricSeries): Map<number, number> {
  return new Map(series.points);
}

function conditions(
  m: ModelServingMetrics,
  thresholds: HealthThresholds,
  range: MetricsTimeRange,
): Condition[] {
  const above = (
    kind: HealthReasonKind,
    series: MetricSeries,
    threshold: number,
    message: (value: number, threshold: number) => string,
  ): Condition => {
    const values = pointMap(series);
    return {
      kind,
      series,
      at(t) {
        const value = values.get(t);
        return value !== undefined && value > threshold
          ? { value, threshold }
          : undefined;
      },
      message,
    };
  };
  const waiting = m.waiting;
  const waitingAt = pointMap(waiting);
  // Compared with the queue one window earlier, or one step when the step is
  // longer than the window.
  const lookback = Math.max(thresholds.waitingGrowthWindowSeconds, range.step);
  return [
    above(
      'timeToFirstToken',
      m.timeToFirstToken.p95,
      thresholds.timeToFirstTokenP95Seconds,
      (v, th) => `p95 TTFT ${formatSeconds(v)} > ${formatSeconds(th)}`,
    ),
    above(
      'interTokenLatency',
      m.interTokenLatency.p95,
      thresholds.interTokenLatencyP95Seconds,
      (v, th) =>
        `p95 inter-token latency ${formatSeconds(v)} > ${formatSeconds(th)}`,
    ),
    above(
      'kvCacheUsage',
      m.kvCacheUsage,
      thresholds.kvCacheUsage,
      (v, th) => `KV cache ${percent(v)} > ${percent(th)}`,
    ),
    above(
      'preemptions',
      m.preemptionRate,
      thresholds.preemptionsPerSecond,
      (v, th) => `${perSecond(v)} preemptions > ${perSecond(th)}`,
    ),
    {
      kind: 'waitingQueueGrowing',
      series: waiting,
      at(t) {
        const now = waitingAt.get(t);
        const before = waitingAt.get(t - lookback);
        if (now === undefined || before === undefined) return undefined;
        const growth = now - before;
        return growth >= thresholds.waitingGrowthRequests
          ? { value: growth, threshold: thresholds.waitingGrowthRequests }
          : undefined;
      },
      message: (v, th) =>
        `waiting queue grew by ${Math.round(v)} in ${minutes(
          lookback,
        )} (limit ${th})`,
    },
  ];
}

/**
 * Degraded at each evaluated time: the times where any series of the model
 * has a point, each with the conditions breached then.
 */
interface Timeline {
  times: number[];
  reasonsAt(t: number): HealthReason[];
}

function modelTimeline(
  m: ModelServingMetrics,
  thresholds: HealthThresholds,
  range: MetricsTimeRange,
): Timeline {
  const checks = conditions(m, thresholds, range);
  const times = new Set<number>();
  for (const c of checks) c.series.points.forEach(([t]) => times.add(t));
  return {
    times: [...times].sort((a, b) => a - b),
    reasonsAt(t) {
      return checks.flatMap(c => {
        const breach = c.at(t);
        return breach
          ? [
              {
                kind: c.kind,
                ...(m.model !== null ? { model: m.model } : {}),
                value: breach.value,
                threshold: breach.threshold,
                message: c.message(breach.value, breach.threshold),
              },
            ]
          : [];
      });
    },
  };
}

function verdict(
  timeline: Timeline,
  range: MetricsTimeRange,
  noDataMessage: string,
): ServingHealth {
  const { times } = timeline;
  const last = times[times.length - 1];
  // "Now" is the end of the range: a model whose series stopped before it is
  // not judged on old points.
  if (last === undefined || last < range.end) {
    return {
      state: 'noData',
      reasons: [],
      degradedSince: null,
      degradedThroughoutRange: false,
      message: noDataMessage,
    };
  }
  const reasons = timeline.reasonsAt(last);
  if (reasons.length === 0) {
    return {
      state: 'ok',
      reasons,
      degradedSince: null,
      degradedThroughoutRange: false,
    };
  }
  let i = times.length - 1;
  while (i > 0 && timeline.reasonsAt(times[i - 1]).length > 0) i--;
  // Degraded from the first point of a range that has data from its start:
  // it began before the range, and when is not known from this range.
  const throughout = i === 0 && times[0] <= range.start + range.step;
  return {
    state: 'degraded',
    reasons,
    degradedSince: throughout ? null : times[i],
    degradedThroughoutRange: throughout,
  };
}

/**
 * The health verdicts of a response: per model, and in total (degraded at a
 * time when any model is, with each reason naming its model).
 */
export function assessHealth(options: {
  total: ModelServingMetrics;
  models: ModelServingMetrics[];
  thresholds: HealthThresholds;
  range: MetricsTimeRange;
  /** Why a model has no data ("no vLLM metrics for model X ..."). */
  noDataMessage: (model: string | null) => string;
}): { total: ServingHealth; models: ServingHealth[] } {
  const { range, thresholds } = options;
  const timelines = options.models.map(m =>
    modelTimeline(m, thresholds, range),
  );
  const models = options.models.map((m, i) =>
    verdict(timelines[i], range, options.noDataMessage(m.model)),
  );
  const times = new Set<number>();
  timelines.forEach(t => t.times.forEach(x => times.add(x)));
  const total = verdict(
    {
      times: [...times].sort((a, b) => a - b),
      reasonsAt: t => timelines.flatMap(tl => tl.reasonsAt(t)),
    },
    range,
    options.noDataMessage(null),
  );
  return { total, models };
}

import type {
  MetricSeries,
  MetricsTimeRange,
} from '@llm-platform/backstage-plugin-llm-platform-common';

/**
 * Values of one series on the range's step grid, `NaN` where it has no
 * point. Every range query of a response answers on the same grid
 * (`start + i * step`), so series add up index by index instead of through
 * maps keyed by timestamp.
 */
export type Timeline = Float64Array;

/** The step grid of a range: `start`, `start + step`, ..., `end`. */
export class Grid {
  readonly start: number;
  readonly step: number;
  readonly size: number;

  constructor(range: Pick<MetricsTimeRange, 'start' | 'end' | 'step'>) {
    this.start = range.start;
    this.step = range.step;
    this.size = Math.round((range.end - range.start) / range.step) + 1;
  }

  /** The index of timestamp `t`, or -1 when `t` is not on the grid. */
  index(t: number): number {
    const i = (t - this.start) / this.step;
    return Number.isInteger(i) && i >= 0 && i < this.size ? i : -1;
  }

  time(i: number): number {
    return this.start + i * this.step;
  }

  empty(): Timeline {
    return new Float64Array(this.size).fill(NaN);
  }

  /** Adds the finite values of `source` into `target`, a missing value counting as 0. */
  addInto(target: Timeline, source: Timeline): Timeline {
    for (let i = 0; i < target.length; i++) {
      const v = source[i];
      if (!Number.isFinite(v)) continue;
      const current = target[i];
      target[i] = Number.isNaN(current) ? v : current + v;
    }
    return target;
  }

  /** Sets the finite values of `source` where `target` has none yet. */
  fillInto(target: Timeline, source: Timeline): Timeline {
    for (let i = 0; i < target.length; i++) {
      const v = source[i];
      if (Number.isFinite(v) && Number.isNaN(target[i])) target[i] = v;
    }
    return target;
  }

  /** The value at `end`, if finite. */
  valueAt(timeline: Timeline | undefined, end: number): number | null {
    const i = this.index(end);
    const v = timeline && i >= 0 ? timeline[i] : NaN;
    return Number.isFinite(v) ? v : null;
  }

  /** The finite values as chart points, and the value at `end` as "now". */
  series(timeline: Timeline | undefined, end: number): MetricSeries {
    if (!timeline) return { points: [], now: null };
    const points: Array<[number, number]> = [];
    for (let i = 0; i < timeline.length; i++) {
      const v = timeline[i];
      if (Number.isFinite(v)) points.push([this.time(i), v]);
    }
    const last = points[points.length - 1];
    return { points, now: last && last[0] === end ? last[1] : null };
  }
}

/** Index-wise sum; a point exists where any input has one. */
export function sumTimelines(timelines: Timeline[]): Timeline | undefined {
  if (timelines.length === 0) return undefined;
  const out = new Float64Array(timelines[0].length).fill(NaN);
  for (const timeline of timelines) {
    for (let i = 0; i < timeline.length; i++) {
      const v = timeline[i];
      if (Number.isNaN(v)) continue;
      const current = out[i];
      out[i] = Number.isNaN(current) ? v : current + v;
    }
  }
  return out;
}

/** Index-wise combination where both inputs have a point, NaN elsewhere. */
export function combine(
  a: Timeline,
  b: Timeline,
  f: (x: number, y: number) => number,
): Timeline {
  const out = new Float64Array(a.length).fill(NaN);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) out[i] = f(a[i], b[i]);
  }
  return out;
}

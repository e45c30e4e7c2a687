import { InputError } from '@backstage/errors';
import {
  METRICS_RANGES,
  MetricsRange,
  MetricsTimeRange,
} from '@llm-platform/backstage-plugin-llm-platform-common';

const PRESET_SECONDS: Record<MetricsRange, number> = {
  '15m': 15 * 60,
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 24 * 3600,
  '7d': 7 * 24 * 3600,
};

/** Steps a chart reads well at; the smallest that keeps points under the cap wins. */
const STEPS = [
  15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/** No series has more points than this (plus the end point). */
export const MAX_POINTS = 300;
/** Longest custom range. */
export const MAX_RANGE_SECONDS = 31 * 24 * 3600;
const MIN_RANGE_SECONDS = 60;
/**
 * A preset range ends on its step grid, so that its points fall on the same
 * times from one request to the next and settled points can be reused
 * (settledPoints.ts), but never more than this far back: the newest point of
 * a 24 h range (5 min steps) is up to 5 minutes old, of 1 h up to 15 s.
 */
const MAX_END_ALIGNMENT_SECONDS = 300;
/** Ends are aligned to at least this, so requests within it share a cache entry. */
const END_ALIGNMENT_SECONDS = 15;

const stepFor = (duration: number) =>
  STEPS.find(s => s * MAX_POINTS >= duration) ?? STEPS[STEPS.length - 1];

export interface TimeRangeInput {
  range?: string;
  start?: string;
  end?: string;
}

function parseTime(what: string, value: string): number {
  const trimmed = value.trim();
  const seconds = /^\d+(\.\d+)?$/.test(trimmed)
    ? Number(trimmed)
    : Date.parse(trimmed) / 1000;
  if (!Number.isFinite(seconds) || !/^\d|^\d{4}-/.test(trimmed)) {
    throw new InputError(
      `${what} "${value.slice(
        0,
        64,
      )}" is not a time: give unix seconds or an ISO 8601 time such as 2025-01-31T12:00:00Z`,
    );
  }
  return seconds;
}

/**
 * Turns the caller's range into start, end, step and rate window. The step
 * keeps every series at or under {@link MAX_POINTS} points; the rate window
 * covers the step and at least four scrapes, so no sample is skipped and a
 * single missed scrape does not drop a point.
 */
export function resolveTimeRange(
  input: TimeRangeInput,
  options: { nowSeconds: number; scrapeIntervalSeconds: number },
): MetricsTimeRange {
  const { nowSeconds, scrapeIntervalSeconds } = options;
  let preset: MetricsRange | undefined;
  let start: number;
  let end: number;
  if (input.start !== undefined || input.end !== undefined) {
    if (input.range !== undefined) {
      throw new InputError(
        'give either "range" or "start" and "end", not both',
      );
    }
    if (input.start === undefined || input.end === undefined) {
      throw new InputError('"start" and "end" must be given together');
    }
    start = parseTime('start', input.start);
    end = parseTime('end', input.end);
    if (end > nowSeconds + 300) {
      throw new InputError(`end ${input.end} is in the future`);
    }
    const duration = end - start;
    if (duration < MIN_RANGE_SECONDS || duration > MAX_RANGE_SECONDS) {
      throw new InputError(
        `the range from start to end must be between ${MIN_RANGE_SECONDS} seconds and ${
          MAX_RANGE_SECONDS / 86400
        } days, and end must come after start`,
      );
    }
  } else {
    const range = input.range ?? '1h';
    if (!(METRICS_RANGES as readonly string[]).includes(range)) {
      throw new InputError(
        `range "${range.slice(
          0,
          64,
        )}" is not supported: use one of ${METRICS_RANGES.join(
          ', ',
        )}, or start and end`,
      );
    }
    preset = range as MetricsRange;
    const alignment = Math.min(
      Math.max(stepFor(PRESET_SECONDS[preset]), END_ALIGNMENT_SECONDS),
      MAX_END_ALIGNMENT_SECONDS,
    );
    end = Math.floor(nowSeconds / alignment) * alignment;
    start = end - PRESET_SECONDS[preset];
  }
  const duration = end - start;
  const step = stepFor(duration);
  const points = Math.ceil(duration / step);
  end = Math.floor(end);
  start = end - points * step;
  const rateWindow = Math.max(step, Math.ceil(4 * scrapeIntervalSeconds));
  return { ...(preset ? { preset } : {}), start, end, step, rateWindow };
}

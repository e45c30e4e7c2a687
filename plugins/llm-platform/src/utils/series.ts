import type { MetricSeries } from '@llm-platform/backstage-plugin-llm-platform-common';

/**
 * Change of the series' mean over the last half of the range against the half
 * before it; null when either half has no points or the earlier mean is 0.
 */
export function changeAgainstPreviousPeriod(
  series: MetricSeries,
  start: number,
  end: number,
): number | null {
  const middle = (start + end) / 2;
  let earlierSum = 0;
  let earlierCount = 0;
  let laterSum = 0;
  let laterCount = 0;
  for (const [time, value] of series.points) {
    if (time < middle) {
      earlierSum += value;
      earlierCount += 1;
    } else {
      laterSum += value;
      laterCount += 1;
    }
  }
  if (!earlierCount || !laterCount || earlierSum === 0) {
    return null;
  }
  return laterSum / laterCount / (earlierSum / earlierCount) - 1;
}

/** Minimum, mean and maximum of a series' points; null when it has none. */
export function seriesStats(
  series: MetricSeries,
): { min: number; mean: number; max: number } | null {
  if (!series.points.length) return null;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const [, value] of series.points) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  return { min, max, mean: sum / series.points.length };
}

// The quantile of a classic Prometheus histogram, computed exactly as
// Prometheus's histogram_quantile does (promql/quantile.go, bucketQuantile in
// 2.x): linear interpolation inside the bucket holding the rank, the first
// bucket starting at 0, a rank in the +Inf bucket answering the highest
// finite bound, and non-monotonic counts forced monotonic.

export interface Bucket {
  /** Upper bound (`le`); `Infinity` for `+Inf`. */
  le: number;
  /** Cumulative count or rate of observations <= le. */
  count: number;
}

/** Parses an `le` label value as Prometheus does; NaN when unparseable. */
export function parseLe(value: string): number {
  if (
    value === '+Inf' ||
    value === 'Inf' ||
    value === '+inf' ||
    value === 'inf'
  )
    return Infinity;
  if (value === '-Inf' || value === '-inf') return -Infinity;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)
    ? Number(value)
    : NaN;
}

/**
 * The q-quantile of the distribution the buckets describe, or NaN when it is
 * undefined (no +Inf bucket, fewer than two buckets, or no observations).
 */
export function histogramQuantile(q: number, input: Bucket[]): number {
  return histogramQuantiles([q], input)[0];
}

/** Several quantiles of the same buckets, preparing the buckets once. */
export function histogramQuantiles(qs: number[], input: Bucket[]): number[] {
  const sorted = input
    .filter(b => !Number.isNaN(b.le))
    .sort((a, b) => a.le - b.le);
  // Buckets with the same bound (from differently formatted `le`) are merged.
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.le === b.le) last.count += b.count;
    else buckets.push({ ...b });
  }
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  return qs.map(q => quantileOfPrepared(q, buckets));
}

function quantileOfPrepared(q: number, buckets: Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (buckets.length === 0 || buckets[buckets.length - 1].le !== Infinity) {
    return NaN;
  }
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b].count >= rank)) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2].le;
  if (b === 0 && buckets[0].le <= 0) return buckets[0].le;
  let bucketStart = 0;
  const bucketEnd = buckets[b].le;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].le;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

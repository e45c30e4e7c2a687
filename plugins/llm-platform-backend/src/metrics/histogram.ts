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
  const les: number[] = [];
  const counts: number[] = [];
  for (const b of sorted) {
    if (les.length && les[les.length - 1] === b.le) {
      counts[counts.length - 1] += b.count;
    } else {
      les.push(b.le);
      counts.push(b.count);
    }
  }
  return sortedBucketQuantiles(qs, les, counts);
}

/**
 * The same on buckets already sorted by distinct bounds: `les[i]` and
 * `counts[i]`, for the first `length` entries (all by default). `counts` is
 * made monotonic in place, as Prometheus does.
 */
export function sortedBucketQuantiles(
  qs: number[],
  les: ArrayLike<number>,
  counts: { [i: number]: number; length: number },
  length = les.length,
): number[] {
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    if (counts[i] > max) max = counts[i];
    else if (counts[i] < max) counts[i] = max;
  }
  return qs.map(q => quantileOfPrepared(q, les, counts, length));
}

function quantileOfPrepared(
  q: number,
  les: ArrayLike<number>,
  counts: ArrayLike<number>,
  length: number,
): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (length === 0 || les[length - 1] !== Infinity) return NaN;
  if (length < 2) return NaN;
  const observations = counts[length - 1];
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < length - 1 && !(counts[b] >= rank)) b++;
  if (b === length - 1) return les[length - 2];
  if (b === 0 && les[0] <= 0) return les[0];
  let bucketStart = 0;
  const bucketEnd = les[b];
  let count = counts[b];
  if (b > 0) {
    bucketStart = les[b - 1];
    count -= counts[b - 1];
    rank -= counts[b - 1];
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

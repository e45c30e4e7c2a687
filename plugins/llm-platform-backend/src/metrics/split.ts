// Splits a range query by time at TSDB block boundaries.
//
// Prometheus stores samples in blocks that each cover an aligned span of
// time: a block of size S starts at a multiple of S since the epoch, and
// compaction makes blocks of 2 h x 3^k (18 h is the largest for the default
// 15-day retention, whose blocks stop at 10% of it). A query whose samples
// come from two blocks reads each series through a merge of both, which in
// Prometheus 2.42 costs about a fifth more CPU than reading each block on
// its own (docs/benchmarks.md, "Latency panel"). Each piece here reads one
// block; the few points whose rate window crosses a boundary are asked for
// in a query of their own. Every point is
// evaluated exactly as in the unsplit query (PromQL evaluates each step of a
// range query on its own), so the pieces put together are the same answer.

/** Start, end and step of a range query, in seconds. */
export interface SubRange {
  start: number;
  end: number;
  step: number;
}

export interface RangeSplit {
  /** Runs of points whose window lies inside one aligned span. */
  pieces: SubRange[];
  /** Points whose window crosses a boundary. */
  straddles: SubRange[];
}

const HOUR = 3600;
/** Compacted block sizes, smallest first; boundaries at their multiples. */
export const BLOCK_SPANS = [18 * HOUR, 54 * HOUR, 162 * HOUR, 486 * HOUR];
/** Shorter ranges are read from the newest blocks and the head anyway. */
export const MIN_SPLIT_RANGE = 6 * HOUR;

/**
 * Splits `range` (points at `start + i * step` up to `end`) so that no piece
 * reads samples from both sides of a block boundary, for a selector reading
 * `windowSeconds` before each point (the rate window). The span is the
 * smallest with at most `maxBoundaries` (default 2) boundaries in the range,
 * so a query makes a small, fixed number of pieces. Straddling points that
 * are single and a span apart are asked for in one query.
 *
 * With `attach`, each run of straddling points joins the shorter piece next
 * to it instead of making a query of its own: that piece then merges both
 * blocks, which for a cheap query costs about what the extra query would.
 */
export function splitAtBlocks(
  range: SubRange,
  windowSeconds: number,
  options: { attach?: boolean; maxBoundaries?: number } = {},
): RangeSplit {
  const maxBoundaries = options.maxBoundaries ?? 2;
  const { start, end, step } = range;
  const whole = { pieces: [{ start, end, step }], straddles: [] };
  if (end - start < MIN_SPLIT_RANGE) return whole;
  const boundaries = (span: number) =>
    Math.floor(end / span) - Math.floor((start - windowSeconds) / span);
  const span = BLOCK_SPANS.find(s => boundaries(s) <= maxBoundaries);
  if (span === undefined || boundaries(span) === 0) return whole;

  const pieces: SubRange[] = [];
  const straddles: number[][] = [];
  let run: { home: number; start: number; end: number } | undefined;
  for (let t = start; t <= end; t += step) {
    const home = Math.floor(t / span);
    if (Math.floor((t - windowSeconds) / span) !== home) {
      // The window starts in the previous span.
      const last = straddles[straddles.length - 1];
      if (last && last[last.length - 1] === t - step) last.push(t);
      else straddles.push([t]);
      continue;
    }
    if (run && run.home === home) run.end = t;
    else {
      if (run) pieces.push({ start: run.start, end: run.end, step });
      run = { home, start: t, end: t };
    }
  }
  if (run) pieces.push({ start: run.start, end: run.end, step });
  if (options.attach)
    return { pieces: attach(pieces, straddles), straddles: [] };
  if (
    straddles.length > 1 &&
    span % step === 0 &&
    straddles.every(r => r.length === 1)
  ) {
    // One point per boundary, each the same offset past it: one query.
    return {
      pieces,
      straddles: [
        {
          start: straddles[0][0],
          end: straddles[straddles.length - 1][0],
          step: span,
        },
      ],
    };
  }
  return {
    pieces,
    straddles: straddles.map(s => ({
      start: s[0],
      end: s[s.length - 1],
      step,
    })),
  };
}

/** Joins each run of straddling points to the shorter piece beside it. */
function attach(pieces: SubRange[], straddles: number[][]): SubRange[] {
  const out = pieces.map(p => ({ ...p }));
  for (const run of straddles) {
    const first = run[0];
    const last = run[run.length - 1];
    const before = out.find(p => p.end === first - p.step);
    const after = out.find(p => p.start === last + p.step);
    const length = (p: SubRange) => p.end - p.start;
    if (after && (!before || length(after) <= length(before))) {
      after.start = first;
    } else if (before) {
      before.end = last;
    } else {
      out.push({ start: first, end: last, step: pieces[0]?.step ?? 0 });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

import { BLOCK_SPANS, SubRange, splitAtBlocks } from './split';

const HOUR = 3600;
const SPAN = BLOCK_SPANS[0];

function points(r: SubRange): number[] {
  const out: number[] = [];
  for (let t = r.start; t <= r.end; t += r.step) out.push(t);
  return out;
}

/** Checks the split against the rules it promises, for any range. */
function checkSplit(range: SubRange, window: number, span = SPAN) {
  const split = splitAtBlocks(range, window);
  const all = [...split.pieces, ...split.straddles].flatMap(points);
  // Every point of the range exactly once, on the range's grid.
  expect([...all].sort((a, b) => a - b)).toEqual(points(range));
  for (const piece of split.pieces) {
    expect(piece.step).toBe(range.step);
    // A piece reads from start - window to end: one aligned span.
    expect(Math.floor((piece.start - window) / span)).toBe(
      Math.floor(piece.end / span),
    );
  }
  return split;
}

describe('splitAtBlocks', () => {
  it('splits a 24 h range at the 18 h boundary inside it, with the straddling point alone', () => {
    const boundary = 27_000 * SPAN;
    const range = {
      start: boundary - 14 * HOUR,
      end: boundary + 10 * HOUR,
      step: 300,
    };
    const split = checkSplit(range, 300);
    expect(split.pieces).toEqual([
      { start: range.start, end: boundary - 300, step: 300 },
      { start: boundary + 300, end: range.end, step: 300 },
    ]);
    // The point at the boundary reads [boundary - 300, boundary]: both blocks.
    expect(split.straddles).toEqual([
      { start: boundary, end: boundary, step: 300 },
    ]);
  });

  it('answers the straddling points of two boundaries with one query a span apart', () => {
    const boundary = 27_000 * SPAN;
    const range = {
      start: boundary - 2 * HOUR - 15,
      end: boundary + SPAN + 4 * HOUR - 15,
      step: 300,
    };
    const split = checkSplit(range, 300);
    expect(split.pieces).toHaveLength(3);
    expect(split.straddles).toEqual([
      { start: boundary + 285, end: boundary + SPAN + 285, step: SPAN },
    ]);
  });

  it('splits at one boundary at most when asked to: the next span, or none', () => {
    const boundary = 27_000 * SPAN;
    const range = {
      start: boundary - 2 * HOUR - 15,
      end: boundary + SPAN + 4 * HOUR - 15,
      step: 300,
    };
    const split = splitAtBlocks(range, 300, { attach: true, maxBoundaries: 1 });
    expect(split.pieces.length).toBeLessThanOrEqual(2);
    expect(split.straddles).toEqual([]);
    const all = split.pieces.flatMap(points);
    expect(all.sort((a, b) => a - b)).toEqual(points(range));
  });

  it('keeps every point whose window crosses a boundary out of the pieces when the window is longer than the step', () => {
    const boundary = 27_000 * SPAN;
    const range = {
      start: boundary - 5 * HOUR,
      end: boundary + 3 * HOUR,
      step: 60,
    };
    const split = checkSplit(range, 240);
    expect(split.straddles).toEqual([
      { start: boundary, end: boundary + 180, step: 60 },
    ]);
  });

  it('joins the straddling point to the shorter piece when asked to', () => {
    const boundary = 27_000 * SPAN;
    const range = {
      start: boundary - 14 * HOUR,
      end: boundary + 10 * HOUR,
      step: 300,
    };
    expect(splitAtBlocks(range, 300, { attach: true })).toEqual({
      pieces: [
        { start: range.start, end: boundary - 300, step: 300 },
        { start: boundary, end: range.end, step: 300 },
      ],
      straddles: [],
    });
    const early = { ...range, start: boundary - 4 * HOUR };
    expect(splitAtBlocks(early, 300, { attach: true }).pieces).toEqual([
      { start: early.start, end: boundary, step: 300 },
      { start: boundary + 300, end: range.end, step: 300 },
    ]);
  });

  it('sends short ranges and ranges without a boundary whole', () => {
    const boundary = 27_000 * SPAN;
    const short = { start: boundary - 1800, end: boundary + 1800, step: 15 };
    expect(splitAtBlocks(short, 120)).toEqual({
      pieces: [short],
      straddles: [],
    });
    const inside = {
      start: boundary + HOUR,
      end: boundary + 7 * HOUR,
      step: 120,
    };
    expect(splitAtBlocks(inside, 120)).toEqual({
      pieces: [inside],
      straddles: [],
    });
  });

  it('uses larger spans for long ranges, so a 7 d range still makes few pieces', () => {
    const range = { start: 1_759_000_000, end: 1_759_604_800, step: 3600 };
    const split = checkSplit(range, 3600, BLOCK_SPANS[2]);
    expect(split.pieces.length).toBeLessThanOrEqual(3);
    expect(split.straddles.length).toBeLessThanOrEqual(1);
  });
});

import { Grid } from './timeline';
import { SettledPoints, settleSeconds } from './settledPoints';

const step = 60;
const grid = (start: number, points = 10) =>
  new Grid({ start, end: start + (points - 1) * step, step });
const series = (g: Grid, labels: Record<string, string>, f: (t: number) => number) => {
  const values = g.empty();
  for (let i = 0; i < g.size; i++) values[i] = f(g.time(i));
  return { labels, values };
};
const times = (g: Grid, values: Float64Array) =>
  [...values].flatMap((v, i) => (Number.isNaN(v) ? [] : [[g.time(i), v]]));

describe('SettledPoints', () => {
  it('gives back the settled points of a later, overlapping grid, and where to ask from', () => {
    const cache = new SettledPoints();
    const first = grid(6000);
    cache.put(
      'q',
      first,
      [series(first, { pod: 'a' }, t => t / 60), series(first, { pod: 'b' }, () => 1)],
      // 6000 + 7 * 60 settled; 6480 and 6540 are not yet.
      6000 + 7 * 60 + 30,
    );
    const later = grid(6000 + 3 * step);
    const { series: cached, next } = cache.take('q', later);
    expect(next).toBe(6000 + 8 * step);
    expect(cached.map(s => s.labels)).toEqual([{ pod: 'a' }, { pod: 'b' }]);
    expect(times(later, cached[0].values)).toEqual(
      [3, 4, 5, 6, 7].map(i => [6000 + i * step, (6000 + i * step) / 60]),
    );
    // Past the settled points the new grid is empty: those are asked for.
    expect(cached[0].values.length).toBe(later.size);
    expect(Number.isNaN(cached[0].values[5])).toBe(true);
  });

  it('merges an answer given in pieces into one series per label set', () => {
    const cache = new SettledPoints();
    const g = grid(6000);
    const early = series(g, { pod: 'a' }, t => (t < 6300 ? 1 : NaN));
    const late = series(g, { pod: 'a' }, t => (t >= 6300 ? 2 : NaN));
    cache.put('q', g, [early, late], 10_000);
    const { series: cached, next } = cache.take('q', g);
    expect(next).toBe(g.time(g.size - 1) + step);
    expect(cached).toHaveLength(1);
    expect([...cached[0].values]).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it('reuses nothing on another step or phase, for an earlier start, or when nothing had settled', () => {
    const cache = new SettledPoints();
    const g = grid(6000);
    cache.put('q', g, [series(g, {}, () => 1)], 10_000);
    expect(cache.take('q', grid(6030)).next).toBe(6030);
    expect(cache.take('q', grid(5940)).next).toBe(5940);
    expect(
      cache.take('q', new Grid({ start: 6000, end: 6600, step: 120 })).next,
    ).toBe(6000);
    expect(cache.take('other', g).next).toBe(6000);
    cache.put('q', g, [series(g, {}, () => 1)], 5990);
    expect(cache.take('q', g)).toEqual({ series: [], next: 6000 });
  });

  it('asks again for everything once the points it holds are older than the limit', () => {
    let now = 0;
    const cache = new SettledPoints({ maxAgeMs: 600_000, now: () => now });
    const g = grid(6000);
    cache.put('q', g, [series(g, {}, () => 1)], 6300);
    now = 300_000;
    // Carried over into the next answer, the points keep their age.
    const next = grid(6000 + step);
    const { series: carried } = cache.take('q', next);
    cache.put('q', next, carried, 6400);
    now = 600_001;
    expect(cache.take('q', next).next).toBe(next.start);
    // A full answer after that starts a new entry.
    cache.put('q', next, [series(next, {}, () => 1)], 6400);
    expect(cache.take('q', next).next).toBe(6420);
  });

  it('keeps at most its budget of bytes, dropping the least recently used', () => {
    const g = grid(6000, 100); // 800 bytes of values a series
    const cache = new SettledPoints({ maxBytes: 2000 });
    cache.put('a', g, [series(g, {}, () => 1)], 100_000);
    cache.put('b', g, [series(g, {}, () => 1)], 100_000);
    cache.take('a', g);
    cache.put('c', g, [series(g, {}, () => 1)], 100_000);
    expect(cache.take('a', g).series).toHaveLength(1);
    expect(cache.take('b', g).series).toHaveLength(0);
    expect(cache.take('c', g).series).toHaveLength(1);
    const off = new SettledPoints({ maxBytes: 0 });
    off.put('a', g, [series(g, {}, () => 1)], 100_000);
    expect(off.take('a', g)).toEqual({ series: [], next: 6000 });
  });

  it('counts a point settled two scrape intervals and 30 s after its time, a minute at least', () => {
    expect(settleSeconds(15)).toBe(60);
    expect(settleSeconds(30)).toBe(90);
    expect(settleSeconds(60)).toBe(150);
  });
});

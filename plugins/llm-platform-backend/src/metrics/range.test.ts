import { MAX_POINTS, resolveTimeRange } from './range';

const now = 1_760_000_207;
const opts = { nowSeconds: now, scrapeIntervalSeconds: 30 };

describe('resolveTimeRange', () => {
  it.each([
    ['15m', 15, 120, 1_760_000_205],
    ['1h', 15, 120, 1_760_000_205],
    ['6h', 120, 120, 1_760_000_160],
    ['24h', 300, 300, 1_760_000_100],
    ['7d', 3600, 3600, 1_760_000_100],
  ])(
    '%s: step %d s, rate window %d s, at most 300 points, ending at %d',
    (range, step, rateWindow, end) => {
      const r = resolveTimeRange({ range }, opts);
      expect(r).toMatchObject({
        preset: range,
        step,
        rateWindow,
        end,
      });
      // The newest point is on the step grid, at most 5 minutes back.
      expect(now - r.end).toBeLessThan(Math.min(step, 300));
      expect(r.end % Math.min(step, 300)).toBe(0);
      expect((r.end - r.start) / r.step).toBeLessThanOrEqual(MAX_POINTS);
      expect((r.end - r.start) % r.step).toBe(0);
    },
  );

  it('defaults to 1h', () => {
    expect(resolveTimeRange({}, opts).preset).toBe('1h');
  });

  it('accepts start and end as unix seconds or ISO times', () => {
    const r = resolveTimeRange(
      { start: '2025-10-09T00:00:00Z', end: String(now - 100) },
      opts,
    );
    expect(r.preset).toBeUndefined();
    expect(r.end).toBe(now - 100);
    expect((r.end - r.start) / r.step).toBeLessThanOrEqual(MAX_POINTS);
    expect(r.start).toBeLessThanOrEqual(
      Date.parse('2025-10-09T00:00:00Z') / 1000,
    );
  });

  it.each([
    [
      { range: '2h' },
      /range "2h" is not supported: use one of 15m, 1h, 6h, 24h, 7d/,
    ],
    [
      { range: '1h', start: '1', end: '2' },
      /either "range" or "start" and "end"/,
    ],
    [{ start: '1' }, /given together/],
    [
      { start: 'yesterday', end: String(now) },
      /start "yesterday" is not a time/,
    ],
    [
      { start: String(now), end: String(now - 3600) },
      /between 60 seconds and 31 days/,
    ],
    [{ start: '0', end: String(now) }, /between 60 seconds and 31 days/],
    [{ start: String(now), end: String(now + 7200) }, /in the future/],
  ])('rejects %p', (input, message) => {
    expect(() => resolveTimeRange(input, opts)).toThrow(message);
  });
});

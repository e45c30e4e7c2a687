import { histogramQuantile, parseLe } from './histogram';

const b = (pairs: Array<[number, number]>) =>
  pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket holding the rank', () => {
    const buckets = b([
      [1, 10],
      [2, 30],
      [4, 40],
      [Infinity, 40],
    ]);
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(1.5);
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(1);
    expect(histogramQuantile(0.1, buckets)).toBeCloseTo(0.4); // first bucket starts at 0
    expect(histogramQuantile(0.9, buckets)).toBeCloseTo(3.2);
  });

  it('answers the highest finite bound when the rank is in +Inf', () => {
    expect(
      histogramQuantile(
        0.99,
        b([
          [1, 1],
          [2, 2],
          [Infinity, 10],
        ]),
      ),
    ).toBe(2);
  });

  it('is undefined without +Inf, with one bucket or no observations', () => {
    expect(
      histogramQuantile(
        0.5,
        b([
          [1, 1],
          [2, 2],
        ]),
      ),
    ).toBeNaN();
    expect(histogramQuantile(0.5, b([[Infinity, 5]]))).toBeNaN();
    expect(
      histogramQuantile(
        0.5,
        b([
          [1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeNaN();
  });

  it('handles q outside [0, 1], unsorted input and non-monotonic counts like Prometheus', () => {
    expect(
      histogramQuantile(
        -1,
        b([
          [1, 1],
          [Infinity, 1],
        ]),
      ),
    ).toBe(-Infinity);
    expect(
      histogramQuantile(
        2,
        b([
          [1, 1],
          [Infinity, 1],
        ]),
      ),
    ).toBe(Infinity);
    const unsorted = b([
      [Infinity, 40],
      [2, 30],
      [1, 10],
      [4, 40],
    ]);
    expect(histogramQuantile(0.5, unsorted)).toBeCloseTo(1.5);
    // 2 -> 8 dips below 1 -> 10 and is raised to 10 (else 3.1667).
    expect(
      histogramQuantile(
        0.75,
        b([
          [1, 10],
          [2, 8],
          [4, 20],
          [Infinity, 20],
        ]),
      ),
    ).toBeCloseTo(3);
  });

  it('merges buckets with the same bound', () => {
    expect(
      histogramQuantile(
        0.5,
        b([
          [1, 5],
          [1, 5],
          [2, 30],
          [Infinity, 30],
        ]),
      ),
    ).toBeCloseTo(1.25);
  });
});

describe('parseLe', () => {
  it('parses Prometheus bound formats', () => {
    expect(parseLe('+Inf')).toBe(Infinity);
    expect(parseLe('0.25')).toBe(0.25);
    expect(parseLe('1e-3')).toBe(0.001);
    expect(parseLe('abc')).toBeNaN();
  });
});

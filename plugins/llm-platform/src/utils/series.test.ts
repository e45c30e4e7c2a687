import { changeAgainstPreviousPeriod, seriesStats } from './series';

describe('series', () => {
  it('compares the last half of the range with the half before', () => {
    const series = {
      points: [
        [0, 1],
        [10, 1],
        [20, 1.5],
        [30, 1.5],
      ] as [number, number][],
      now: 1.5,
    };
    expect(changeAgainstPreviousPeriod(series, 0, 40)).toBeCloseTo(0.5);
  });

  it('has no change when a half has no points', () => {
    const series = { points: [[30, 2]] as [number, number][], now: 2 };
    expect(changeAgainstPreviousPeriod(series, 0, 40)).toBeNull();
  });

  it('computes minimum, mean and maximum', () => {
    const series = {
      points: [
        [0, 1],
        [1, 3],
        [2, 2],
      ] as [number, number][],
      now: 2,
    };
    expect(seriesStats(series)).toEqual({ min: 1, mean: 2, max: 3 });
    expect(seriesStats({ points: [], now: null })).toBeNull();
  });
});

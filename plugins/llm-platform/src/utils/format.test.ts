import {
  formatAge,
  formatChange,
  formatDurationLabel,
  formatFraction,
  formatMiB,
  formatPercent,
  formatRate,
  formatSeconds,
} from './format';

describe('format', () => {
  it('writes latencies in ms below a second and in s above', () => {
    expect(formatSeconds(0.0042)).toBe('4.2 ms');
    expect(formatSeconds(0.42)).toBe('420 ms');
    expect(formatSeconds(1.2345)).toBe('1.23 s');
    expect(formatSeconds(42.25)).toBe('42.3 s');
    expect(formatSeconds(300)).toBe('5 min');
    expect(formatSeconds(null)).toBe('–');
  });

  it('writes rates with their unit', () => {
    expect(formatRate(712.4, 'tok/s')).toBe('712 tok/s');
    expect(formatRate(3.214, 'req/s')).toBe('3.21 req/s');
    expect(formatRate(12345, 'tok/s')).toBe('12,345 tok/s');
    expect(formatRate(undefined, 'tok/s')).toBe('–');
  });

  it('writes fractions and percentages', () => {
    expect(formatFraction(0.875)).toBe('88 %');
    expect(formatFraction(0.051)).toBe('5.1 %');
    expect(formatPercent(78)).toBe('78 %');
  });

  it('writes GPU memory in MiB or GiB', () => {
    expect(formatMiB(512)).toBe('512 MiB');
    expect(formatMiB(15_360)).toBe('15 GiB');
    expect(formatMiB(13_900)).toBe('13.6 GiB');
  });

  it('writes pod ages like kubectl', () => {
    expect(formatAge(45)).toBe('45s');
    expect(formatAge(720)).toBe('12m');
    expect(formatAge(3_700)).toBe('1h 1m');
    expect(formatAge(190_080)).toBe('2d 4h');
    expect(formatAge(undefined)).toBe('–');
  });

  it('writes changes with a sign', () => {
    expect(formatChange(0.123)).toBe('+12 %');
    expect(formatChange(-0.05)).toBe('−5 %');
    expect(formatChange(0.001)).toBe('±0 %');
    expect(formatChange(null)).toBe('–');
  });

  it('writes durations and steps in s, min, h or d', () => {
    expect(formatDurationLabel(15)).toBe('15 s');
    expect(formatDurationLabel(300)).toBe('5 min');
    expect(formatDurationLabel(3 * 3600)).toBe('3 h');
    expect(formatDurationLabel(3.5 * 86400)).toBe('3.5 d');
  });
});

// Formatters are made once: `toLocaleString` with options builds a new one on
// every call, which the chart axes and tables make thousands of.
const numberFormats = new Map<number, Intl.NumberFormat>();
const number = (value: number, digits: number) => {
  let format = numberFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      maximumFractionDigits: digits,
      minimumFractionDigits: 0,
    });
    numberFormats.set(digits, format);
  }
  return format.format(value);
};

/** A latency in seconds, as `850 ms`, `1.24 s` or `3.5 min`. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '–';
  }
  if (seconds < 1) {
    return `${number(seconds * 1000, seconds < 0.01 ? 2 : 0)} ms`;
  }
  if (seconds < 120) {
    return `${number(seconds, seconds < 10 ? 2 : 1)} s`;
  }
  return `${number(seconds / 60, 1)} min`;
}

/** A rate with its unit, as `1,234 tok/s` or `0.42 req/s`. */
export function formatRate(
  value: number | null | undefined,
  unit: 'tok/s' | 'req/s' | '/s',
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  let digits = 0;
  if (value < 10) digits = 2;
  else if (value < 100) digits = 1;
  return `${number(value, digits)} ${unit}`;
}

/** A fraction 0..1 as a percentage, as `87.5 %`. */
export function formatFraction(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  return formatPercent(value * 100);
}

/** A percentage 0..100, as `87.5 %`. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  return `${number(value, value < 10 ? 1 : 0)} %`;
}

/** A count of requests, as `3` or `2.5` (a mean over engines may be fractional). */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  return number(value, 1);
}

/** Memory in MiB, as `13.2 GiB` or `512 MiB`. */
export function formatMiB(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  return value >= 1024
    ? `${number(value / 1024, 1)} GiB`
    : `${number(value, 0)} MiB`;
}

/** A pod age, as `45s`, `12m`, `5h 3m` or `3d 4h`. */
export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '–';
  }
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** A relative change, as `+12 %`, `−5 %` or `±0 %`. */
export function formatChange(change: number | null): string {
  if (change === null || !Number.isFinite(change)) {
    return '–';
  }
  const percent = Math.round(change * 100);
  if (percent === 0) return '±0 %';
  return percent > 0 ? `+${percent} %` : `−${Math.abs(percent)} %`;
}

/** A duration in words, as `15 s`, `5 min` or `7 d`. */
export function formatDurationLabel(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${number(seconds / 3600, 1)} h`;
  return `${number(seconds / 86400, 1)} d`;
}

const CLOCK = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
});
const DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
});

/** A clock time for axes and "updated at", as `14:05`. */
export function formatClock(unixSeconds: number, withDate = false): string {
  const date = new Date(unixSeconds * 1000);
  const time = CLOCK.format(date);
  if (!withDate) return time;
  return `${DAY.format(date)} ${time}`;
}

// Reuse of settled points between range queries.
//
// A range query's point at time t is evaluated from the samples up to t, so
// once every sample up to t has been scraped and stored the point no longer
// changes. Refreshing a 24 h panel every few seconds then needs only the
// points the previous answer did not have yet. The same idea, with the same
// precondition, is the results cache of the Cortex, Thanos and Mimir query
// frontends: answers are reused only when their steps fall on the same grid
// (resolveTimeRange aligns a preset range's end to its step for this), and
// the newest points are never reused ("max freshness"). This is a small,
// purpose-built version: those frontends are Go services, and the data is
// already on this service's step grid (timeline.ts).

import { LRUCache } from 'lru-cache';
import type { GridSeries } from './PrometheusClient';

/** The grid of a response: points at `start + i * step`, `size` of them. */
export interface PointGrid {
  start: number;
  step: number;
  size: number;
  empty(): Float64Array;
}

interface Entry {
  start: number;
  step: number;
  /** Time of the newest settled point kept; every point up to it is known. */
  settledTo: number;
  series: GridSeries[];
  /** When the oldest of these points was asked for (ms). */
  bornAt: number;
}

export interface SettledPointsOptions {
  /** Bytes of point values kept across all queries; 0 keeps none. */
  maxBytes?: number;
  /**
   * How long a point is reused after Prometheus first answered it (ms), so
   * that a backfill or a restarted Prometheus shows within this time.
   */
  maxAgeMs?: number;
  now?: () => number;
}

export interface CachedPoints {
  /** The cached series on the new grid, NaN past the cached points. */
  series: GridSeries[];
  /** The first point that is not cached: ask Prometheus from here. */
  next: number;
}

/** A cache of settled range-query points, keyed by query (instance, PromQL). */
export class SettledPoints {
  private readonly entries?: LRUCache<string, Entry>;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: SettledPointsOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    if (maxBytes <= 0) return;
    this.entries = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      sizeCalculation: e =>
        Math.max(
          1,
          e.series.reduce((n, s) => n + s.values.byteLength + 64, 0),
        ),
    });
  }

  /**
   * The points of `key` already settled on `grid`, or none when the entry is
   * missing, too old, on another step or phase, or starts after the grid.
   */
  take(key: string, grid: PointGrid): CachedPoints {
    const none = { series: [], next: grid.start };
    const e = this.entries?.get(key);
    if (
      !e ||
      this.now() - e.bornAt > this.maxAgeMs ||
      e.step !== grid.step ||
      grid.start < e.start ||
      (grid.start - e.start) % grid.step !== 0 ||
      e.settledTo < grid.start
    ) {
      return none;
    }
    const offset = (grid.start - e.start) / grid.step;
    const count = Math.min(
      grid.size,
      (e.settledTo - grid.start) / grid.step + 1,
    );
    const series: GridSeries[] = [];
    for (const s of e.series) {
      const values = grid.empty();
      let any = false;
      for (let i = 0; i < count; i++) {
        const v = s.values[offset + i];
        if (!Number.isNaN(v)) {
          values[i] = v;
          any = true;
        }
      }
      if (any) series.push({ labels: s.labels, values });
    }
    return { series, next: grid.start + count * grid.step };
  }

  /**
   * Keeps the points of `series` (the whole answer of `key` on `grid`, cached
   * and new) up to `settledUntil`, a time by which every sample is stored.
   * Points carried over from a usable entry keep its age.
   */
  put(
    key: string,
    grid: PointGrid,
    series: GridSeries[],
    settledUntil: number,
  ): void {
    if (!this.entries) return;
    const previous = this.entries.get(key);
    const count = Math.min(
      grid.size,
      Math.floor((settledUntil - grid.start) / grid.step) + 1,
    );
    if (count <= 0) {
      this.entries.delete(key);
      return;
    }
    // One array per label set: an answer split in pieces has several.
    const byLabels = new Map<string, GridSeries>();
    for (const s of series) {
      const id = JSON.stringify(s.labels);
      let kept = byLabels.get(id);
      if (!kept) {
        kept = {
          labels: s.labels,
          values: new Float64Array(count).fill(NaN),
        };
        byLabels.set(id, kept);
      }
      for (let i = 0; i < count; i++) {
        const v = s.values[i];
        if (!Number.isNaN(v) && Number.isNaN(kept.values[i])) {
          kept.values[i] = v;
        }
      }
    }
    const continues =
      previous &&
      previous.step === grid.step &&
      grid.start >= previous.start &&
      (grid.start - previous.start) % grid.step === 0 &&
      previous.settledTo >= grid.start &&
      this.now() - previous.bornAt <= this.maxAgeMs;
    this.entries.set(key, {
      start: grid.start,
      step: grid.step,
      settledTo: grid.start + (count - 1) * grid.step,
      series: [...byLabels.values()],
      bornAt: continues ? previous.bornAt : this.now(),
    });
  }
}

/**
 * Seconds after which a point is settled: every sample up to it has been
 * scraped and stored. Two scrape intervals and half a minute of margin for
 * slow scrapes and ingestion, and never less than a minute (the query
 * frontends' default "max freshness").
 */
export function settleSeconds(scrapeIntervalSeconds: number): number {
  return Math.max(60, 2 * scrapeIntervalSeconds + 30);
}

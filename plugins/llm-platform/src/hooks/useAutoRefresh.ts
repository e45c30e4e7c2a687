import { useEffect, useState } from 'react';

/** Intervals offered by the refresh control, in milliseconds. */
export const REFRESH_INTERVALS_MS = [10_000, 30_000, 60_000, 300_000];

/**
 * A counter that increases every `intervalMs` while enabled and the page is
 * visible; data hooks refetch when it changes.
 */
export function useAutoRefresh(intervalMs: number, enabled: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || !document.hidden) {
        setTick(t => t + 1);
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, enabled]);
  return tick;
}

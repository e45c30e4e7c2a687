import { startTransition, useEffect, useRef, useState } from 'react';

/** The state of data that is loaded once and then refreshed in place. */
export interface PolledData<T> {
  value?: T;
  /** The last load's error; `value` then still holds the previous data. */
  error?: Error;
  /** True until the first value for the current `key` arrives. */
  loading: boolean;
}

/**
 * Loads with `load` whenever `key` changes and again on every `tick`. A
 * refresh keeps the previous value on screen, and a refresh that returns the
 * very same object changes no state, so nothing re-renders.
 */
export function usePolledData<T>(
  load: () => Promise<T>,
  key: string,
  tick: number,
): PolledData<T> {
  const [state, setState] = useState<PolledData<T>>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  const hasValue = useRef(false);

  useEffect(() => {
    let cancelled = false;
    if (keyRef.current !== key) {
      keyRef.current = key;
      setState(s => ({ value: s.value, loading: true }));
    }
    loadRef.current().then(
      value => {
        if (cancelled) return;
        const update = () =>
          setState(s =>
            s.value === value && !s.error && !s.loading
              ? s
              : { value, loading: false },
          );
        // A refresh of data already on screen renders as a transition: React
        // renders it in slices between which the page stays responsive (a
        // moved metrics range redraws every chart), instead of one long task.
        if (hasValue.current) startTransition(update);
        else update();
        hasValue.current = true;
      },
      error => {
        if (cancelled) return;
        setState(s => ({ value: s.value, error, loading: false }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [key, tick]);

  return state;
}

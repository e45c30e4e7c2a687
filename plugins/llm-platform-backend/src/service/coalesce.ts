/**
 * Shares one in-flight promise among concurrent callers with the same key, so
 * a burst of identical requests causes one upstream fan-out.
 */
export function createCoalescer() {
  const inflight = new Map<string, Promise<unknown>>();
  return function coalesce<T>(key: string, run: () => Promise<T>): Promise<T> {
    const existing = inflight.get(key) as Promise<T> | undefined;
    if (existing) {
      return existing;
    }
    const promise = run().finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  };
}

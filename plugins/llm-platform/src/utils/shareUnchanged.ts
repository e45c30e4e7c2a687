/**
 * Returns `next`, but with every subtree that deep-equals the one in `prev`
 * replaced by `prev`'s object. A wholly unchanged value returns `prev` itself.
 * This lets memoised components skip data that a refresh did not change.
 */
export function shareUnchanged<T>(prev: unknown, next: T): T {
  if (Object.is(prev, next)) {
    return prev as T;
  }
  if (Array.isArray(prev) && Array.isArray(next)) {
    let same = prev.length === next.length;
    const out = next.map((item, i) => {
      const shared = shareUnchanged(prev[i], item);
      if (shared !== prev[i]) {
        same = false;
      }
      return shared;
    });
    return (same ? prev : out) as T;
  }
  if (isPlainObject(prev) && isPlainObject(next)) {
    const prevKeys = Object.keys(prev);
    const nextKeys = Object.keys(next);
    let same = prevKeys.length === nextKeys.length;
    const out: Record<string, unknown> = {};
    for (const key of nextKeys) {
      const shared = shareUnchanged(prev[key], next[key]);
      out[key] = shared;
      if (shared !== prev[key] || !(key in prev)) {
        same = false;
      }
    }
    return (same ? prev : out) as T;
  }
  return next;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

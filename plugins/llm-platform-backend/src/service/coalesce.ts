import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';

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

/** Answers kept in this process in front of the shared CacheService. */
const HOT_ENTRIES = 256;
/** Shorter-lived answers stay in this process. */
const SHARE_MIN_TTL_MS = 1000;

/**
 * The responses cache of the plugin's views (workloads and metrics): an
 * answer is computed once per key and TTL, however many identical requests
 * arrive together, and shared with the other backend instances.
 *
 * A request is served from this process's latest answers, else it joins the
 * identical request in flight, else it reads the shared CacheService (memory
 * or Redis), else it computes. The CacheService serialises values, and a
 * large answer would cost milliseconds per read, hence the in-process layer.
 * Writes to the shared cache happen off the response path; a cache failure is
 * logged and never fails the request.
 */
export interface ResponseCache {
  get<T>(
    key: string,
    options: {
      ttlMs: number;
      compute: () => Promise<T>;
      /** Whether a computed answer may be reused; default always. */
      keep?: (value: T) => boolean;
    },
  ): Promise<T>;
}

export function createResponseCache(options: {
  cache: CacheService;
  logger: LoggerService;
}): ResponseCache {
  const { cache, logger } = options;
  const coalesce = createCoalescer();
  const hot = new Map<string, { value: unknown; expires: number }>();
  function remember(key: string, value: unknown, ttlMs: number) {
    hot.delete(key);
    if (hot.size >= HOT_ENTRIES) {
      hot.delete(hot.keys().next().value!);
    }
    hot.set(key, { value, expires: Date.now() + ttlMs });
  }
  return {
    get<T>(
      key: string,
      {
        ttlMs,
        compute,
        keep,
      }: {
        ttlMs: number;
        compute: () => Promise<T>;
        keep?: (value: T) => boolean;
      },
    ): Promise<T> {
      const local = hot.get(key);
      if (local && local.expires > Date.now()) {
        return Promise.resolve(local.value as T);
      }
      // An answer kept for less than a second is not worth sharing: reading
      // it back from the store would cost more than computing it.
      const share = ttlMs >= SHARE_MIN_TTL_MS;
      return coalesce(key, async () => {
        let shared: T | undefined;
        try {
          shared = share
            ? ((await cache.get(key)) as T | undefined)
            : undefined;
        } catch (error) {
          logger.warn('Reading the response cache failed', {
            error: String((error as Error)?.name ?? 'Error'),
          });
        }
        if (shared) {
          remember(key, shared, ttlMs);
          return shared;
        }
        const value = await compute();
        if (keep && !keep(value)) return value;
        remember(key, value, ttlMs);
        if (!share) return value;
        // After the answer is sent: the store serialises the value
        // synchronously, which for a large answer costs milliseconds.
        setImmediate(() =>
          cache
            .set(key, value as unknown as JsonValue, { ttl: ttlMs })
            .catch(error =>
              logger.warn('Writing the response cache failed', {
                error: String(error?.name ?? 'Error'),
              }),
            ),
        );
        return value;
      });
    },
  };
}

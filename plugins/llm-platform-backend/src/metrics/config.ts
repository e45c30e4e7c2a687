import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { DEFAULT_HEALTH_THRESHOLDS, HealthThresholds } from './health';
import { settleSeconds } from './settledPoints';

/** One Prometheus server, as read from `llmPlatform.prometheus.instances[]`. */
export interface PrometheusInstanceConfig {
  name: string;
  /** Base URL without the `/api/v1` suffix. */
  url: string;
  /** Clusters whose workloads this instance scrapes. */
  clusters: string[];
  timeoutMs: number;
  /** Sent with every request; values are secrets and never logged. */
  headers: Record<string, string>;
  /** Scrape interval of vLLM and dcgm-exporter, used to size rate windows. */
  scrapeIntervalSeconds: number;
  /** After this, a point's samples are all stored and it is reused as it is. */
  settleSeconds: number;
}

export interface PrometheusConfig {
  instances: PrometheusInstanceConfig[];
  defaultInstance: string;
  /** When a model counts as degraded. */
  health: HealthThresholds;
  /** Memory for settled range-query points; 0 turns their reuse off. */
  settledPointsCacheMegabytes: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SCRAPE_INTERVAL_S = 30;

function readMilliseconds(
  config: Config,
  key: string,
  fallback: number,
  prefix = '',
): number {
  if (!config.has(key)) return fallback;
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) {
    throw new InputError(
      `llmPlatform.prometheus: "${prefix}${key}" must be a positive duration such as "10s"`,
    );
  }
  return ms;
}

/**
 * Reads `llmPlatform.prometheus`. Returns undefined when the section is absent,
 * so the plugin can serve the workload view without metrics.
 */
export function readPrometheusConfig(
  root: Config,
): PrometheusConfig | undefined {
  const section = root.getOptionalConfig('llmPlatform.prometheus');
  if (!section) return undefined;
  const instances = section.getConfigArray('instances').map(c => {
    const name = c.getString('name');
    const rawUrl = c.getString('url');
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new InputError(
        `llmPlatform.prometheus instance "${name}": url "${rawUrl}" is not an absolute http(s) URL`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InputError(
        `llmPlatform.prometheus instance "${name}": url must use http or https, not ${url.protocol}`,
      );
    }
    const headers: Record<string, string> = {};
    const headerConfig = c.getOptionalConfig('headers');
    for (const key of headerConfig?.keys() ?? []) {
      headers[key] = headerConfig!.getString(key);
    }
    const token = c.getOptionalString('bearerToken');
    if (token) headers.Authorization = `Bearer ${token}`;
    const scrapeIntervalSeconds =
      readMilliseconds(c, 'scrapeInterval', DEFAULT_SCRAPE_INTERVAL_S * 1000) /
      1000;
    return {
      name,
      url: rawUrl.replace(/\/+$/, ''),
      clusters: c.getOptionalStringArray('clusters') ?? [],
      timeoutMs: readMilliseconds(c, 'timeout', DEFAULT_TIMEOUT_MS),
      headers,
      scrapeIntervalSeconds,
      settleSeconds:
        readMilliseconds(
          c,
          'pointsSettleAfter',
          settleSeconds(scrapeIntervalSeconds) * 1000,
        ) / 1000,
    };
  });
  if (instances.length === 0) {
    throw new InputError(
      'llmPlatform.prometheus.instances must list at least one instance',
    );
  }
  const names = new Set<string>();
  for (const instance of instances) {
    if (names.has(instance.name)) {
      throw new InputError(
        `llmPlatform.prometheus.instances: the name "${instance.name}" is used twice`,
      );
    }
    names.add(instance.name);
  }
  const defaultInstance =
    section.getOptionalString('defaultInstance') ?? instances[0].name;
  if (!names.has(defaultInstance)) {
    throw new InputError(
      `llmPlatform.prometheus.defaultInstance "${defaultInstance}" is not one of the instances: ${[
        ...names,
      ].join(', ')}`,
    );
  }
  const cacheKey = 'settledPointsCacheMegabytes';
  const settledPointsCacheMegabytes = section.getOptionalNumber(cacheKey) ?? 64;
  if (
    !Number.isFinite(settledPointsCacheMegabytes) ||
    settledPointsCacheMegabytes < 0
  ) {
    throw new InputError(
      `llmPlatform.prometheus.${cacheKey} must be a number of megabytes, 0 or more (0 turns the reuse of settled points off)`,
    );
  }
  return {
    instances,
    defaultInstance,
    health: readHealthThresholds(section.getOptionalConfig('health')),
    settledPointsCacheMegabytes,
  };
}

/** Reads `llmPlatform.prometheus.health`; absent keys keep their defaults. */
export function readHealthThresholds(
  health: Config | undefined,
): HealthThresholds {
  const d = DEFAULT_HEALTH_THRESHOLDS;
  if (!health) return { ...d };
  const fraction = (key: string, fallback: number, max = Infinity) => {
    const value = health.getOptionalNumber(key);
    if (value === undefined) return fallback;
    if (!(value > 0 && value <= max)) {
      throw new InputError(
        `llmPlatform.prometheus.health.${key} must be a number above 0${
          max < Infinity ? ` and at most ${max}` : ''
        }, not ${value}`,
      );
    }
    return value;
  };
  const seconds = (key: string, fallbackSeconds: number) =>
    readMilliseconds(health, key, fallbackSeconds * 1000, 'health.') / 1000;
  return {
    timeToFirstTokenP95Seconds: seconds(
      'timeToFirstTokenP95',
      d.timeToFirstTokenP95Seconds,
    ),
    interTokenLatencyP95Seconds: seconds(
      'interTokenLatencyP95',
      d.interTokenLatencyP95Seconds,
    ),
    kvCacheUsage: fraction('kvCacheUsage', d.kvCacheUsage, 1),
    preemptionsPerSecond: fraction(
      'preemptionsPerSecond',
      d.preemptionsPerSecond,
    ),
    waitingGrowthRequests: fraction(
      'waitingQueueGrowth.requests',
      d.waitingGrowthRequests,
    ),
    waitingGrowthWindowSeconds: seconds(
      'waitingQueueGrowth.within',
      d.waitingGrowthWindowSeconds,
    ),
  };
}

/**
 * Picks the instance for an entity: the one its annotation names, else the
 * first that scrapes one of its clusters, else the default.
 */
export function selectInstance(
  config: PrometheusConfig,
  options: { annotation?: string; clusters?: string[] },
): PrometheusInstanceConfig {
  if (options.annotation) {
    const named = config.instances.find(i => i.name === options.annotation);
    if (!named) {
      throw new InputError(
        `annotation "llm-platform.io/prometheus" names Prometheus instance "${
          options.annotation
        }", which is not configured; configured instances: ${config.instances
          .map(i => i.name)
          .join(', ')}`,
      );
    }
    return named;
  }
  const clusters = new Set(options.clusters ?? []);
  const byCluster = config.instances.find(i =>
    i.clusters.some(c => clusters.has(c)),
  );
  return (
    byCluster ?? config.instances.find(i => i.name === config.defaultInstance)!
  );
}

import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

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
}

export interface PrometheusConfig {
  instances: PrometheusInstanceConfig[];
  defaultInstance: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SCRAPE_INTERVAL_S = 30;

function readMilliseconds(
  config: Config,
  key: string,
  fallback: number,
): number {
  if (!config.has(key)) return fallback;
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) {
    throw new InputError(
      `llmPlatform.prometheus: "${key}" must be a positive duration such as "10s"`,
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
    return {
      name,
      url: rawUrl.replace(/\/+$/, ''),
      clusters: c.getOptionalStringArray('clusters') ?? [],
      timeoutMs: readMilliseconds(c, 'timeout', DEFAULT_TIMEOUT_MS),
      headers,
      scrapeIntervalSeconds:
        readMilliseconds(
          c,
          'scrapeInterval',
          DEFAULT_SCRAPE_INTERVAL_S * 1000,
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
  return { instances, defaultInstance };
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

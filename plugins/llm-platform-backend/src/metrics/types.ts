import type { EntityMetricsResponse } from '@llm-platform/backstage-plugin-llm-platform-common';

/**
 * What an entity's series are restricted to. The router fills it from the
 * entity's annotations and, when it has them, the pods and nodes the
 * Kubernetes view found.
 */
export interface MetricsScope {
  /** Namespaces of the entity's pods. At least one. */
  namespaces: string[];
  /** Served model names (`llm-platform.io/model-names`, or discovered from the pods' `--served-model-name`). */
  modelNames?: string[];
  /**
   * The entity's vLLM pods. Used as a matcher only up to
   * {@link MAX_POD_MATCHERS} pods; beyond that namespace and model name scope
   * the series, so a 2,000-pod entity never produces a 2,000-way regex.
   */
  pods?: string[];
  /** Nodes the entity's pods run on; GPUs there without a pod label are reported too. */
  nodes?: string[];
}

/** Pods beyond this count are not matched one by one. */
export const MAX_POD_MATCHERS = 100;

export interface EntityMetricsRequest {
  /** For logs and the cache key, for example `component:default/mistral`. */
  entityRef: string;
  scope: MetricsScope;
  /** Value of the entity's `llm-platform.io/prometheus` annotation, if any. */
  instance?: string;
  /** Clusters the entity's workloads run in; picks the instance that scrapes them. */
  clusters?: string[];
  /** One of 15m, 1h, 6h, 24h, 7d (default 1h); or give start and end. */
  range?: string;
  /** Unix seconds or ISO 8601. */
  start?: string;
  end?: string;
  /** Restrict to one served model. */
  model?: string;
}

/** Inference latency, throughput and GPU metrics of entities, from Prometheus. */
export interface MetricsService {
  /**
   * Computes the entity's metrics. Throws InputError for a bad range, model or
   * instance, and NotFoundError when no Prometheus is configured; a failing
   * Prometheus is reported per panel in the response instead.
   */
  getEntityMetrics(
    request: EntityMetricsRequest,
  ): Promise<EntityMetricsResponse>;
}

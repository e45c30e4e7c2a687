import type { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * LLM Platform. Clusters are read from `kubernetes.clusterLocatorMethods`,
   * the official Kubernetes plugin's config, so each cluster is configured once.
   */
  llmPlatform?: {
    kubernetes?: {
      /**
       * Timeout of every call to a Kubernetes API server. A request returns
       * within about this long even when a cluster hangs. Default: 5 seconds.
       */
      timeout?: HumanDuration | string;
      /**
       * Development only: read clusters from a local kubeconfig too.
       * Default: not read.
       */
      kubeconfig?: {
        /** Path of the kubeconfig. Default: KUBECONFIG or ~/.kube/config. */
        path?: string;
        /** Contexts to read, each as a cluster of that name. Default: the current context. */
        contexts?: string[];
      };
    };
    workloads?: {
      /** How long an entity's workload view is served from cache. Default: 15 seconds. */
      cacheTtl?: HumanDuration | string;
      /**
       * How long a cluster's node and storage class lists are reused by all
       * entities before they are read again, in the background. Pods are not
       * affected: they are watched. Default: 60 seconds.
       */
      clusterCacheTtl?: HumanDuration | string;
    };
    /**
     * Prometheus servers the inference metrics (latency, throughput, GPU) are
     * read from. Without this section the metrics endpoint answers that
     * metrics are not configured and everything else keeps working.
     */
    prometheus?: {
      /**
       * Name of the instance used when an entity names none (annotation
       * `llm-platform.io/prometheus`) and none scrapes its clusters.
       * Default: the first instance.
       */
      defaultInstance?: string;
      /** The Prometheus servers. At least one. */
      instances: Array<{
        /** Unique name, referenced by the `llm-platform.io/prometheus` annotation. */
        name: string;
        /** Base URL, for example `http://prometheus.monitoring:9090` (no `/api/v1`). */
        url: string;
        /**
         * Names of the clusters (as in `kubernetes.clusterLocatorMethods`)
         * this instance scrapes. Default: none.
         */
        clusters?: string[];
        /**
         * Time limit of each query, for example `10s` or `{ seconds: 10 }`.
         * Default: 10 seconds.
         */
        timeout?:
          | string
          | { milliseconds?: number; seconds?: number; minutes?: number };
        /**
         * Scrape interval of vLLM and dcgm-exporter; rate windows are at
         * least four of them. Default: 30 seconds.
         */
        scrapeInterval?:
          | string
          | { milliseconds?: number; seconds?: number; minutes?: number };
        /**
         * How long after its time a point of a range query is final (all
         * its samples stored), so that it is reused by the next request
         * instead of asked for again. Raise it behind a remote-write
         * pipeline that can lag (Mimir, Thanos Receive). Default: two scrape
         * intervals and 30 s, at least a minute.
         */
        pointsSettleAfter?:
          | string
          | { milliseconds?: number; seconds?: number; minutes?: number };
        /**
         * Sent as `Authorization: Bearer <token>`; take it from the
         * environment, for example `${PROMETHEUS_TOKEN}`. Default: none.
         * @visibility secret
         */
        bearerToken?: string;
        /**
         * Extra request headers, for example `X-Scope-OrgID` for Mimir or
         * Thanos tenants. Default: none.
         * @deepVisibility secret
         */
        headers?: { [name: string]: string };
      }>;
      /**
       * Memory for range-query points that can no longer change (older than
       * two scrape intervals and 30 s), reused by the next request for the
       * same query so that a refresh asks Prometheus only for the newest
       * points. `0` turns the reuse off. Default: 64.
       */
      settledPointsCacheMegabytes?: number;
      /**
       * When a model counts as degraded in the latency panel's verdict
       * ("degraded since 14:05: p95 TTFT 2.1 s > 1 s"). A model is degraded
       * at a point in time when any of these is breached.
       */
      health?: {
        /** p95 time to first token above this. Default: `1s`. */
        timeToFirstTokenP95?:
          | string
          | { milliseconds?: number; seconds?: number; minutes?: number };
        /** p95 inter-token latency above this. Default: `200ms`. */
        interTokenLatencyP95?:
          | string
          | { milliseconds?: number; seconds?: number; minutes?: number };
        /**
         * KV-cache usage (mean over the model's engines, 0..1) above this.
         * Default: 0.9.
         */
        kvCacheUsage?: number;
        /** Preemptions per second above this. Default: 0.1. */
        preemptionsPerSecond?: number;
        /** The waiting queue grew by `requests` or more within `within`. */
        waitingQueueGrowth?: {
          /** Default: 5. */
          requests?: number;
          /** Default: `5m`. */
          within?:
            | string
            | { milliseconds?: number; seconds?: number; minutes?: number };
        };
      };
    };
  };
}

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
       * How long a cluster's nodes and per-node GPU requests are reused by all
       * entities before they are read again. Default: 60 seconds.
       */
      clusterCacheTtl?: HumanDuration | string;
    };
  };
}

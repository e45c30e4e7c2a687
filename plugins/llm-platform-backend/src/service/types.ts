import type { JsonParts } from '../workloads/jsonParts';

/** Which workloads to read: from `getWorkloadSelector(entity)`. */
export interface WorkloadQuery {
  labelSelector: string;
  namespace?: string;
}

export interface WorkloadsResult {
  /**
   * The `ClusterWorkloads[]` already serialised, in parts: a cached answer for
   * thousands of pods is sent as it is stored, not encoded again, and each
   * cluster's unchanged pods are hashed and compressed once.
   */
  clusters: JsonParts;
  /** When the upstream reads were made; older than now when served from cache. */
  generatedAt: string;
  /**
   * Where the selected pods run, computed with the answer so that the metrics
   * route scopes its queries without parsing `clusters` again.
   */
  scope: WorkloadsScope;
}

/** The clusters, namespaces, pods and nodes of the selected pods. */
export interface WorkloadsScope {
  /** Clusters where at least one pod was found. */
  clusters: string[];
  namespaces: string[];
  pods: string[];
  nodes: string[];
}

/** Reads an entity's workloads from every configured cluster. */
export interface WorkloadsService {
  /** Names of the configured clusters; empty means nothing to read. */
  clusterNames(): string[];
  /** Starts reading the clusters' shared snapshots, so first requests need not. */
  warmUp(): void;
  /** Ends the clusters' watches (at backend shutdown). */
  stop(): void;
  getWorkloads(query: WorkloadQuery): Promise<WorkloadsResult>;
  /**
   * The `model_name` of the selected pods' vLLM metrics (each pod's first
   * served model name), from the pod informers; empty before they sync.
   */
  modelNames(query: WorkloadQuery): string[];
  /**
   * Where the selected pods run and which models they serve, for the metrics
   * route. Read from the pod informers without the workload view's per-request
   * lists, so Prometheus can be queried while those are under way; falls back
   * to the workload view's answer when an informer is not synced.
   */
  metricsScope(
    query: WorkloadQuery,
  ): Promise<WorkloadsScope & { modelNames: string[] }>;
}

import type { ClusterWorkloads } from '@llm-platform/backstage-plugin-llm-platform-common';

/** Which workloads to read: from `getWorkloadSelector(entity)`. */
export interface WorkloadQuery {
  labelSelector: string;
  namespace?: string;
}

export interface WorkloadsResult {
  clusters: ClusterWorkloads[];
  /** When the upstream reads were made; older than now when served from cache. */
  generatedAt: string;
}

/** Reads an entity's workloads from every configured cluster. */
export interface WorkloadsService {
  /** Names of the configured clusters; empty means nothing to read. */
  clusterNames(): string[];
  getWorkloads(query: WorkloadQuery): Promise<WorkloadsResult>;
}

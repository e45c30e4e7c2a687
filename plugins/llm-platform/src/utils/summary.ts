import type {
  ClusterWorkloads,
  DiagnosticFinding,
  EntityMetricsResponse,
  ModelServingMetrics,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { SEVERITY_ORDER } from './thresholds';

/** A finding together with the cluster it was found in. */
export interface ClusterFinding {
  cluster: string;
  finding: DiagnosticFinding;
}

/** Every cluster's findings, most severe first, then by title. */
export function sortedFindings(clusters: ClusterWorkloads[]): ClusterFinding[] {
  return clusters
    .flatMap(c =>
      c.diagnostics.map(finding => ({ cluster: c.cluster, finding })),
    )
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.finding.severity] -
          SEVERITY_ORDER[b.finding.severity] ||
        a.finding.title.localeCompare(b.finding.title) ||
        a.cluster.localeCompare(b.cluster),
    );
}

/** Pod and GPU totals over all clusters. */
export function workloadTotals(clusters: ClusterWorkloads[]) {
  let podsReady = 0;
  let podsTotal = 0;
  let podsPending = 0;
  let gpuRequested = 0;
  let gpuEntityRequested = 0;
  let gpuAllocatable = 0;
  let gpuMissingNodes = 0;
  for (const c of clusters) {
    podsReady += c.counts.ready;
    podsTotal += c.counts.total;
    podsPending += c.counts.pending;
    gpuRequested += c.gpu.totals.requested;
    gpuEntityRequested += c.gpu.totals.entityRequested;
    gpuAllocatable += c.gpu.totals.allocatable;
    gpuMissingNodes += c.gpu.totals.missingNodes;
  }
  return {
    podsReady,
    podsTotal,
    podsPending,
    gpuRequested,
    gpuEntityRequested,
    gpuAllocatable,
    gpuMissingNodes,
  };
}

/** The series of the selected model, or of all models together. */
export function selectModel(
  metrics: EntityMetricsResponse,
  model: string | undefined,
): ModelServingMetrics {
  return (
    (model && metrics.models.find(m => m.model === model)) || metrics.total
  );
}

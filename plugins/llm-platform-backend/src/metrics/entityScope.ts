import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_MODEL_NAMES,
  ANNOTATION_PROMETHEUS_INSTANCE,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { EntityMetricsRequest } from './types';

/** What the workload view found for the entity, as far as metrics need it. */
export interface FoundWorkloads {
  namespaces?: string[];
  pods?: string[];
  nodes?: string[];
  clusters?: string[];
  /**
   * The `model_name` vLLM labels the pods' metrics with, read from their
   * arguments (see `vllmModelNames` in workloads/modelNames.ts).
   */
  modelNames?: string[];
}

/**
 * Builds the metrics request of an entity from its annotations and the
 * workloads found for it. The model-names annotation wins over names
 * discovered from pods.
 */
export function metricsRequestForEntity(
  entity: Entity,
  found: FoundWorkloads,
  query: { range?: string; start?: string; end?: string; model?: string },
): EntityMetricsRequest {
  const annotations = entity.metadata.annotations ?? {};
  const annotated = (annotations[ANNOTATION_MODEL_NAMES] ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const namespaceAnnotation =
    annotations[ANNOTATION_KUBERNETES_NAMESPACE]?.trim();
  let namespaces = found.namespaces ?? [];
  if (namespaces.length === 0 && namespaceAnnotation) {
    namespaces = [namespaceAnnotation];
  }
  if (namespaces.length === 0) {
    throw new InputError(
      `no namespace to read metrics from: no pods of the entity were found and it has no "${ANNOTATION_KUBERNETES_NAMESPACE}" annotation`,
    );
  }
  const modelNames = annotated.length
    ? annotated
    : [...new Set(found.modelNames ?? [])];
  return {
    entityRef: stringifyEntityRef(entity),
    instance: annotations[ANNOTATION_PROMETHEUS_INSTANCE]?.trim() || undefined,
    clusters: found.clusters,
    scope: {
      namespaces,
      ...(modelNames.length ? { modelNames } : {}),
      ...(found.pods?.length ? { pods: found.pods } : {}),
      ...(found.nodes?.length ? { nodes: found.nodes } : {}),
    },
    ...query,
  };
}

import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_MODEL_NAMES,
  ANNOTATION_PROMETHEUS_INSTANCE,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { EntityMetricsRequest } from './types';

/**
 * The model name vLLM puts in the `model_name` label, read from a container's
 * command line: the first `--served-model-name`, else `--model`, else the
 * positional model of `vllm serve <model>`. Undefined when none is given.
 */
export function servedModelName(args: string[]): string | undefined {
  const valueOf = (flag: string) => {
    const i = args.findIndex(a => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    const inline = args[i].slice(flag.length + 1);
    return args[i] === flag ? args[i + 1] : inline;
  };
  const served = valueOf('--served-model-name');
  if (served && !served.startsWith('--')) return served;
  const model = valueOf('--model');
  if (model && !model.startsWith('--')) return model;
  const serve = args.indexOf('serve');
  const positional = serve >= 0 ? args[serve + 1] : undefined;
  return positional && !positional.startsWith('--') ? positional : undefined;
}

/** What the workload view found for the entity, as far as metrics need it. */
export interface FoundWorkloads {
  namespaces?: string[];
  pods?: string[];
  nodes?: string[];
  clusters?: string[];
  /** From the pods' arguments (see {@link servedModelName}). */
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

import { useCallback } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import type { MetricsRange } from '@llm-platform/backstage-plugin-llm-platform-common';
import { llmPlatformApiRef } from '../api';
import { usePolledData } from './usePolledData';

/** The parts of an entity's ref the API takes, and a key for its data. */
export function entityRefOf(entity: Entity) {
  const kind = entity.kind;
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const name = entity.metadata.name;
  return { kind, namespace, name, key: `${kind}:${namespace}/${name}` };
}

function useEntityRef() {
  return entityRefOf(useEntity().entity);
}

/** The entity's workloads, refreshed on every `tick`. */
export function useWorkloads(tick: number) {
  const api = useApi(llmPlatformApiRef);
  const { kind, namespace, name, key } = useEntityRef();
  const load = useCallback(
    () => api.getWorkloads({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
  return usePolledData(load, key, tick);
}

/**
 * What the tab and the card ask for: no view of theirs shows a GPU's history,
 * only its value now, and over a day its points are most of the answer.
 */
export const dashboardMetricsOptions = (range: MetricsRange) => ({
  range,
  gpuSeries: 'latest' as const,
});

/** The entity's serving metrics for a range, refreshed on every `tick`. */
export function useMetrics(range: MetricsRange, tick: number) {
  const api = useApi(llmPlatformApiRef);
  const { kind, namespace, name, key } = useEntityRef();
  const load = useCallback(
    () =>
      api.getMetrics({ kind, namespace, name }, dashboardMetricsOptions(range)),
    [api, kind, namespace, name, range],
  );
  return usePolledData(load, `${key}?range=${range}`, tick);
}

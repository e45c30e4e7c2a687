import { Suspense, useMemo } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getWorkloadSelector } from '@llm-platform/backstage-plugin-llm-platform-common';
import { llmPlatformApiRef } from '../../api';
import {
  dashboardMetricsOptions,
  entityRefOf,
} from '../../hooks/useEntityData';
import { LazyEntityLlmPlatformContent, preloadDashboard } from '../lazyParts';
import type { EntityLlmPlatformContentProps } from '../EntityLlmPlatformContent';

/**
 * The tab as the app mounts it. It is small and loads with the plugin: it
 * asks for the workloads and the first range's metrics at once, and loads
 * the dashboard's code and the charts' (the larger part, with the chart
 * library) alongside. The dashboard then gets those answers from the API client instead
 * of asking only after its code has arrived.
 */
export const EntityLlmPlatformTab = (props: EntityLlmPlatformContentProps) => {
  const api = useApi(llmPlatformApiRef);
  const { entity } = useEntity();
  const configured = getWorkloadSelector(entity).configured;
  const { kind, namespace, name } = entityRefOf(entity);
  const range = props.defaultRange ?? '1h';
  // Asked for while rendering, not in an effect: an effect would wait for
  // the browser to paint the entity page first. The client turns a repeated
  // call (a second render) into the same request.
  useMemo(() => {
    if (!configured) return;
    // The charts' code too: the dashboard would only ask for it once it
    // renders with the answers, and then draw a second time.
    preloadDashboard().catch(() => undefined);
    const ref = { kind, namespace, name };
    // Errors are the dashboard's to show, when it asks for the same data.
    api.getWorkloads(ref).catch(() => undefined);
    api.getMetrics(ref, dashboardMetricsOptions(range)).catch(() => undefined);
  }, [api, configured, kind, namespace, name, range]);
  return (
    <Suspense fallback={<Progress />}>
      <LazyEntityLlmPlatformContent {...props} />
    </Suspense>
  );
};

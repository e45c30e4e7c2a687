import { Suspense, useMemo } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getWorkloadSelector } from '@llm-platform/backstage-plugin-llm-platform-common';
import { llmPlatformApiRef } from '../../api';
import { entityRefOf } from '../../hooks/useEntityData';
import {
  LazyEntityLlmPlatformContent,
  preloadDashboard,
} from '../lazyParts';
import type { EntityLlmPlatformContentProps } from '../EntityLlmPlatformContent';

/**
 * How long the tab waits for both answers before it draws the dashboard with
 * what it has: long enough for a cached or quick answer, short enough that a
 * slow Prometheus never holds back the pods.
 */
export const FIRST_DRAW_WAIT_MS = 250;

/** Opens once both answers are in, or after {@link FIRST_DRAW_WAIT_MS}. */
interface Gate {
  open: boolean;
  promise: Promise<void>;
}

function gateOf(answers: Promise<unknown>[], waitMs: number): Gate {
  const gate: Gate = { open: false, promise: Promise.resolve() };
  gate.promise = Promise.race([
    Promise.allSettled(answers),
    new Promise(resolve => setTimeout(resolve, waitMs)),
  ]).then(() => {
    gate.open = true;
  });
  return gate;
}

/** Suspends (React 18's protocol: throw the promise) until the gate opens. */
const AfterGate = ({
  gate,
  children,
}: {
  gate?: Gate;
  children: JSX.Element;
}) => {
  if (gate && !gate.open) throw gate.promise;
  return children;
};

/**
 * The tab as the app mounts it. It is small and loads with the plugin: it
 * asks for the workloads and the first range's metrics at once, and loads
 * the dashboard's code and the charts' (the larger part, with the chart
 * library) alongside. The dashboard then gets those answers from the API
 * client instead of asking only after its code has arrived, and mounts once
 * both are in (or {@link FIRST_DRAW_WAIT_MS} has passed), so that it draws
 * in one pass rather than the pods first and the charts in a second one.
 */
export const EntityLlmPlatformTab = ({
  firstDrawWaitMs = FIRST_DRAW_WAIT_MS,
  ...props
}: EntityLlmPlatformContentProps & {
  /** How long to wait for both answers; {@link FIRST_DRAW_WAIT_MS} by default. */
  firstDrawWaitMs?: number;
}) => {
  const api = useApi(llmPlatformApiRef);
  const { entity } = useEntity();
  const configured = getWorkloadSelector(entity).configured;
  const { kind, namespace, name } = entityRefOf(entity);
  const range = props.defaultRange ?? '1h';
  // Asked for while rendering, not in an effect: an effect would wait for
  // the browser to paint the entity page first. The client turns a repeated
  // call (a second render) into the same request.
  const gate = useMemo(() => {
    if (!configured) return undefined;
    // The charts' code too: the dashboard would only ask for it once it
    // renders with the answers, and then draw a second time.
    preloadDashboard().catch(() => undefined);
    const ref = { kind, namespace, name };
    // Errors are the dashboard's to show, when it asks for the same data.
    return gateOf(
      [
        api.getWorkloads(ref).catch(() => undefined),
        api.getMetrics(ref, { range }).catch(() => undefined),
      ],
      firstDrawWaitMs,
    );
  }, [api, configured, kind, namespace, name, range, firstDrawWaitMs]);
  return (
    <Suspense fallback={<Progress />}>
      <AfterGate gate={gate}>
        <LazyEntityLlmPlatformContent {...props} />
      </AfterGate>
    </Suspense>
  );
};

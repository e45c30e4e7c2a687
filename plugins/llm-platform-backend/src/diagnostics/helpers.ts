import type { DiagnosticObject } from '@llm-platform/backstage-plugin-llm-platform-common';
import type { NodeInfo } from '../workloads/nodes';
import type { RawEvent, RawPod, RawToleration } from '../workloads/raw';
import type { DiagnosticsInput } from './types';

export const podObject = (pod: RawPod): DiagnosticObject => ({
  kind: 'Pod',
  name: pod.metadata.name,
  namespace: pod.metadata.namespace,
});

export function eventsAbout(
  input: DiagnosticsInput,
  kind: string,
  name: string,
  namespace?: string,
): RawEvent[] {
  return input.events.filter(
    e =>
      e.involvedObject?.kind === kind &&
      e.involvedObject?.name === name &&
      (!namespace || e.involvedObject?.namespace === namespace),
  );
}

/** A pod the scheduler has not placed yet. */
export function isUnscheduled(pod: RawPod): boolean {
  return pod.status?.phase === 'Pending' && !pod.spec?.nodeName;
}

/** The scheduler's explanation: the PodScheduled condition or a FailedScheduling event. */
export function schedulingMessage(
  input: DiagnosticsInput,
  pod: RawPod,
): string {
  const condition = pod.status?.conditions?.find(
    c => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (condition?.message) {
    return condition.message;
  }
  const event = eventsAbout(
    input,
    'Pod',
    pod.metadata.name,
    pod.metadata.namespace,
  ).find(e => e.reason === 'FailedScheduling');
  return event?.message ?? '';
}

export function matchesNodeSelector(pod: RawPod, node: NodeInfo): boolean {
  return Object.entries(pod.spec?.nodeSelector ?? {}).every(
    ([k, v]) => node.labels[k] === v,
  );
}

function tolerates(
  t: RawToleration,
  taint: NodeInfo['taints'][number],
): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** Taints that keep a pod off a node (PreferNoSchedule does not). */
export function untoleratedTaints(
  pod: RawPod,
  node: NodeInfo,
): NodeInfo['taints'] {
  return node.taints.filter(
    taint =>
      taint.effect !== 'PreferNoSchedule' &&
      !(pod.spec?.tolerations ?? []).some(t => tolerates(t, taint)),
  );
}

const schedulingMemo = new WeakMap<DiagnosticsInput, Map<string, unknown>>();

/**
 * What depends only on a pod's nodeSelector and tolerations (and the nodes),
 * computed once per input for all replicas that share them.
 */
export function perScheduling<T>(
  input: DiagnosticsInput,
  pod: RawPod,
  what: string,
  compute: () => T,
): T {
  let memo = schedulingMemo.get(input);
  if (!memo) {
    memo = new Map();
    schedulingMemo.set(input, memo);
  }
  const key = JSON.stringify([
    what,
    pod.spec?.nodeSelector,
    pod.spec?.tolerations,
  ]);
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}

const eligibleMemo = new WeakMap<DiagnosticsInput, Map<string, NodeInfo[]>>();

/**
 * Nodes a pod may be scheduled on by nodeSelector and taints. Replicas share
 * their spec, so the answer is memoised per selector and tolerations.
 */
export function eligibleNodes(
  input: DiagnosticsInput,
  pod: RawPod,
): NodeInfo[] {
  let memo = eligibleMemo.get(input);
  if (!memo) {
    memo = new Map();
    eligibleMemo.set(input, memo);
  }
  const key = JSON.stringify([pod.spec?.nodeSelector, pod.spec?.tolerations]);
  let nodes = memo.get(key);
  if (!nodes) {
    nodes = input.nodes.filter(
      n =>
        matchesNodeSelector(pod, n) && untoleratedTaints(pod, n).length === 0,
    );
    memo.set(key, nodes);
  }
  return nodes;
}

export const formatTaint = (t: NodeInfo['taints'][number]) =>
  `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`;

export function formatBytes(bytes: number): string {
  const gi = bytes / 2 ** 30;
  if (gi >= 1) return `${Math.round(gi * 100) / 100}Gi`;
  return `${Math.round((bytes / 2 ** 20) * 10) / 10}Mi`;
}

/** Every container with its status, app and init containers alike. */
export function containersWithStatus(pod: RawPod) {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const specs = [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ];
  return statuses.map(status => ({
    status,
    spec: specs.find(s => s.name === status.name),
  }));
}

const settled = new WeakMap<RawPod, boolean>();

/**
 * Whether a pod's own state could match a pod rule: not running, or a
 * container that is not running and ready, has restarted, or has a last
 * termination. Memoised per pod version (the informer replaces the object on
 * every change); warning events about the pod are checked by the caller.
 */
export function needsAttention(pod: RawPod): boolean {
  let value = settled.get(pod);
  if (value === undefined) {
    value =
      pod.status?.phase !== 'Running' ||
      (pod.status?.containerStatuses ?? []).some(
        s =>
          !s.state?.running ||
          !s.ready ||
          Boolean(s.restartCount) ||
          Boolean(s.lastState?.terminated),
      ) ||
      (pod.status?.initContainerStatuses ?? []).some(
        s =>
          s.state?.terminated?.reason !== 'Completed' ||
          Boolean(s.restartCount) ||
          Boolean(s.lastState?.terminated),
      );
    settled.set(pod, value);
  }
  return value;
}

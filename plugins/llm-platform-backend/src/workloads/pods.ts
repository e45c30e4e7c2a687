import type {
  ContainerSummary,
  OwnerRef,
  PodCounts,
  PodSummary,
  WorkloadSummary,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { addAmounts, toAmounts } from './quantity';
import type {
  RawContainer,
  RawContainerState,
  RawContainerStatus,
  RawOwner,
  RawPod,
} from './raw';

function stateName(
  state: RawContainerState | undefined,
): ContainerSummary['state'] {
  if (state?.running) return 'running';
  if (state?.waiting) return 'waiting';
  if (state?.terminated) return 'terminated';
  return 'unknown';
}

function containerSummary(
  spec: RawContainer,
  status: RawContainerStatus | undefined,
  init: boolean,
): ContainerSummary {
  const state = status?.state;
  const current = state?.waiting ?? state?.terminated;
  const last = status?.lastState?.terminated;
  const summary: ContainerSummary = {
    name: spec.name,
    image: status?.image || spec.image || '',
    init,
    ready: Boolean(status?.ready),
    restartCount: status?.restartCount ?? 0,
    state: stateName(state),
    requests: toAmounts(spec.resources?.requests),
    limits: toAmounts(spec.resources?.limits),
  };
  if (current?.reason) summary.reason = current.reason;
  if (current?.message) summary.message = current.message;
  if (state?.terminated?.exitCode !== undefined) {
    summary.exitCode = state.terminated.exitCode;
  }
  if (last) {
    summary.lastTermination = {
      reason: last.reason,
      message: last.message,
      exitCode: last.exitCode,
      finishedAt: last.finishedAt,
    };
  }
  return summary;
}

/**
 * Resolves each pod's top-level owner from the ReplicaSets already listed:
 * Pod → ReplicaSet → Deployment, without a request per pod. A ReplicaSet that
 * was not listed (it lacks the entity's labels) still yields its Deployment
 * from the `pod-template-hash` naming convention.
 */
export function createOwnerResolver(replicaSets: RawOwner[]) {
  const rsOwner = new Map<string, OwnerRef>();
  for (const rs of replicaSets) {
    const controller = rs.metadata.ownerReferences?.find(o => o.controller);
    if (controller) {
      rsOwner.set(`${rs.metadata.namespace}/${rs.metadata.name}`, {
        kind: controller.kind,
        name: controller.name,
      });
    }
  }
  return (pod: RawPod): OwnerRef | undefined => {
    const ref =
      pod.metadata.ownerReferences?.find(o => o.controller) ??
      pod.metadata.ownerReferences?.[0];
    if (!ref) {
      return undefined;
    }
    if (ref.kind !== 'ReplicaSet') {
      return { kind: ref.kind, name: ref.name };
    }
    const owner = rsOwner.get(`${pod.metadata.namespace}/${ref.name}`);
    if (owner) {
      return owner;
    }
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (hash && ref.name.endsWith(`-${hash}`)) {
      return {
        kind: 'Deployment',
        name: ref.name.slice(0, -hash.length - 1),
      };
    }
    return { kind: ref.kind, name: ref.name };
  };
}

// Summaries of pods held by an informer are computed once per pod version
// (the informer replaces the object on every change) and reused by every
// request; only the age and the owner are added per request.
const summaries = new WeakMap<RawPod, PodSummary>();

export function summarizePod(
  pod: RawPod,
  owner: OwnerRef | undefined,
  now: number,
): PodSummary {
  let base = summaries.get(pod);
  if (!base) {
    base = baseSummary(pod);
    summaries.set(pod, base);
  }
  const summary: PodSummary = { ...base };
  if (base.createdAt) {
    summary.ageSeconds = Math.max(
      0,
      Math.round((now - Date.parse(base.createdAt)) / 1000),
    );
  }
  if (owner) summary.owner = owner;
  return summary;
}

function baseSummary(pod: RawPod): PodSummary {
  const statuses = new Map(
    (pod.status?.containerStatuses ?? []).map(s => [s.name, s]),
  );
  const initStatuses = new Map(
    (pod.status?.initContainerStatuses ?? []).map(s => [s.name, s]),
  );
  const initContainers = (pod.spec?.initContainers ?? []).map(c =>
    containerSummary(c, initStatuses.get(c.name), true),
  );
  const appContainers = (pod.spec?.containers ?? []).map(c =>
    containerSummary(c, statuses.get(c.name), false),
  );
  const scheduled = pod.status?.conditions?.find(
    c => c.type === 'PodScheduled',
  );
  const created = pod.metadata.creationTimestamp;
  const summary: PodSummary = {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    readyContainers: appContainers.filter(c => c.ready).length,
    totalContainers: appContainers.length,
    restarts: appContainers.reduce((n, c) => n + c.restartCount, 0),
    containers: [...initContainers, ...appContainers],
    requests: appContainers.map(c => c.requests).reduce(addAmounts, {}),
    limits: appContainers.map(c => c.limits).reduce(addAmounts, {}),
  };
  const reason =
    pod.status?.reason ??
    (scheduled?.status === 'False' ? scheduled.reason : undefined);
  const message =
    pod.status?.message ??
    (scheduled?.status === 'False' ? scheduled.message : undefined);
  if (reason) summary.reason = reason;
  if (message) summary.message = message;
  if (created) summary.createdAt = created;
  if (pod.spec?.nodeName) summary.node = pod.spec.nodeName;
  return summary;
}

export function countPods(pods: PodSummary[]): PodCounts {
  const counts: PodCounts = {
    total: pods.length,
    running: 0,
    ready: 0,
    pending: 0,
    failed: 0,
    succeeded: 0,
    restarts: 0,
  };
  for (const p of pods) {
    if (p.phase === 'Running') counts.running++;
    if (p.phase === 'Pending') counts.pending++;
    if (p.phase === 'Failed') counts.failed++;
    if (p.phase === 'Succeeded') counts.succeeded++;
    if (p.totalContainers > 0 && p.readyContainers === p.totalContainers) {
      counts.ready++;
    }
    counts.restarts += p.restarts;
  }
  return counts;
}

/** Top-level owners of the pods, with replica counts when the object was listed. */
export function summarizeWorkloads(
  pods: PodSummary[],
  listed: { kind: string; items: RawOwner[] }[],
): WorkloadSummary[] {
  const byKey = new Map<string, WorkloadSummary>();
  for (const { kind, items } of listed) {
    for (const o of items) {
      byKey.set(`${kind}/${o.metadata.namespace}/${o.metadata.name}`, {
        kind,
        name: o.metadata.name,
        namespace: o.metadata.namespace ?? '',
        desiredReplicas: o.spec?.replicas,
        readyReplicas: o.status?.readyReplicas ?? 0,
        pods: 0,
      });
    }
  }
  for (const p of pods) {
    if (!p.owner) continue;
    const key = `${p.owner.kind}/${p.namespace}/${p.owner.name}`;
    const existing = byKey.get(key) ?? {
      kind: p.owner.kind,
      name: p.owner.name,
      namespace: p.namespace,
      pods: 0,
    };
    existing.pods++;
    byKey.set(key, existing);
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

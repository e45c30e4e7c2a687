import { createHash } from 'node:crypto';
import type {
  ContainerSpecSummary,
  ContainerStatusSummary,
  OwnerRef,
  PodCounts,
  PodSummary,
  PodTemplateSummary,
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
): ContainerStatusSummary['state'] {
  if (state?.running) return 'running';
  if (state?.waiting) return 'waiting';
  if (state?.terminated) return 'terminated';
  return 'unknown';
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

/** What the pods of one workload revision share; see {@link PodEntry}. */
export interface PodTemplateEntry {
  /** Stable key derived from the content: the same template, the same key. */
  key: string;
  /** The pod's namespace, controller reference and template hash, to resolve its owner per request. */
  ownerSource: RawPod;
  value: Omit<PodTemplateSummary, 'owner'>;
  /** App containers (init containers excluded). */
  appContainers: number;
}

/**
 * One pod's compact summary and its template, computed once per pod
 * version and shared by every request that returns the pod.
 */
export interface PodEntry {
  summary: PodSummary;
  template: PodTemplateEntry;
  /** `namespace/name`, the order of pods in the answer. */
  key: string;
}

function templateOf(
  pod: RawPod,
  init: ContainerSpecSummary[],
  app: ContainerSpecSummary[],
): PodTemplateEntry {
  const ref =
    pod.metadata.ownerReferences?.find(o => o.controller) ??
    pod.metadata.ownerReferences?.[0];
  const hash = pod.metadata.labels?.['pod-template-hash'];
  const ownerSource: RawPod = {
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      ...(ref ? { ownerReferences: [ref] } : {}),
      ...(hash ? { labels: { 'pod-template-hash': hash } } : {}),
    },
  };
  const value = {
    containers: [...init, ...app],
    requests: app.map(c => c.requests ?? {}).reduce(addAmounts, {}),
    limits: app.map(c => c.limits ?? {}).reduce(addAmounts, {}),
  };
  const identity = JSON.stringify([
    pod.metadata.namespace,
    ref?.kind,
    ref?.name,
    hash,
    value.containers,
  ]);
  return {
    key: createHash('sha1').update(identity).digest('base64url').slice(0, 10),
    ownerSource,
    value,
    appContainers: app.length,
  };
}

function specSummary(c: RawContainer, init: boolean): ContainerSpecSummary {
  const spec: ContainerSpecSummary = { name: c.name, image: c.image ?? '' };
  if (init) spec.init = true;
  const requests = toAmounts(c.resources?.requests);
  const limits = toAmounts(c.resources?.limits);
  if (Object.keys(requests).length) spec.requests = requests;
  if (Object.keys(limits).length) spec.limits = limits;
  return spec;
}

function statusSummary(
  status: RawContainerStatus | undefined,
): ContainerStatusSummary {
  const state = status?.state;
  const current = state?.waiting ?? state?.terminated;
  const last = status?.lastState?.terminated;
  const summary: ContainerStatusSummary = {
    state: stateName(state),
    ready: Boolean(status?.ready),
  };
  if (status?.restartCount) summary.restartCount = status.restartCount;
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

const isDefault = (c: ContainerStatusSummary) =>
  c.state === 'running' &&
  c.ready &&
  !c.restartCount &&
  !c.reason &&
  !c.lastTermination;

// The informer replaces a pod's object on every change, so an entry is
// computed once per pod version and shared by every request.
const entries = new WeakMap<RawPod, PodEntry>();

/** The pod's compact summary and template, memoised per pod object. */
export function summarizePod(pod: RawPod): PodEntry {
  let entry = entries.get(pod);
  if (!entry) {
    entry = podEntry(pod);
    entries.set(pod, entry);
  }
  return entry;
}

function podEntry(pod: RawPod): PodEntry {
  const statuses = new Map(
    (pod.status?.containerStatuses ?? []).map(s => [s.name, s]),
  );
  const initStatuses = new Map(
    (pod.status?.initContainerStatuses ?? []).map(s => [s.name, s]),
  );
  const initSpecs = pod.spec?.initContainers ?? [];
  const appSpecs = pod.spec?.containers ?? [];
  const template = templateOf(
    pod,
    initSpecs.map(c => specSummary(c, true)),
    appSpecs.map(c => specSummary(c, false)),
  );
  const initStates = initSpecs.map(c =>
    statusSummary(initStatuses.get(c.name)),
  );
  const appStates = appSpecs.map(c => statusSummary(statuses.get(c.name)));
  const states = [...initStates, ...appStates];
  const scheduled = pod.status?.conditions?.find(
    c => c.type === 'PodScheduled',
  );
  const summary: PodSummary = {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? '',
    template: template.key,
    phase: pod.status?.phase ?? 'Unknown',
    readyContainers: appStates.filter(c => c.ready).length,
  };
  const restarts = appStates.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  if (restarts) summary.restarts = restarts;
  const reason =
    pod.status?.reason ??
    (scheduled?.status === 'False' ? scheduled.reason : undefined);
  const message =
    pod.status?.message ??
    (scheduled?.status === 'False' ? scheduled.message : undefined);
  if (reason) summary.reason = reason;
  if (message) summary.message = message;
  if (pod.metadata.creationTimestamp) {
    summary.createdAt = pod.metadata.creationTimestamp;
  }
  if (pod.spec?.nodeName) summary.node = pod.spec.nodeName;
  if (!states.every(isDefault)) summary.containers = states;
  return {
    summary,
    template,
    key: `${summary.namespace}/${summary.name}`,
  };
}

/** Counts of the pods for the summary line. */
export function countPods(pods: PodEntry[]): PodCounts {
  const counts: PodCounts = {
    total: pods.length,
    running: 0,
    ready: 0,
    pending: 0,
    failed: 0,
    succeeded: 0,
    restarts: 0,
  };
  for (const { summary: p, template } of pods) {
    if (p.phase === 'Running') counts.running++;
    if (p.phase === 'Pending') counts.pending++;
    if (p.phase === 'Failed') counts.failed++;
    if (p.phase === 'Succeeded') counts.succeeded++;
    if (
      template.appContainers > 0 &&
      p.readyContainers === template.appContainers
    ) {
      counts.ready++;
    }
    counts.restarts += p.restarts ?? 0;
  }
  return counts;
}

/** Top-level owners of the pods, with replica counts when the object was listed. */
export function summarizeWorkloads(
  pods: Array<{ namespace: string; owner?: OwnerRef; count: number }>,
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
    existing.pods += p.count;
    byKey.set(key, existing);
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

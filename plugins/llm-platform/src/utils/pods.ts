import {
  ClusterWorkloads,
  ResolvedPod,
  resolvePods,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { HealthStatus } from './thresholds';

/** A pod with the cluster it runs in. */
export interface PodRowData {
  key: string;
  cluster: string;
  pod: ResolvedPod;
}

/** What the status chip of a pod says, and how it is judged. */
export function podStatus(pod: ResolvedPod): {
  label: string;
  status: HealthStatus;
} {
  const waiting = pod.containers.find(
    c => !c.init && c.state === 'waiting' && c.reason,
  );
  if (pod.phase === 'Running') {
    if (pod.readyContainers === pod.totalContainers) {
      return { label: 'Ready', status: 'ok' };
    }
    return { label: waiting?.reason ?? 'Not ready', status: 'error' };
  }
  if (pod.phase === 'Succeeded')
    return { label: 'Completed', status: 'unknown' };
  if (pod.phase === 'Pending') {
    return {
      label: pod.reason ?? waiting?.reason ?? 'Pending',
      status: 'warning',
    };
  }
  if (pod.phase === 'Failed') {
    return { label: pod.reason ?? 'Failed', status: 'error' };
  }
  return { label: pod.phase, status: 'unknown' };
}

// Reasons that only say a container is on its way, not what is wrong.
const TRANSIENT_REASONS = new Set(['ContainerCreating', 'PodInitializing']);

/**
 * The reason a person would look for first: a container's waiting or
 * terminated reason, the pod's own (for example `Unschedulable`), the last
 * exit of a restarted container, and only then a reason that it is starting.
 */
export function lastReason(pod: ResolvedPod): string | undefined {
  const current = pod.containers
    .filter(c => c.state !== 'running' && c.reason)
    .map(c => c.reason!);
  return (
    current.find(r => !TRANSIENT_REASONS.has(r)) ??
    pod.reason ??
    pod.containers.find(c => c.lastTermination?.reason)?.lastTermination
      ?.reason ??
    current[0]
  );
}

export const STATUS_FILTERS = {
  all: 'All pods',
  ready: 'Ready',
  notReady: 'Not ready',
  pending: 'Pending',
  failed: 'Failed',
  restarted: 'Restarted',
} as const;

export type StatusFilter = keyof typeof STATUS_FILTERS;

export type SortKey =
  | 'status'
  | 'name'
  | 'ready'
  | 'restarts'
  | 'age'
  | 'node'
  | 'gpus'
  | 'owner'
  | 'reason'
  | 'cluster';

export interface PodQuery {
  text: string;
  status: StatusFilter;
  sortKey: SortKey;
  sortDirection: 'asc' | 'desc';
}

const STATUS_RANK: Record<HealthStatus, number> = {
  error: 0,
  warning: 1,
  unknown: 2,
  ok: 3,
};

/**
 * Every cluster's pods with their templates applied (see `resolvePods`); ages
 * are as of `generatedAt`, when the answer was read.
 */
export function flattenPods(
  clusters: ClusterWorkloads[],
  generatedAt: string,
): PodRowData[] {
  return clusters.flatMap(c =>
    resolvePods(c, generatedAt).map(pod => ({
      key: `${c.cluster}/${pod.namespace}/${pod.name}`,
      cluster: c.cluster,
      pod,
    })),
  );
}

const sortValue = (row: PodRowData, key: SortKey): string | number => {
  const { pod } = row;
  switch (key) {
    case 'status':
      return STATUS_RANK[podStatus(pod).status];
    case 'name':
      return pod.name;
    case 'ready':
      return pod.totalContainers
        ? pod.readyContainers / pod.totalContainers
        : 0;
    case 'restarts':
      return pod.restarts;
    case 'age':
      return pod.ageSeconds ?? -1;
    case 'node':
      return pod.node ?? '';
    case 'gpus':
      return pod.requests.gpu ?? 0;
    case 'owner':
      return pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : '';
    case 'reason':
      return lastReason(pod) ?? '';
    case 'cluster':
      return row.cluster;
    default:
      return 0;
  }
};

const matchesStatus = (pod: ResolvedPod, filter: StatusFilter): boolean => {
  switch (filter) {
    case 'ready':
      return (
        pod.phase === 'Running' && pod.readyContainers === pod.totalContainers
      );
    case 'notReady':
      return (
        pod.phase === 'Running' && pod.readyContainers < pod.totalContainers
      );
    case 'pending':
      return pod.phase === 'Pending';
    case 'failed':
      return pod.phase === 'Failed';
    case 'restarted':
      return pod.restarts > 0;
    default:
      return true;
  }
};

/** Filters by text and status, then sorts, with the pod name breaking ties. */
export function queryPods(rows: PodRowData[], query: PodQuery): PodRowData[] {
  const needle = query.text.trim().toLocaleLowerCase();
  const filtered = rows.filter(row => {
    if (!matchesStatus(row.pod, query.status)) return false;
    if (!needle) return true;
    const { pod } = row;
    return [
      pod.name,
      pod.node,
      pod.owner?.name,
      lastReason(pod),
      row.cluster,
      pod.namespace,
    ].some(v => v?.toLocaleLowerCase().includes(needle));
  });
  const sign = query.sortDirection === 'asc' ? 1 : -1;
  const keyed = filtered.map(row => ({
    row,
    value: sortValue(row, query.sortKey),
  }));
  keyed.sort((a, b) => {
    const order =
      typeof a.value === 'number' && typeof b.value === 'number'
        ? a.value - b.value
        : String(a.value).localeCompare(String(b.value));
    return order * sign || a.row.pod.name.localeCompare(b.row.pod.name);
  });
  return keyed.map(k => k.row);
}

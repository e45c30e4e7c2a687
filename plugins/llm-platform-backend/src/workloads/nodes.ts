import type {
  GpuAllocation,
  GpuNodeState,
  GpuNodeSummary,
  ResourceAmounts,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  GPU_RESOURCE,
  addAmounts,
  parseQuantity,
  podRequests,
  toAmounts,
} from './quantity';
import type { NodeClaimInfo } from './nodeClaims';
import type { RawNode, RawPod, RawStorageClass } from './raw';

/** What the plugin keeps of a node: a few hundred bytes instead of kilobytes. */
export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  taints: Array<{ key: string; value?: string; effect: string }>;
  ready: boolean;
  schedulable: boolean;
  gpuCapacity: number;
  allocatable: ResourceAmounts;
  /** An instance with NVIDIA GPUs, whether or not it advertises them. */
  gpuHardware: boolean;
}

export interface StorageClassInfo {
  name: string;
  provisioner: string;
  isDefault: boolean;
  volumeBindingMode: string;
}

/**
 * Cluster-wide facts shared by every entity: nodes and what all non-terminated
 * pods request on each node. Read once per TTL per cluster, not per request.
 */
export interface ClusterSnapshot {
  nodes: NodeInfo[];
  requestedByNode: Record<string, ResourceAmounts>;
  storageClasses: StorageClassInfo[];
  /** Karpenter's GPU NodeClaims; absent where Karpenter is not installed. */
  nodeClaims?: NodeClaimInfo[];
  observedAt: string;
}

export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';

// EC2 families with NVIDIA GPUs (g4ad carries AMD GPUs and is excluded).
const NVIDIA_INSTANCE =
  /^(g3|g3s|g4dn|g5|g5g|g6|g6e|gr6|g7e|p2|p3|p3dn|p4d|p4de|p5|p5e|p5en|p6-b200)\./;

function isGpuHardware(
  labels: Record<string, string>,
  gpuCapacity: number,
): boolean {
  return (
    gpuCapacity > 0 ||
    labels['nvidia.com/gpu.present'] === 'true' ||
    Boolean(labels[GPU_PRODUCT_LABEL]) ||
    labels['feature.node.kubernetes.io/pci-10de.present'] === 'true' ||
    Number(labels['karpenter.k8s.aws/instance-gpu-count'] ?? 0) > 0 ||
    NVIDIA_INSTANCE.test(labels[INSTANCE_TYPE_LABEL] ?? '')
  );
}

export function toNodeInfo(node: RawNode): NodeInfo {
  const labels = node.metadata.labels ?? {};
  const gpuCapacity = parseQuantity(node.status?.capacity?.[GPU_RESOURCE]) ?? 0;
  const allocatable = toAmounts(node.status?.allocatable);
  return {
    name: node.metadata.name,
    labels,
    taints: (node.spec?.taints ?? []).map(t => ({
      key: t.key,
      value: t.value,
      effect: t.effect,
    })),
    ready:
      node.status?.conditions?.find(c => c.type === 'Ready')?.status === 'True',
    schedulable: !node.spec?.unschedulable,
    gpuCapacity,
    allocatable,
    gpuHardware: isGpuHardware(labels, gpuCapacity),
  };
}

const TERMINATED = new Set(['Succeeded', 'Failed']);

export function buildSnapshot(
  nodes: RawNode[],
  pods: RawPod[],
  storageClasses: RawStorageClass[],
  observedAt: Date,
): ClusterSnapshot {
  const requestedByNode: Record<string, ResourceAmounts> = {};
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || TERMINATED.has(pod.status?.phase ?? '')) continue;
    requestedByNode[node] = addAmounts(
      requestedByNode[node] ?? {},
      podRequests(pod.spec),
    );
  }
  return {
    nodes: nodes.map(toNodeInfo),
    requestedByNode,
    storageClasses: storageClasses.map(sc => ({
      name: sc.metadata.name,
      provisioner: sc.provisioner ?? '',
      volumeBindingMode: sc.volumeBindingMode ?? 'Immediate',
      isDefault:
        sc.metadata.annotations?.[
          'storageclass.kubernetes.io/is-default-class'
        ] === 'true',
    })),
    observedAt: observedAt.toISOString(),
  };
}

function gpuState(node: NodeInfo, requested: number): GpuNodeState {
  const allocatable = node.allocatable.gpu ?? 0;
  if (!node.gpuHardware) return 'none';
  if (allocatable === 0) return 'missing';
  if (requested >= allocatable) return 'full';
  return requested > 0 ? 'partial' : 'idle';
}

const formatTaint = (t: NodeInfo['taints'][number]) =>
  `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`;

/** GPU nodes of the cluster and the nodes hosting the entity's pods. */
export function buildGpuAllocation(
  snapshot: ClusterSnapshot,
  entityPods: Array<{
    node?: string;
    phase: string;
    requests: ResourceAmounts;
  }>,
): GpuAllocation {
  const entityGpuByNode = new Map<string, number>();
  for (const p of entityPods) {
    if (p.node && !TERMINATED.has(p.phase)) {
      entityGpuByNode.set(
        p.node,
        (entityGpuByNode.get(p.node) ?? 0) + (p.requests.gpu ?? 0),
      );
    }
  }
  const nodes: GpuNodeSummary[] = [];
  const totals = {
    gpuNodes: 0,
    capacity: 0,
    allocatable: 0,
    requested: 0,
    entityRequested: 0,
    missingNodes: 0,
  };
  for (const node of snapshot.nodes) {
    const hosts = entityGpuByNode.has(node.name);
    if (!node.gpuHardware && !hosts) continue;
    const requested = snapshot.requestedByNode[node.name]?.gpu ?? 0;
    const entityRequested = entityGpuByNode.get(node.name) ?? 0;
    const summary: GpuNodeSummary = {
      name: node.name,
      gpuCapacity: node.gpuCapacity,
      gpuAllocatable: node.allocatable.gpu ?? 0,
      gpuRequested: requested,
      entityGpuRequested: entityRequested,
      ready: node.ready,
      schedulable: node.schedulable,
      taints: node.taints.map(formatTaint),
      hostsEntityPods: hosts,
      state: gpuState(node, requested),
      cpuAllocatable: node.allocatable.cpu,
      memoryAllocatableBytes: node.allocatable.memoryBytes,
    };
    if (node.labels[INSTANCE_TYPE_LABEL])
      summary.instanceType = node.labels[INSTANCE_TYPE_LABEL];
    if (node.labels[GPU_PRODUCT_LABEL])
      summary.gpuProduct = node.labels[GPU_PRODUCT_LABEL];
    nodes.push(summary);
    if (node.gpuHardware) {
      totals.gpuNodes++;
      totals.capacity += summary.gpuCapacity;
      totals.allocatable += summary.gpuAllocatable;
      totals.requested += requested;
      if (summary.state === 'missing') totals.missingNodes++;
    }
    totals.entityRequested += entityRequested;
  }
  nodes.sort(
    (a, b) =>
      Number(b.hostsEntityPods) - Number(a.hostsEntityPods) ||
      a.name.localeCompare(b.name),
  );
  return { nodes, totals, observedAt: snapshot.observedAt };
}

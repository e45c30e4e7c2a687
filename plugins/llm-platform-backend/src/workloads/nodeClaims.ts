import type {
  GpuAllocation,
  NodeClaimState,
  NodeClaimSummary,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  ClusterClient,
  ClusterRequestError,
  ListRequest,
  ListResult,
} from '../kubernetes/types';
import { INSTANCE_TYPE_LABEL } from './nodes';
import { GPU_RESOURCE, parseQuantity } from './quantity';

/** Cluster-wide list of Karpenter's NodeClaims (RBAC: list nodeclaims.karpenter.sh). */
export const NODECLAIMS_REQUEST: ListRequest = {
  description: 'list nodeclaims',
  path: '/apis/karpenter.sh/v1/nodeclaims',
};

/** The fields of a `karpenter.sh/v1` NodeClaim that the GPU panel uses. */
export interface RawNodeClaim {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec?: {
    resources?: { requests?: Record<string, string> };
    requirements?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  status?: {
    nodeName?: string;
    capacity?: Record<string, string>;
    conditions?: Array<{
      type: string;
      status: string;
      reason?: string;
      message?: string;
    }>;
  };
}

/** A NodeClaim as the node snapshot keeps it; its age is computed per answer. */
export type NodeClaimInfo = Omit<NodeClaimSummary, 'ageSeconds'>;

const NODEPOOL_LABEL = 'karpenter.sh/nodepool';
const GPU_COUNT_LABEL = 'karpenter.k8s.aws/instance-gpu-count';
// EC2 families with NVIDIA GPUs, as Karpenter's instance-type requirement names them.
const NVIDIA_INSTANCE =
  /^(g4dn|g5|g5g|g6|g6e|gr6|p3|p3dn|p4d|p4de|p5|p5e|p5en)\./;

// Lists answered 404: the CRD is not installed on that cluster.
const notInstalled = new WeakSet<object>();

/**
 * A client whose list answers an empty, marked result when the resource's CRD
 * is not installed (404), so a cluster without Karpenter shows nothing and
 * records no error. Other failures still throw.
 */
export function crdOptional(client: ClusterClient): ClusterClient {
  return {
    name: client.name,
    watch: (request, onEvent, signal) => client.watch(request, onEvent, signal),
    async list<T>(request: ListRequest): Promise<ListResult<T>> {
      try {
        return await client.list<T>(request);
      } catch (error) {
        if (error instanceof ClusterRequestError && error.status === 404) {
          const empty: ListResult<T> = { items: [], bytes: 0 };
          notInstalled.add(empty);
          return empty;
        }
        throw error;
      }
    },
  };
}

function status(claim: RawNodeClaim, type: string) {
  const condition = claim.status?.conditions?.find(c => c.type === type);
  const value = condition?.status;
  return {
    condition,
    value: (value === 'True' || value === 'False' ? value : 'Unknown') as
      | 'True'
      | 'False'
      | 'Unknown',
  };
}

function singleRequirement(claim: RawNodeClaim, key: string) {
  const req = claim.spec?.requirements?.find(
    r => r.key === key && r.operator === 'In',
  );
  return req?.values?.length === 1 ? req.values[0] : undefined;
}

function isGpuClaim(claim: RawNodeClaim, gpus: number, instanceType?: string) {
  const anyGpuType = claim.spec?.requirements?.some(
    r =>
      r.key === INSTANCE_TYPE_LABEL &&
      r.operator === 'In' &&
      (r.values ?? []).some(v => NVIDIA_INSTANCE.test(v)),
  );
  return (
    gpus > 0 ||
    (parseQuantity(claim.status?.capacity?.[GPU_RESOURCE]) ?? 0) > 0 ||
    Number(claim.metadata.labels?.[GPU_COUNT_LABEL] ?? 0) > 0 ||
    NVIDIA_INSTANCE.test(instanceType ?? '') ||
    Boolean(anyGpuType)
  );
}

/** What a NodeClaim's conditions say: the first False one wins, then progress. */
function stateOf(
  claim: RawNodeClaim,
): Pick<NodeClaimInfo, 'state' | 'reason' | 'message' | 'conditions'> {
  const launched = status(claim, 'Launched');
  const registered = status(claim, 'Registered');
  const initialized = status(claim, 'Initialized');
  const conditions = {
    launched: launched.value,
    registered: registered.value,
    initialized: initialized.value,
  };
  const failed = [launched, registered, initialized].find(
    c => c.value === 'False',
  );
  let state: NodeClaimState;
  let decided = failed?.condition;
  if (failed) state = 'failed';
  else if (initialized.value === 'True') state = 'ready';
  else if (launched.value === 'True') {
    state = 'launching';
    decided =
      registered.value === 'True'
        ? initialized.condition
        : registered.condition;
  } else {
    state = 'pending';
    decided = launched.condition;
  }
  return {
    state,
    conditions,
    ...(decided?.reason ? { reason: decided.reason } : {}),
    ...(decided?.message ? { message: decided.message } : {}),
  };
}

const ORDER: Record<NodeClaimState, number> = {
  failed: 0,
  pending: 1,
  launching: 2,
  ready: 3,
};

/**
 * The GPU NodeClaims of a list, not yet ready first, then oldest first;
 * undefined when the list said Karpenter is not installed.
 */
export function summarizeNodeClaims(list: {
  items: RawNodeClaim[];
}): NodeClaimInfo[] | undefined {
  if (notInstalled.has(list)) return undefined;
  const out: NodeClaimInfo[] = [];
  for (const claim of list.items) {
    const labels = claim.metadata.labels ?? {};
    const gpuRequested =
      parseQuantity(claim.spec?.resources?.requests?.[GPU_RESOURCE]) ?? 0;
    const instanceType =
      labels[INSTANCE_TYPE_LABEL] ??
      singleRequirement(claim, INSTANCE_TYPE_LABEL);
    if (!isGpuClaim(claim, gpuRequested, instanceType)) continue;
    const info: NodeClaimInfo = {
      name: claim.metadata.name,
      gpuRequested,
      ...stateOf(claim),
      createdAt: claim.metadata.creationTimestamp ?? new Date(0).toISOString(),
    };
    const nodePool =
      labels[NODEPOOL_LABEL] ?? singleRequirement(claim, NODEPOOL_LABEL);
    if (nodePool) info.nodePool = nodePool;
    if (instanceType) info.instanceType = instanceType;
    if (claim.status?.nodeName) info.nodeName = claim.status.nodeName;
    out.push(info);
  }
  return out.sort(
    (a, b) =>
      ORDER[a.state] - ORDER[b.state] ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.name.localeCompare(b.name),
  );
}

/** The GPU allocation with the cluster's GPU NodeClaims, aged at `now` (ms). */
export function withNodeClaims(
  gpu: GpuAllocation,
  claims: NodeClaimInfo[] | undefined,
  now: number,
): GpuAllocation {
  if (!claims) return gpu;
  return {
    ...gpu,
    nodeClaims: claims.map(c => ({
      ...c,
      ageSeconds: Math.max(
        0,
        Math.floor((now - Date.parse(c.createdAt)) / 1000),
      ),
    })),
  };
}

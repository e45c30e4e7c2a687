// Response of the backend's workload view:
// GET /api/llm-platform/v1/entities/{kind}/{namespace}/{name}/workloads.
// Compact summaries only: no raw Kubernetes objects cross this boundary.

/**
 * CPU in cores, memory in bytes, GPUs as a count of `nvidia.com/gpu`.
 * A missing field means the container or pod does not set it.
 *
 * @public
 */
export interface ResourceAmounts {
  cpu?: number;
  memoryBytes?: number;
  gpu?: number;
}

/**
 * Why a cluster could not be read, or could only be read in part.
 *
 * @public
 */
export type ClusterErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'timeout'
  | 'unreachable'
  | 'bad_response';

/**
 * One failed upstream read in one cluster. Never contains credentials.
 *
 * @public
 */
export interface ClusterError {
  kind: ClusterErrorKind;
  /** HTTP status from the Kubernetes API, when one was received. */
  status?: number;
  /** What was attempted, for example `list pods` (names the RBAC verb and resource). */
  request: string;
  message: string;
}

/**
 * The workload that owns a pod, resolved through ReplicaSet owner references.
 *
 * @public
 */
export interface OwnerRef {
  kind: string;
  name: string;
}

/**
 * A container as its pod's spec declares it.
 *
 * @public
 */
export interface ContainerSpecSummary {
  name: string;
  image: string;
  /** Present (true) for init containers, which run before the others. */
  init?: true;
  /** Omitted when the container sets none. */
  requests?: ResourceAmounts;
  limits?: ResourceAmounts;
}

/**
 * What pods of one workload revision share: the owner and the containers'
 * specs. Sent once per cluster in `ClusterWorkloads.podTemplates` instead of
 * in every pod.
 *
 * @public
 */
export interface PodTemplateSummary {
  owner?: OwnerRef;
  /** Init containers first, then the app containers, in spec order. */
  containers: ContainerSpecSummary[];
  /** Sum over the app containers (init containers excluded). */
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

/**
 * A container's state, from the pod's status.
 *
 * @public
 */
export interface ContainerStatusSummary {
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  ready: boolean;
  /** Omitted when 0. */
  restartCount?: number;
  /** Waiting or terminated reason, for example `CrashLoopBackOff` or `Completed`. */
  reason?: string;
  message?: string;
  exitCode?: number;
  /** The previous run's termination, for example reason `OOMKilled`. */
  lastTermination?: {
    reason?: string;
    message?: string;
    exitCode?: number;
    finishedAt?: string;
  };
}

/**
 * A recent Kubernetes warning event about a pod, for example `FailedMount` or
 * `Unhealthy`.
 *
 * @public
 */
export interface PodEvent {
  /** `Warning`: the only type the backend reads. */
  type: string;
  reason: string;
  message: string;
  /** How often it occurred (the event's series count). */
  count: number;
  /** When it last occurred, when the event says. */
  lastSeen?: string;
}

/** At most this many events are attached to each pod, most recent first. */
export const MAX_POD_EVENTS = 5;

/**
 * One of the entity's pods, compact: what it shares with the other pods of
 * its workload revision is in `podTemplates[template]`, and fields at their
 * default are omitted. `resolvePods` gives the whole picture of each pod.
 *
 * @public
 */
export interface PodSummary {
  name: string;
  namespace: string;
  /** Key of its template in `ClusterWorkloads.podTemplates`. */
  template: string;
  /** `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`. */
  phase: string;
  /** Pod-level reason, for example `Unschedulable` or `Evicted`. */
  reason?: string;
  message?: string;
  /** Ready app containers (the template says how many there are). */
  readyContainers: number;
  /** Restarts of the app containers; omitted when 0. */
  restarts?: number;
  createdAt?: string;
  node?: string;
  /**
   * Each container's state, in the template's order. Omitted when every
   * container is running and ready, has never restarted and has no last
   * termination.
   */
  containers?: ContainerStatusSummary[];
  /** Its recent warning events, most recent first, at most {@link MAX_POD_EVENTS}. */
  events?: PodEvent[];
}

/**
 * A pod's fields that are rarely set, in a {@link PodRow}.
 *
 * @public
 */
export type PodRowDetails = Pick<
  PodSummary,
  'restarts' | 'reason' | 'message' | 'containers' | 'events'
>;

/**
 * One pod in a {@link PodTable}: `[name, namespace, template, phase,
 * readyContainers, createdAt, node, details]`. Namespace, template, phase and
 * node are indexes into the table's lists (node -1 when not scheduled);
 * `createdAt` is in seconds since the epoch, or the timestamp as sent when it
 * is not a whole second, or null; `details` is omitted when none is set.
 *
 * @public
 */
export type PodRow = [
  name: string,
  namespace: number,
  template: number,
  phase: number,
  readyContainers: number,
  createdAt: number | string | null,
  node: number,
  details?: PodRowDetails,
];

/**
 * The pods of a cluster as rows, with the values many pods share listed once:
 * about a quarter of the bytes of one object per pod, which the browser
 * decompresses and parses on every refresh.
 *
 * @public
 */
export interface PodTable {
  namespaces: string[];
  /** Keys in `ClusterWorkloads.podTemplates`. */
  templates: string[];
  phases: string[];
  nodes: string[];
  rows: PodRow[];
}

/**
 * A container's spec and state together, as `resolvePods` gives them.
 *
 * @public
 */
export interface ContainerSummary {
  name: string;
  image: string;
  init: boolean;
  ready: boolean;
  restartCount: number;
  state: ContainerStatusSummary['state'];
  reason?: string;
  message?: string;
  exitCode?: number;
  lastTermination?: ContainerStatusSummary['lastTermination'];
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

/**
 * A pod with its template applied and its defaults filled in: what a table
 * row or a details panel shows.
 *
 * @public
 */
export interface ResolvedPod {
  name: string;
  namespace: string;
  phase: string;
  reason?: string;
  message?: string;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  createdAt?: string;
  /** Age when the answer was generated. */
  ageSeconds?: number;
  node?: string;
  owner?: OwnerRef;
  containers: ContainerSummary[];
  requests: ResourceAmounts;
  limits: ResourceAmounts;
  events?: PodEvent[];
}

/**
 * A Deployment, StatefulSet or other top-level owner of the entity's pods.
 *
 * @public
 */
export interface WorkloadSummary {
  kind: string;
  name: string;
  namespace: string;
  desiredReplicas?: number;
  readyReplicas?: number;
  /** How many of the returned pods it owns. */
  pods: number;
}

/**
 * At a glance: `full` (all allocatable GPUs requested), `partial`, `idle`
 * (none requested), `missing` (a GPU instance advertising no `nvidia.com/gpu`),
 * `none` (not a GPU node).
 *
 * @public
 */
export type GpuNodeState = 'full' | 'partial' | 'idle' | 'missing' | 'none';

/**
 * GPU allocation of one node.
 *
 * @public
 */
export interface GpuNodeSummary {
  name: string;
  instanceType?: string;
  /** From `nvidia.com/gpu.product`, for example `Tesla-T4`. */
  gpuProduct?: string;
  gpuCapacity: number;
  gpuAllocatable: number;
  /** Requested by every non-terminated pod on the node, not only the entity's. */
  gpuRequested: number;
  /** Requested by the entity's pods on this node. */
  entityGpuRequested: number;
  ready: boolean;
  schedulable: boolean;
  /** `key=value:Effect` of each taint. */
  taints: string[];
  hostsEntityPods: boolean;
  state: GpuNodeState;
  cpuAllocatable?: number;
  memoryAllocatableBytes?: number;
}

/**
 * GPU nodes of a cluster plus the nodes hosting the entity's pods.
 *
 * @public
 */
export interface GpuAllocation {
  nodes: GpuNodeSummary[];
  totals: {
    gpuNodes: number;
    capacity: number;
    allocatable: number;
    requested: number;
    entityRequested: number;
    /** GPU instances that advertise no allocatable GPU. */
    missingNodes: number;
  };
  /** When the node-wide pod requests were read; may be older than the pods. */
  observedAt: string;
  /**
   * GPU capacity Karpenter is bringing up or failed to bring up: the
   * cluster's `karpenter.sh/v1` NodeClaims for GPU instances, not yet ready
   * first. Absent where Karpenter is not installed.
   */
  nodeClaims?: NodeClaimSummary[];
}

/**
 * Where a Karpenter NodeClaim is: `pending` (no instance yet), `launching`
 * (instance launched, node not initialized), `ready`, or `failed` (a condition
 * is False, e.g. no capacity for the instance type).
 *
 * @public
 */
export type NodeClaimState = 'pending' | 'launching' | 'ready' | 'failed';

/**
 * A Karpenter NodeClaim for GPU capacity.
 *
 * @public
 */
export interface NodeClaimSummary {
  name: string;
  /** The `karpenter.sh/nodepool` it belongs to. */
  nodePool?: string;
  /** Once launched; before that, the single instance type it may be, if any. */
  instanceType?: string;
  /** GPUs the pending pods asked of it (`nvidia.com/gpu` requests). */
  gpuRequested: number;
  /** The node it became, once registered. */
  nodeName?: string;
  /** Status of the Launched, Registered and Initialized conditions. */
  conditions: Record<
    'launched' | 'registered' | 'initialized',
    'True' | 'False' | 'Unknown'
  >;
  state: NodeClaimState;
  /** Reason and message of the condition that decided the state, if any. */
  reason?: string;
  message?: string;
  createdAt: string;
  ageSeconds: number;
}

/**
 * How urgent a diagnostic finding is.
 *
 * @public
 */
export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/**
 * A Kubernetes object a finding is about.
 *
 * @public
 */
export interface DiagnosticObject {
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * A known failure mode recognised in the cluster's state.
 *
 * @public
 */
export interface DiagnosticFinding {
  /** Stable rule id, for example `pod-pending-insufficient-resources`. */
  ruleId: string;
  /** Failure catalogue ids the rule guards against, for example `D11`, `T-pending`. */
  failureIds: string[];
  severity: DiagnosticSeverity;
  title: string;
  objects: DiagnosticObject[];
  /** Plain-language cause. */
  cause: string;
  /** What to change. */
  fix: string;
  /** The Kubernetes message the finding is based on, when there is one. */
  evidence?: string;
}

/**
 * Counts for a summary line.
 *
 * @public
 */
export interface PodCounts {
  total: number;
  running: number;
  ready: number;
  pending: number;
  failed: number;
  succeeded: number;
  restarts: number;
}

/**
 * Everything about the entity's workloads in one cluster. When `errors` is
 * not empty the other fields hold what could still be read.
 *
 * @public
 */
export interface ClusterWorkloads {
  cluster: string;
  counts: PodCounts;
  /** What the pods share, by the key each pod's `template` names. */
  podTemplates: Record<string, PodTemplateSummary>;
  /**
   * The pods as a table, as the backend sends them; read them with `podsOf`
   * or `resolvePods`.
   */
  podTable?: PodTable;
  /** The pods one object each, as earlier backends sent them. */
  pods?: PodSummary[];
  workloads: WorkloadSummary[];
  gpu: GpuAllocation;
  diagnostics: DiagnosticFinding[];
  errors: ClusterError[];
}

/**
 * Why the workload view has nothing to show for an entity.
 * `missingAnnotation`: neither kubernetes-id nor label-selector annotation;
 * `invalidAnnotation`: an annotation does not parse; `noClusters`: no cluster configured.
 *
 * @public
 */
export type NotConfiguredReason =
  | 'missingAnnotation'
  | 'invalidAnnotation'
  | 'noClusters';

/**
 * Response of the workload view endpoint.
 *
 * @public
 */
export type EntityWorkloadsResponse =
  | {
      status: 'ok';
      entityRef: string;
      selector: { labelSelector: string; namespace?: string };
      clusters: ClusterWorkloads[];
      /** When the upstream data was read (older than now when served from cache). */
      generatedAt: string;
    }
  | {
      status: 'notConfigured';
      entityRef: string;
      reason: NotConfiguredReason;
      message: string;
    };

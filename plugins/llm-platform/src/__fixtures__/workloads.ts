import type {
  ClusterWorkloads,
  ContainerSpecSummary,
  ContainerStatusSummary,
  ContainerSummary,
  DiagnosticFinding,
  EntityWorkloadsResponse,
  GpuNodeSummary,
  PodSummary,
  PodTemplateSummary,
  ResolvedPod,
} from '@llm-platform/backstage-plugin-llm-platform-common';

export const ENTITY_REF = 'component:default/llama-3-8b-instruct';
export const GENERATED_AT = '2026-11-22T14:00:00.000Z';

const vllmContainer = (
  overrides: Partial<ContainerSummary> = {},
): ContainerSummary => ({
  name: 'vllm',
  image: 'vllm/vllm-openai:v0.11.0',
  init: false,
  ready: true,
  restartCount: 0,
  state: 'running',
  requests: { cpu: 3, memoryBytes: 12 * 2 ** 30, gpu: 1 },
  limits: { memoryBytes: 14 * 2 ** 30, gpu: 1 },
  ...overrides,
});

/** A pod as the table shows it; `makeCluster` sends it in the compact form. */
export const makePod = (
  name: string,
  overrides: Partial<ResolvedPod> = {},
): ResolvedPod => {
  const containers = overrides.containers ?? [vllmContainer()];
  return {
    name,
    namespace: 'llm-serving',
    phase: 'Running',
    readyContainers: containers.filter(c => c.ready && !c.init).length,
    totalContainers: containers.filter(c => !c.init).length,
    restarts: containers.reduce((sum, c) => sum + c.restartCount, 0),
    createdAt: '2026-11-20T09:12:00.000Z',
    ageSeconds: 190_080,
    node: 'ip-10-0-12-34.ec2.internal',
    owner: { kind: 'Deployment', name: 'llama-3-8b-vllm' },
    containers,
    requests: { cpu: 3, memoryBytes: 12 * 2 ** 30, gpu: 1 },
    limits: { memoryBytes: 14 * 2 ** 30, gpu: 1 },
    ...overrides,
  };
};

export const makeGpuNode = (
  name: string,
  overrides: Partial<GpuNodeSummary> = {},
): GpuNodeSummary => ({
  name,
  instanceType: 'g4dn.xlarge',
  gpuProduct: 'Tesla-T4',
  gpuCapacity: 1,
  gpuAllocatable: 1,
  gpuRequested: 1,
  entityGpuRequested: 1,
  ready: true,
  schedulable: true,
  taints: ['nvidia.com/gpu=true:NoSchedule'],
  hostsEntityPods: true,
  state: 'full',
  cpuAllocatable: 3.92,
  memoryAllocatableBytes: 15_500_000_000,
  ...overrides,
});

/**
 * The backend's compact form of pods (see `PodSummary`): what they share in
 * templates, defaults omitted; `resolvePods` turns it back into `pods`.
 */
export function compactPods(pods: ResolvedPod[]): {
  podTemplates: Record<string, PodTemplateSummary>;
  pods: PodSummary[];
} {
  const podTemplates: Record<string, PodTemplateSummary> = {};
  const keys = new Map<string, string>();
  const compact = pods.map(pod => {
    const template: PodTemplateSummary = {
      ...(pod.owner ? { owner: pod.owner } : {}),
      containers: pod.containers.map(c => {
        const spec: ContainerSpecSummary = { name: c.name, image: c.image };
        if (c.init) spec.init = true;
        if (Object.keys(c.requests).length) spec.requests = c.requests;
        if (Object.keys(c.limits).length) spec.limits = c.limits;
        return spec;
      }),
      requests: pod.requests,
      limits: pod.limits,
    };
    const identity = JSON.stringify(template);
    let key = keys.get(identity);
    if (!key) {
      key = `t${keys.size}`;
      keys.set(identity, key);
      podTemplates[key] = template;
    }
    const states = pod.containers.map(c => {
      const state: ContainerStatusSummary = { state: c.state, ready: c.ready };
      if (c.restartCount) state.restartCount = c.restartCount;
      if (c.reason) state.reason = c.reason;
      if (c.message) state.message = c.message;
      if (c.exitCode !== undefined) state.exitCode = c.exitCode;
      if (c.lastTermination) state.lastTermination = c.lastTermination;
      return state;
    });
    const out: PodSummary = {
      name: pod.name,
      namespace: pod.namespace,
      template: key,
      phase: pod.phase,
      readyContainers: pod.readyContainers,
    };
    if (pod.restarts) out.restarts = pod.restarts;
    if (pod.reason) out.reason = pod.reason;
    if (pod.message) out.message = pod.message;
    // Ages are as of the answer's generatedAt.
    if (pod.ageSeconds !== undefined) {
      out.createdAt = new Date(
        Date.parse(GENERATED_AT) - pod.ageSeconds * 1000,
      ).toISOString();
    } else if (pod.createdAt) out.createdAt = pod.createdAt;
    if (pod.node) out.node = pod.node;
    if (
      !states.every(
        c =>
          c.state === 'running' &&
          c.ready &&
          !c.restartCount &&
          !c.reason &&
          !c.lastTermination,
      )
    ) {
      out.containers = states;
    }
    if (pod.events) out.events = pod.events;
    return out;
  });
  return { podTemplates, pods: compact };
}

const countPods = (pods: ResolvedPod[]): ClusterWorkloads['counts'] => ({
  total: pods.length,
  running: pods.filter(p => p.phase === 'Running').length,
  ready: pods.filter(
    p => p.phase === 'Running' && p.readyContainers === p.totalContainers,
  ).length,
  pending: pods.filter(p => p.phase === 'Pending').length,
  failed: pods.filter(p => p.phase === 'Failed').length,
  succeeded: pods.filter(p => p.phase === 'Succeeded').length,
  restarts: pods.reduce((sum, p) => sum + p.restarts, 0),
});

export const makeCluster = (
  cluster: string,
  pods: ResolvedPod[],
  nodes: GpuNodeSummary[],
  extra: Partial<ClusterWorkloads> = {},
): ClusterWorkloads => {
  const gpuNodes = nodes.filter(n => n.state !== 'none');
  return {
    cluster,
    counts: countPods(pods),
    ...compactPods(pods),
    workloads: [
      {
        kind: 'Deployment',
        name: 'llama-3-8b-vllm',
        namespace: 'llm-serving',
        desiredReplicas: pods.length,
        readyReplicas: countPods(pods).ready,
        pods: pods.length,
      },
    ],
    gpu: {
      nodes,
      totals: {
        gpuNodes: gpuNodes.length,
        capacity: gpuNodes.reduce((s, n) => s + n.gpuCapacity, 0),
        allocatable: gpuNodes.reduce((s, n) => s + n.gpuAllocatable, 0),
        requested: gpuNodes.reduce((s, n) => s + n.gpuRequested, 0),
        entityRequested: gpuNodes.reduce((s, n) => s + n.entityGpuRequested, 0),
        missingNodes: nodes.filter(n => n.state === 'missing').length,
      },
      observedAt: GENERATED_AT,
    },
    diagnostics: [],
    errors: [],
    ...extra,
  };
};

const ok = (clusters: ClusterWorkloads[]): EntityWorkloadsResponse => ({
  status: 'ok',
  entityRef: ENTITY_REF,
  selector: {
    labelSelector: 'backstage.io/kubernetes-id=llama-3-8b-instruct',
    namespace: 'llm-serving',
  },
  clusters,
  generatedAt: GENERATED_AT,
});

/** Two ready vLLM replicas on two T4 nodes; nothing to report. */
export const healthyWorkloads = (): EntityWorkloadsResponse =>
  ok([
    makeCluster(
      'eks-prod-us-east-1',
      [
        makePod('llama-3-8b-vllm-7d9c6b5f4-abcde'),
        makePod('llama-3-8b-vllm-7d9c6b5f4-fghij', {
          node: 'ip-10-0-12-35.ec2.internal',
          ageSeconds: 3_700,
        }),
      ],
      [
        makeGpuNode('ip-10-0-12-34.ec2.internal'),
        makeGpuNode('ip-10-0-12-35.ec2.internal'),
      ],
    ),
  ]);

export const crashLoopFinding: DiagnosticFinding = {
  ruleId: 'vllm-kv-cache-too-small',
  failureIds: ['D16', 'T-crashloop'],
  severity: 'error',
  title: 'vLLM cannot fit the KV cache for the configured context',
  objects: [
    {
      kind: 'Pod',
      name: 'llama-3-8b-vllm-7d9c6b5f4-crash',
      namespace: 'llm-serving',
    },
  ],
  cause:
    "The model's max seq len (8192) is larger than the maximum number of tokens that can be stored in KV cache (2048) on a 16 GB T4.",
  fix: 'Lower --max-model-len to 2048, raise --gpu-memory-utilization to 0.90 or serve an AWQ build.',
  evidence:
    "ValueError: The model's max seq len (8192) is larger than the maximum number of tokens that can be stored in KV cache (2048).",
};

export const pendingFinding: DiagnosticFinding = {
  ruleId: 'pod-pending-insufficient-resources',
  failureIds: ['D11', 'T-pending'],
  severity: 'warning',
  title: 'Pod cannot be scheduled: requests exceed node allocatable',
  objects: [
    {
      kind: 'Pod',
      name: 'llama-3-8b-vllm-7d9c6b5f4-pend1',
      namespace: 'llm-serving',
    },
  ],
  cause:
    'The pod requests 4 CPU and 16 GiB; a g4dn.xlarge allocates about 3.9 CPU and 15 GiB.',
  fix: 'Request at most 3 CPU and 12 GiB, or use a g4dn.2xlarge node group.',
  evidence: '0/3 nodes are available: 3 Insufficient cpu.',
};

export const missingGpuFinding: DiagnosticFinding = {
  ruleId: 'gpu-node-advertises-no-gpu',
  failureIds: ['D09'],
  severity: 'warning',
  title: 'GPU instance advertises no nvidia.com/gpu',
  objects: [{ kind: 'Node', name: 'ip-10-0-40-7.ec2.internal' }],
  cause: 'The g5.xlarge node runs an AMI without NVIDIA drivers.',
  fix: 'Use the AL2023_x86_64_NVIDIA AMI type for the GPU node group.',
};

export const infoFinding: DiagnosticFinding = {
  ruleId: 'gpu-node-idle',
  failureIds: [],
  severity: 'info',
  title: 'A GPU node has no GPU requested',
  objects: [{ kind: 'Node', name: 'ip-10-0-12-36.ec2.internal' }],
  cause: 'No pod requests the node’s GPU.',
  fix: 'Scale the node group down if the capacity is not needed.',
};

/**
 * One cluster with a crash-looping and a pending pod and a GPU node without
 * GPUs; a second cluster that could not be listed (forbidden).
 */
export const troubledWorkloads = (): EntityWorkloadsResponse =>
  ok([
    makeCluster(
      'eks-prod-us-east-1',
      [
        makePod('llama-3-8b-vllm-7d9c6b5f4-abcde'),
        makePod('llama-3-8b-vllm-7d9c6b5f4-crash', {
          readyContainers: 0,
          restarts: 14,
          node: 'ip-10-0-12-35.ec2.internal',
          ageSeconds: 5_400,
          containers: [
            vllmContainer({
              ready: false,
              restartCount: 14,
              state: 'waiting',
              reason: 'CrashLoopBackOff',
              message: 'back-off 5m0s restarting failed container=vllm',
              lastTermination: {
                reason: 'Error',
                exitCode: 1,
                message:
                  "ValueError: The model's max seq len (8192) is larger than the maximum number of tokens that can be stored in KV cache (2048).",
                finishedAt: '2026-11-22T13:58:10.000Z',
              },
            }),
          ],
          events: [
            {
              type: 'Warning',
              reason: 'BackOff',
              message:
                'Back-off restarting failed container vllm in pod llama-3-8b-vllm-7d9c6b5f4-crash',
              count: 61,
              lastSeen: '2026-11-22T13:59:40Z',
            },
            {
              type: 'Warning',
              reason: 'Unhealthy',
              message:
                'Readiness probe failed: Get "http://10.0.12.80:8000/health": dial tcp 10.0.12.80:8000: connect: connection refused',
              count: 12,
              lastSeen: '2026-11-22T13:51:02Z',
            },
          ],
        }),
        makePod('llama-3-8b-vllm-7d9c6b5f4-pend1', {
          phase: 'Pending',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: 3 Insufficient cpu.',
          readyContainers: 0,
          node: undefined,
          ageSeconds: 620,
          containers: [
            vllmContainer({
              ready: false,
              state: 'waiting',
              reason: 'ContainerCreating',
            }),
          ],
        }),
      ],
      [
        makeGpuNode('ip-10-0-12-34.ec2.internal'),
        makeGpuNode('ip-10-0-12-35.ec2.internal'),
        makeGpuNode('ip-10-0-40-7.ec2.internal', {
          instanceType: 'g5.xlarge',
          gpuProduct: undefined,
          gpuCapacity: 0,
          gpuAllocatable: 0,
          gpuRequested: 0,
          entityGpuRequested: 0,
          hostsEntityPods: false,
          state: 'missing',
        }),
      ],
      {
        diagnostics: [
          pendingFinding,
          infoFinding,
          crashLoopFinding,
          missingGpuFinding,
        ],
      },
    ),
    makeCluster('eks-prod-eu-west-1', [], [], {
      errors: [
        {
          kind: 'forbidden',
          status: 403,
          request: 'list pods',
          message:
            'pods is forbidden: User "system:serviceaccount:backstage:reader" cannot list resource "pods"',
        },
      ],
    }),
  ]);

interface FleetPodKind {
  phase: string;
  podReason?: string;
  state: ContainerSummary['state'];
  reason?: string;
  ready: boolean;
}

const RUNNING: FleetPodKind = {
  phase: 'Running',
  state: 'running',
  ready: true,
};

// One pod in eight of each kind of trouble, the rest serving.
const FLEET_KINDS: FleetPodKind[] = [
  RUNNING,
  RUNNING,
  RUNNING,
  RUNNING,
  {
    phase: 'Running',
    state: 'waiting',
    reason: 'CrashLoopBackOff',
    ready: false,
  },
  {
    phase: 'Pending',
    podReason: 'Unschedulable',
    state: 'waiting',
    ready: false,
  },
  RUNNING,
  { phase: 'Failed', state: 'terminated', reason: 'OOMKilled', ready: false },
];

const fleetNode = (n: number) =>
  `ip-10-${Math.floor(n / 250)}-${n % 250}-10.ec2.internal`;

/** A large fleet: `count` pods, eight to a node, deterministic. */
export const largeWorkloads = (
  count = 2000,
  /** Changes the pods before they are sent. */
  edit?: (pods: ResolvedPod[]) => void,
): EntityWorkloadsResponse => {
  const nodeCount = Math.max(1, Math.ceil(count / 8));
  const pods: ResolvedPod[] = [];
  for (let i = 0; i < count; i++) {
    const kind = FLEET_KINDS[i % FLEET_KINDS.length];
    const restarts = kind.reason === 'CrashLoopBackOff' ? (i % 23) + 1 : i % 3;
    pods.push(
      makePod(`llama-3-8b-vllm-${String(i).padStart(4, '0')}`, {
        phase: kind.phase,
        reason: kind.podReason,
        readyContainers: kind.ready ? 1 : 0,
        restarts,
        ageSeconds: 60 + ((i * 7919) % 864_000),
        node:
          kind.phase === 'Pending' ? undefined : fleetNode(Math.floor(i / 8)),
        owner: { kind: 'Deployment', name: `llama-3-8b-vllm-shard-${i % 10}` },
        containers: [
          vllmContainer({
            ready: kind.ready,
            restartCount: restarts,
            state: kind.state,
            reason: kind.reason,
          }),
        ],
      }),
    );
  }
  const nodes: GpuNodeSummary[] = [];
  for (let n = 0; n < nodeCount; n++) {
    nodes.push(
      makeGpuNode(fleetNode(n), {
        instanceType: 'g5.48xlarge',
        gpuProduct: 'NVIDIA-A10G',
        gpuCapacity: 8,
        gpuAllocatable: 8,
        gpuRequested: 7,
        entityGpuRequested: 7,
        state: 'partial',
      }),
    );
  }
  edit?.(pods);
  return ok([
    makeCluster('eks-prod-us-east-1', pods, nodes, {
      diagnostics: [crashLoopFinding, pendingFinding],
    }),
  ]);
};

import {
  ClusterWorkloads,
  PodSummary,
  podsOf,
  resolvePods,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { loadScenario } from '../testing/scenario';
import { assembleClusterWorkloads, serializeClusters } from './assemble';
import { jsonText } from './jsonParts';
import { ClusterSnapshot, buildSnapshot } from './nodes';
import { trimPod } from './podInformer';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const GENERATED_AT = new Date(NOW).toISOString();

/** The view of a scenario's first cluster, from its pods as the informer keeps them. */
function view(name: string, labelSelector: (labels: any) => boolean) {
  const objects = loadScenario(name).clusters[0].objects as any[];
  const of = (kind: string) =>
    objects.filter(o => o.kind === kind).map(o => structuredClone(o));
  return assembleClusterWorkloads({
    cluster: 'c',
    reads: {
      pods: of('Pod')
        .filter(p => labelSelector(p.metadata.labels ?? {}))
        .map(trimPod),
      replicaSets: of('ReplicaSet'),
      deployments: of('Deployment'),
      statefulSets: of('StatefulSet'),
      pvcs: of('PersistentVolumeClaim'),
      events: of('Event'),
    },
    errors: [],
    now: NOW,
  });
}

describe('compact pod summaries', () => {
  const fleet = view(
    'small-fleet',
    labels => labels['backstage.io/kubernetes-id'] === 'vllm-fleet',
  );

  it('sends what the pods of a revision share once, as a template', () => {
    expect(fleet.pods).toHaveLength(200);
    // Ten Deployments of 20 replicas, one ReplicaSet each.
    expect(Object.keys(fleet.podTemplates)).toHaveLength(10);
    expect(fleet.podTemplates[fleet.pods[0].template]).toEqual({
      owner: { kind: 'Deployment', name: 'vllm-0' },
      containers: [
        {
          name: 'log-shipper',
          image: 'fluent/fluent-bit:3.0.4',
          requests: { cpu: 0.05, memoryBytes: 64 * 2 ** 20 },
          limits: { memoryBytes: 128 * 2 ** 20 },
        },
        {
          name: 'vllm',
          image: 'vllm/vllm-openai:v0.10.1',
          requests: { cpu: 4, memoryBytes: 24 * 2 ** 30, gpu: 1 },
          limits: { cpu: 8, memoryBytes: 32 * 2 ** 30, gpu: 1 },
        },
      ],
      requests: { cpu: 4.05, memoryBytes: 24 * 2 ** 30 + 64 * 2 ** 20, gpu: 1 },
      limits: { cpu: 8, memoryBytes: 32 * 2 ** 30 + 128 * 2 ** 20, gpu: 1 },
    });
    for (const pod of fleet.pods) {
      expect(fleet.podTemplates[pod.template]).toBeDefined();
    }
  });

  it('omits container states that say only "running and ready"', () => {
    const running = fleet.pods.filter(p => p.phase === 'Running');
    const pending = fleet.pods.filter(p => p.phase === 'Pending');
    expect(running.length).toBeGreaterThan(0);
    expect(pending.length).toBeGreaterThan(0);
    expect(running.every(p => p.containers === undefined)).toBe(true);
    // Containers of a pending pod have no status yet: that is worth saying.
    expect(pending[0].containers).toEqual([
      { state: 'unknown', ready: false },
      { state: 'unknown', ready: false },
    ]);
    expect(pending[0]).toMatchObject({
      reason: 'Unschedulable',
      readyContainers: 0,
    });
    expect(pending[0].node).toBeUndefined();
  });

  it('serialises the same view with the pods as a table, under 100 bytes a pod with everything else', () => {
    const json = jsonText(serializeClusters([fleet]));
    const [sent] = JSON.parse(json) as ClusterWorkloads[];
    const { pods, ...rest } = JSON.parse(JSON.stringify(fleet));
    expect(sent).toEqual({ ...rest, podTable: expect.any(Object) });
    expect(
      podsOf(sent).map(p => ({ ...p, createdAt: Date.parse(p.createdAt!) })),
    ).toEqual(
      pods.map((p: PodSummary) => ({
        ...p,
        createdAt: Date.parse(p.createdAt!),
      })),
    );
    // The summaries with every container spelled out took about 800 bytes
    // per pod of this fleet, one object per pod about 250 (templates, nodes
    // and diagnostics included).
    expect(json.length / fleet.pods.length).toBeLessThan(100);
  });

  it('resolves to the whole picture of each pod, crash loops and OOM kills included', () => {
    const oom = view(
      'oom-killed',
      labels => labels['backstage.io/kubernetes-id'] === 'eval-api',
    );
    const [pod] = resolvePods(
      JSON.parse(jsonText(serializeClusters([oom])))[0] as ClusterWorkloads,
      GENERATED_AT,
    );
    expect(pod).toMatchObject({
      name: 'eval-api-cc87df6bf-4t4hk',
      phase: 'Running',
      readyContainers: 0,
      totalContainers: 1,
      restarts: 4,
      node: 'ip-10-0-2-20',
      requests: { cpu: 0.25, memoryBytes: 256 * 2 ** 20 },
      limits: { memoryBytes: 512 * 2 ** 20 },
      containers: [
        {
          name: 'api',
          image:
            '388691194728.dkr.ecr.us-west-2.amazonaws.com/llmplatform-dev/eval-api:dev-latest',
          init: false,
          ready: false,
          restartCount: 4,
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          message: 'back-off 1m20s restarting failed container=api',
          lastTermination: {
            reason: 'OOMKilled',
            exitCode: 137,
            finishedAt: '2026-02-25T10:05:00Z',
          },
          requests: { cpu: 0.25, memoryBytes: 256 * 2 ** 20 },
          limits: { memoryBytes: 512 * 2 ** 20 },
        },
      ],
    });
  });

  it('resolves a healthy pod with its owner and an age as of the answer', () => {
    const [cluster] = JSON.parse(
      jsonText(serializeClusters([fleet])),
    ) as ClusterWorkloads[];
    const pods = resolvePods(cluster, GENERATED_AT);
    const first = pods.find(p => p.phase === 'Running')!;
    expect(first).toMatchObject({
      owner: { kind: 'Deployment', name: 'vllm-0' },
      totalContainers: 2,
      readyContainers: 2,
      restarts: 0,
      ageSeconds: (NOW - Date.parse(first.createdAt!)) / 1000,
    });
    expect(first.containers.map(c => [c.name, c.state, c.ready])).toEqual([
      ['log-shipper', 'running', true],
      ['vllm', 'running', true],
    ]);
    // Memoised: the same pod object resolves to the same object.
    expect(resolvePods(cluster, GENERATED_AT)[0]).toBe(pods[0]);
  });
});

describe('what answers share while its inputs are unchanged', () => {
  const objects = loadScenario('small-fleet').clusters[0].objects as any[];
  const of = (kind: string) => objects.filter(o => o.kind === kind);
  const pods = of('Pod').map(trimPod);
  const nodes = buildSnapshot(of('Node'), pods, [], new Date(NOW));
  const assemble = (
    snapshot: ClusterSnapshot,
    replicaSets: any[] = of('ReplicaSet'),
  ) =>
    assembleClusterWorkloads({
      cluster: 'c',
      reads: {
        pods,
        replicaSets,
        deployments: [],
        statefulSets: [],
        pvcs: [],
        events: [],
      },
      snapshot,
      errors: [],
      now: NOW,
    });

  it('reuses templates and GPU nodes, and recomputes them when what they come from changes', () => {
    const first = assemble(nodes);
    const again = assemble({ ...nodes, observedAt: GENERATED_AT });
    expect(again.podTemplates).toBe(first.podTemplates);
    expect(again.gpu.nodes).toBe(first.gpu.nodes);
    expect(again.gpu.observedAt).toBe(GENERATED_AT);

    // Another pod now requests every GPU of the first node.
    const node = first.gpu.nodes[0].name;
    const busier = assemble({
      ...nodes,
      requestedByNode: { ...nodes.requestedByNode, [node]: { gpu: 8 } },
    });
    expect(busier.gpu.nodes[0]).toMatchObject({ name: node, gpuRequested: 8 });
    expect(first.gpu.nodes[0].gpuRequested).not.toBe(8);

    // Without the ReplicaSets, owners come from the naming convention alone.
    const renamed = of('ReplicaSet').map(rs => ({
      ...rs,
      metadata: {
        ...rs.metadata,
        ownerReferences: [
          { kind: 'Deployment', name: 'other', controller: true },
        ],
      },
    }));
    const reowned = assemble(nodes, renamed);
    expect(reowned.podTemplates).not.toBe(first.podTemplates);
    expect(Object.values(reowned.podTemplates)[0].owner).toEqual({
      kind: 'Deployment',
      name: 'other',
    });
  });
});

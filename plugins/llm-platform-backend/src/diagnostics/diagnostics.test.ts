import { createLabelMatcher } from '../kubernetes/labelMatcher';
import {
  buildNode,
  buildPod,
  buildStorageClass,
  buildWarningEvent,
} from '../testing/builders';
import { listScenarios, loadScenario } from '../testing/scenario';
import { assembleClusterWorkloads } from '../workloads/assemble';
import { buildSnapshot } from '../workloads/nodes';
import { DIAGNOSTIC_RULES, DiagnosticsInput, runDiagnostics } from '.';
import { needsAttention } from './helpers';

const NOW = Date.parse('2026-03-01T00:00:00Z');

/** Runs the same assembly as the service over a scenario's objects, without HTTP. */
function diagnoseScenario(name: string) {
  const scenario = loadScenario(name);
  const objects = scenario.clusters[0].objects as any[];
  const of = (kind: string) => objects.filter(o => o.kind === kind);
  const match = createLabelMatcher(
    scenario.entity.labelSelector ??
      `backstage.io/kubernetes-id=${scenario.entity.kubernetesId}`,
  );
  const ns = scenario.entity.namespace;
  const pods = of('Pod').filter(
    p => match(p.metadata.labels) && (!ns || p.metadata.namespace === ns),
  );
  return {
    scenario,
    view: assembleClusterWorkloads({
      cluster: scenario.clusters[0].name,
      reads: {
        pods,
        replicaSets: of('ReplicaSet'),
        deployments: of('Deployment'),
        statefulSets: of('StatefulSet'),
        pvcs: of('PersistentVolumeClaim'),
        events: of('Event'),
      },
      snapshot: buildSnapshot(
        of('Node'),
        of('Pod'),
        of('StorageClass'),
        new Date(NOW),
      ),
      errors: [],
      now: NOW,
    }),
  };
}

const fixtureScenarios = listScenarios('fixtures');

describe('diagnostics on the scenario fixtures', () => {
  it.each(fixtureScenarios)('%s fires exactly the rules it expects', name => {
    const { scenario, view } = diagnoseScenario(name);
    expect([...new Set(view.diagnostics.map(d => d.ruleId))].sort()).toEqual(
      [...scenario.expectRules].sort(),
    );
    for (const finding of view.diagnostics) {
      const rule = DIAGNOSTIC_RULES.find(r => r.id === finding.ruleId)!;
      expect(finding.failureIds.length).toBeGreaterThan(0);
      expect(rule.failureIds).toEqual(
        expect.arrayContaining(finding.failureIds),
      );
      expect(finding.cause).not.toBe('');
      expect(finding.fix).not.toBe('');
      expect(finding.objects.length).toBeGreaterThan(0);
    }
  });

  it.each(fixtureScenarios.filter(n => /^d\d\d-/.test(n)))(
    '%s is recognised as the failure it is named after',
    name => {
      const id = name.slice(0, 3).toUpperCase();
      const { view } = diagnoseScenario(name);
      expect(view.diagnostics.flatMap(d => d.failureIds)).toContain(id);
    },
  );

  it('covers every rule with at least one firing scenario', () => {
    const fired = new Set(
      fixtureScenarios.flatMap(n => loadScenario(n).expectRules),
    );
    expect(
      DIAGNOSTIC_RULES.map(r => r.id).filter(id => !fired.has(id)),
    ).toEqual([]);
  });

  it('tells the D11 case (never fits) apart and names the numbers', () => {
    const { view } = diagnoseScenario('d11-requests-exceed-gpu-node');
    expect(view.diagnostics[0]).toMatchObject({
      failureIds: ['D11', 'T-pending'],
      title: 'Requests exceed what any eligible node can allocate',
    });
    expect(view.diagnostics[0].cause).toContain(
      'cpu 4 while the largest node it may run on, ip-10-0-1-10 (g4dn.xlarge), allocates 3.92',
    );
    expect(view.diagnostics[0].cause).toContain('memory 16Gi');
  });

  it('shows a GPU instance without allocatable GPUs as missing in the allocation', () => {
    const { view } = diagnoseScenario('d09-gpu-node-without-gpu');
    expect(view.gpu.totals).toMatchObject({
      gpuNodes: 1,
      allocatable: 0,
      missingNodes: 1,
    });
    expect(view.gpu.nodes[0]).toMatchObject({
      state: 'missing',
      instanceType: 'g4dn.xlarge',
    });
  });

  it('tells a placeholder image (D19) from a missing tag (D20)', () => {
    const d19 = diagnoseScenario('d19-invalid-image-name').view.diagnostics[0];
    const d20 = diagnoseScenario('d20-image-tag-not-found').view.diagnostics[0];
    expect(d19.failureIds).toEqual(['D19']);
    expect(d19.cause).toContain('placeholder "ACCOUNT_ID"');
    expect(d20.failureIds).toEqual(['D20']);
    expect(d20.cause).toContain('no tag "dev-latest"');
  });

  it('names the last termination of a crash loop, including the vLLM KV cache error', () => {
    const [finding] = diagnoseScenario('d16-crashloop-kv-cache').view
      .diagnostics;
    expect(finding.failureIds).toEqual(['D16']);
    expect(finding.cause).toContain(
      'exits with code 1 (Error) and has restarted 7 times',
    );
    expect(finding.evidence).toContain('KV cache (1936)');
  });

  it('reports the memory limit of an OOMKilled container', () => {
    const [finding] = diagnoseScenario('oom-killed').view.diagnostics;
    expect(finding.cause).toContain('its limit of 512Mi');
  });
});

// Near misses: each rule stays silent on a state that looks like its failure but is not.
const gpuNode = buildNode({
  name: 'gpu-1',
  instanceType: 'g5.xlarge',
  gpus: 1,
  labels: { workload: 'gpu' },
  taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
});
const gpuToleration = [
  { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
];

function input(
  partial: Partial<Record<keyof DiagnosticsInput, any[]>>,
): DiagnosticsInput {
  const json = (x: unknown) => JSON.parse(JSON.stringify(x));
  const snapshot = buildSnapshot(
    json(partial.nodes ?? [gpuNode]),
    [],
    json(partial.storageClasses ?? [buildStorageClass('gp2')]),
    new Date(NOW),
  );
  return {
    pods: json(partial.pods ?? []),
    nodes: snapshot.nodes,
    pvcs: json(partial.pvcs ?? []),
    storageClasses: snapshot.storageClasses,
    events: json(partial.events ?? []),
    now: NOW,
  };
}

const rule = (id: string) => DIAGNOSTIC_RULES.find(r => r.id === id)!;

describe('diagnostic rules do not fire on near misses', () => {
  it('pod-pending-insufficient-resources: requests that fit, or a pod pending for another reason', () => {
    const pending = buildPod({
      name: 'p',
      nodeSelector: { workload: 'gpu' },
      tolerations: gpuToleration,
      unschedulable:
        '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
      containers: [
        {
          resources: {
            requests: { cpu: '2', memory: '12Gi', 'nvidia.com/gpu': '1' },
          },
        },
      ],
    });
    expect(
      rule('pod-pending-insufficient-resources').evaluate(
        input({ pods: [pending] }),
      ),
    ).toEqual([]);
    const running = buildPod({
      name: 'r',
      nodeName: 'gpu-1',
      containers: [{ resources: { requests: { cpu: '64' } } }],
    });
    expect(
      rule('pod-pending-insufficient-resources').evaluate(
        input({ pods: [running] }),
      ),
    ).toEqual([]);
  });

  it('pod-pending-insufficient-resources: a full cluster is told apart from requests that never fit', () => {
    const pending = buildPod({
      name: 'p',
      tolerations: gpuToleration,
      unschedulable: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.',
      containers: [{ resources: { requests: { 'nvidia.com/gpu': '1' } } }],
    });
    const [finding] = rule('pod-pending-insufficient-resources').evaluate(
      input({ pods: [pending] }),
    );
    expect(finding.failureIds).toEqual(['D12', 'D30', 'T-pending']);
    expect(finding.title).toBe('Not enough free nvidia.com/gpu in the cluster');
  });

  it('gpu-node-without-gpus: GPU nodes that advertise GPUs, or entities that need none', () => {
    const gpuPod = buildPod({
      name: 'p',
      containers: [{ resources: { requests: { 'nvidia.com/gpu': '1' } } }],
    });
    expect(
      rule('gpu-node-without-gpus').evaluate(input({ pods: [gpuPod] })),
    ).toEqual([]);
    const bare = buildNode({ name: 'g', instanceType: 'g4dn.xlarge' });
    const cpuPod = buildPod({
      name: 'c',
      nodeName: 'other',
      containers: [{ resources: { requests: { cpu: '1' } } }],
    });
    expect(
      rule('gpu-node-without-gpus').evaluate(
        input({ nodes: [bare], pods: [cpuPod] }),
      ),
    ).toEqual([]);
    const general = buildNode({ name: 'm', instanceType: 'm5.large' });
    expect(
      rule('gpu-node-without-gpus').evaluate(
        input({ nodes: [general], pods: [gpuPod] }),
      ),
    ).toEqual([]);
  });

  const pvc = (
    name: string,
    storageClassName: string | undefined,
    phase: string,
    extra: object = {},
  ) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: 'default',
      creationTimestamp: '2026-02-01T00:00:00Z',
      ...extra,
    },
    spec: { storageClassName },
    status: { phase },
  });

  it('pvc-storage-class-missing: bound claims, and pending claims of an existing class', () => {
    expect(
      rule('pvc-storage-class-missing').evaluate(
        input({ pvcs: [pvc('a', 'gp3', 'Bound'), pvc('b', 'gp2', 'Pending')] }),
      ),
    ).toEqual([]);
  });

  it('pvc-unbound: bound, young, or waiting for its first consumer', () => {
    const wffc = {
      ...buildStorageClass('gp2'),
      volumeBindingMode: 'WaitForFirstConsumer',
    };
    expect(
      rule('pvc-unbound').evaluate(
        input({
          storageClasses: [wffc],
          pvcs: [
            pvc('bound', 'gp2', 'Bound'),
            pvc('waiting', 'gp2', 'Pending'),
            {
              ...pvc('young', 'gp2', 'Pending', {
                annotations: { 'volume.kubernetes.io/selected-node': 'n' },
              }),
              metadata: {
                name: 'young',
                namespace: 'default',
                creationTimestamp: new Date(NOW - 5000).toISOString(),
              },
            },
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      rule('pvc-unbound').evaluate(
        input({ pvcs: [pvc('missing-class', 'gp3', 'Pending')] }),
      ),
    ).toEqual([]);
  });

  it('image-pull-failure: containers still being created or running', () => {
    const creating = buildPod({
      name: 'p',
      nodeName: 'gpu-1',
      phase: 'Pending',
    });
    const running = buildPod({ name: 'r', nodeName: 'gpu-1' });
    expect(
      rule('image-pull-failure').evaluate(input({ pods: [creating, running] })),
    ).toEqual([]);
  });

  const crashed = (lastReason: string, waiting = 'CrashLoopBackOff') =>
    buildPod({
      name: `p-${lastReason}`,
      nodeName: 'gpu-1',
      containers: [
        {
          resources: { limits: { memory: '1Gi' } },
          status: {
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: waiting } },
            lastState: {
              terminated: { reason: lastReason, exitCode: 137 },
            } as any,
          },
        },
      ],
    });

  it('container-crash-loop: leaves OOMKilled to its own rule, and ignores restarts that recovered', () => {
    expect(
      rule('container-crash-loop').evaluate(
        input({ pods: [crashed('OOMKilled')] }),
      ),
    ).toEqual([]);
    const recovered = buildPod({
      name: 'ok',
      nodeName: 'gpu-1',
      containers: [
        {
          status: {
            restartCount: 2,
            lastState: { terminated: { reason: 'Error', exitCode: 1 } } as any,
          },
        },
      ],
    });
    expect(
      rule('container-crash-loop').evaluate(input({ pods: [recovered] })),
    ).toEqual([]);
  });

  it('container-oom-killed: other terminations', () => {
    expect(
      rule('container-oom-killed').evaluate(
        input({ pods: [crashed('Error')] }),
      ),
    ).toEqual([]);
    expect(
      rule('container-oom-killed').evaluate(
        input({ pods: [crashed('OOMKilled')] }),
      ),
    ).toHaveLength(1);
  });

  it('probe-failing: probe events of other pods, and other warnings', () => {
    const pod = buildPod({ name: 'p', nodeName: 'gpu-1' });
    const events = [
      buildWarningEvent({
        name: 'e1',
        object: { kind: 'Pod', name: 'someone-else' },
        reason: 'Unhealthy',
        message: 'Readiness probe failed: connection refused',
      }),
      buildWarningEvent({
        name: 'e2',
        object: { kind: 'Pod', name: 'p' },
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
      }),
    ];
    expect(
      rule('probe-failing').evaluate(input({ pods: [pod], events })),
    ).toEqual([]);
  });

  it('mount-missing-object: mount failures with another cause', () => {
    const pod = buildPod({ name: 'p', nodeName: 'gpu-1', phase: 'Pending' });
    const events = [
      buildWarningEvent({
        name: 'e',
        object: { kind: 'Pod', name: 'p' },
        reason: 'FailedMount',
        message:
          'Unable to attach or mount volumes: unmounted volumes=[cache]: timed out waiting for the condition',
      }),
    ];
    expect(
      rule('mount-missing-object').evaluate(input({ pods: [pod], events })),
    ).toEqual([]);
  });

  it('pod-pending-untolerated-taint: a tolerated taint, or one untainted eligible node', () => {
    const tolerant = buildPod({
      name: 'p',
      nodeSelector: { workload: 'gpu' },
      tolerations: gpuToleration,
      unschedulable: 'x',
    });
    expect(
      rule('pod-pending-untolerated-taint').evaluate(
        input({ pods: [tolerant] }),
      ),
    ).toEqual([]);
    const plain = buildPod({ name: 'q', unschedulable: 'x' });
    const untainted = buildNode({ name: 'cpu-1' });
    expect(
      rule('pod-pending-untolerated-taint').evaluate(
        input({ pods: [plain], nodes: [gpuNode, untainted] }),
      ),
    ).toEqual([]);
  });

  it('pod-pending-node-selector: a selector some node matches, or a pod already running', () => {
    const matching = buildPod({
      name: 'p',
      nodeSelector: { workload: 'gpu' },
      unschedulable: 'x',
    });
    const running = buildPod({
      name: 'r',
      nodeName: 'gpu-1',
      nodeSelector: { 'node-type': 'gpu' },
    });
    expect(
      rule('pod-pending-node-selector').evaluate(
        input({ pods: [matching, running] }),
      ),
    ).toEqual([]);
  });
});

describe('runDiagnostics', () => {
  it('merges replicas failing the same way into one finding', () => {
    const pods = Array.from({ length: 30 }, (_, i) =>
      buildPod({
        name: `vllm-${i}`,
        nodeName: 'gpu-1',
        containers: [
          {
            status: {
              ready: false,
              restartCount: i,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: {
                terminated: { reason: 'Error', exitCode: 1 },
              } as any,
            },
          },
        ],
      }),
    );
    const findings = runDiagnostics(input({ pods }));
    expect(findings).toHaveLength(1);
    expect(findings[0].objects).toHaveLength(20);
    expect(findings[0].title).toBe(
      'Container main is crash-looping (30 objects, 20 listed)',
    );
  });
});

describe('pods that need attention', () => {
  const ready = () =>
    buildPod({ name: 'ok', nodeName: 'gpu-1', containers: [{}] });

  it('leaves out only pods running every container ready, never restarted', () => {
    const [healthy] = input({ pods: [ready()] }).pods;
    expect(needsAttention(healthy)).toBe(false);
    const restarted = ready();
    restarted.status!.containerStatuses![0].restartCount = 1;
    const notReady = ready();
    notReady.status!.containerStatuses![0].ready = false;
    const pending = buildPod({ name: 'p', containers: [{}] });
    for (const pod of input({ pods: [restarted, notReady, pending] }).pods) {
      expect(needsAttention(pod)).toBe(true);
    }
  });

  it('still diagnoses a ready pod from its warning events', () => {
    const findings = runDiagnostics(
      input({
        pods: [ready()],
        events: [
          buildWarningEvent({
            name: 'ok.1',
            object: { kind: 'Pod', name: 'ok' },
            reason: 'Unhealthy',
            message:
              'Readiness probe failed: HTTP probe failed with statuscode: 503',
          }),
        ],
      }),
    );
    expect(findings.map(f => f.ruleId)).toEqual(['probe-failing']);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { loadYaml } from '@kubernetes/client-node';
import {
  DEFAULT_SIMULATOR_TOKEN,
  KubernetesSimulator,
  SimulatorFault,
  TokenGrant,
} from './simulator/KubernetesSimulator';
import {
  buildDeployment,
  buildNode,
  buildPod,
  buildReplicaSet,
  buildStorageClass,
} from './builders';

/** The folder of scenario files, shared by tests, the benchmark and a sandbox. */
export const SCENARIOS_DIR = resolvePackagePath(
  '@llm-platform/backstage-plugin-llm-platform-backend',
  'src/testing/scenarios',
);

export interface ScenarioCluster {
  name: string;
  tokens?: Record<string, TokenGrant>;
  faults?: SimulatorFault[];
  objects: object[];
}

export interface Scenario {
  name: string;
  description: string;
  entity: { kubernetesId?: string; labelSelector?: string; namespace?: string };
  /** Diagnostic rules that must fire for the entity. */
  expectRules: string[];
  clusters: ScenarioCluster[];
}

export interface FleetOptions {
  clusters: number;
  podsPerCluster: number;
  entityPodsPerCluster: number;
  gpuNodes: number;
  generalNodes: number;
  /** Value of the entity's `backstage.io/kubernetes-id`. */
  kubernetesId?: string;
}

/**
 * Names of the scenario files, without extension. `fixtures` keeps the
 * hand-written ones, `fleets` the generated benchmark scales.
 */
export function listScenarios(
  which: 'all' | 'fixtures' | 'fleets' = 'all',
): string[] {
  return fs
    .readdirSync(SCENARIOS_DIR)
    .filter(f => f.endsWith('.yaml'))
    .map(f => f.replace(/\.yaml$/, ''))
    .filter(name => {
      if (which === 'all') return true;
      const raw = loadYaml<any>(
        fs.readFileSync(path.join(SCENARIOS_DIR, `${name}.yaml`), 'utf8'),
      );
      return Boolean(raw.generate) === (which === 'fleets');
    })
    .sort();
}

export function loadScenario(name: string): Scenario {
  const file = path.join(SCENARIOS_DIR, `${name}.yaml`);
  const raw = loadYaml<any>(fs.readFileSync(file, 'utf8'));
  const entity = raw.entity ?? {};
  const clusters: ScenarioCluster[] = raw.generate?.fleet
    ? generateFleet({
        ...raw.generate.fleet,
        kubernetesId: entity.kubernetesId,
      })
    : raw.clusters ?? [];
  return {
    name,
    description: String(raw.description ?? ''),
    entity,
    expectRules: raw.expectRules ?? [],
    clusters,
  };
}

const GPU_TAINT = {
  key: 'nvidia.com/gpu',
  value: 'true',
  effect: 'NoSchedule',
};

// Pods carry the fields a real controller-created pod has (env, mounts,
// probes, conditions), so byte counts resemble a real cluster's.
function fleetPod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  owner: string,
  nodeName: string | undefined,
  gpu: boolean,
) {
  const pod = buildPod({
    name,
    namespace,
    labels,
    nodeName,
    owner: { kind: 'ReplicaSet', name: owner },
    tolerations: gpu
      ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]
      : undefined,
    nodeSelector: gpu ? { 'nvidia.com/gpu.present': 'true' } : undefined,
    unschedulable: nodeName
      ? undefined
      : "0/300 nodes are available: 250 Insufficient nvidia.com/gpu, 50 node(s) didn't match Pod's node affinity/selector.",
    containers: [
      {
        name: 'log-shipper',
        image: 'fluent/fluent-bit:3.0.4',
        resources: {
          requests: { cpu: '50m', memory: '64Mi' },
          limits: { memory: '128Mi' },
        },
      },
      {
        name: gpu ? 'vllm' : 'app',
        image: gpu ? 'vllm/vllm-openai:v0.10.1' : 'nginx:1.27',
        resources: gpu
          ? {
              requests: { cpu: '4', memory: '24Gi', 'nvidia.com/gpu': '1' },
              limits: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '1' },
            }
          : {
              requests: { cpu: '100m', memory: '128Mi' },
              limits: { memory: '256Mi' },
            },
      },
    ],
  });
  const container = pod.spec!.containers[1];
  container.args = [
    '--model',
    'TheBloke/Mistral-7B-Instruct-v0.2-AWQ',
    '--quantization',
    'awq',
    '--dtype',
    'half',
    '--max-model-len',
    '4096',
    '--gpu-memory-utilization',
    '0.90',
    '--port',
    '8000',
  ];
  container.env = [
    { name: 'HF_HOME', value: '/models/cache' },
    { name: 'MODEL', value: 'TheBloke/Mistral-7B-Instruct-v0.2-AWQ' },
    { name: 'MAX_MODEL_LEN', value: '4096' },
    { name: 'GPU_MEMORY_UTILIZATION', value: '0.90' },
    {
      name: 'HF_TOKEN',
      valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } },
    },
  ];
  container.ports = [{ name: 'http', containerPort: 8000, protocol: 'TCP' }];
  container.readinessProbe = {
    httpGet: { path: '/health', port: 8000 },
    periodSeconds: 10,
  };
  container.volumeMounts = [
    { name: 'cache', mountPath: '/models/cache' },
    {
      name: 'kube-api-access',
      mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
      readOnly: true,
    },
  ];
  pod.spec!.volumes = [
    { name: 'cache', emptyDir: {} },
    {
      name: 'kube-api-access',
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          {
            configMap: {
              name: 'kube-root-ca.crt',
              items: [{ key: 'ca.crt', path: 'ca.crt' }],
            },
          },
        ],
      },
    },
  ];
  pod.metadata!.annotations = {
    'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z',
  };
  const { metadata, spec, status } = JSON.parse(JSON.stringify(pod));
  pod.metadata!.managedFields = [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time: pod.metadata!.creationTimestamp,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1({ metadata, spec }),
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: pod.metadata!.creationTimestamp,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1({ status }),
      subresource: 'status',
    },
  ];
  return pod;
}

// The apiserver's managedFields set notation (`f:field`, `k:{"name":...}`),
// which real list responses carry for every object and which dominates their size.
function fieldsV1(value: unknown): object {
  if (Array.isArray(value)) {
    const out: Record<string, object> = {};
    value.forEach((item, i) => {
      const key =
        item && typeof item === 'object' && 'name' in item
          ? `k:{"name":${JSON.stringify(item.name)}}`
          : `i:${i}`;
      out[key] = { '.': {}, ...fieldsV1(item) };
    });
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, object> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'managedFields' || v === undefined) continue;
      out[`f:${k}`] = v && typeof v === 'object' ? fieldsV1(v) : {};
    }
    return out;
  }
  return {};
}

/**
 * A fleet at scale: per cluster, GPU nodes with 8 GPUs each, general nodes,
 * the entity's vLLM pods (one GPU each, in Deployments of 20 replicas) and
 * other teams' pods spread over all nodes.
 */
export function generateFleet(o: FleetOptions): ScenarioCluster[] {
  const id = o.kubernetesId ?? 'vllm-fleet';
  const clusters: ScenarioCluster[] = [];
  for (let c = 0; c < o.clusters; c++) {
    const objects: object[] = [];
    const gpuNodes: string[] = [];
    const allNodes: string[] = [];
    for (let n = 0; n < o.gpuNodes; n++) {
      const name = `gpu-${c}-${n}`;
      gpuNodes.push(name);
      allNodes.push(name);
      objects.push(
        buildNode({
          name,
          instanceType: 'g5.48xlarge',
          gpuProduct: 'NVIDIA-A10G',
          gpus: 8,
          cpu: '191450m',
          memory: '747Gi',
          taints: [GPU_TAINT],
          labels: { 'nvidia.com/gpu.present': 'true' },
        }),
      );
    }
    for (let n = 0; n < o.generalNodes; n++) {
      const name = `general-${c}-${n}`;
      allNodes.push(name);
      objects.push(
        buildNode({
          name,
          instanceType: 'm5.4xlarge',
          cpu: '15890m',
          memory: '57Gi',
        }),
      );
    }
    objects.push(buildStorageClass('gp2'));
    const perDeployment = 20;
    for (let i = 0; i < o.entityPodsPerCluster; i++) {
      const d = Math.floor(i / perDeployment);
      const deployment = `vllm-${d}`;
      const rs = `${deployment}-7d4f8b9c6`;
      const labels = {
        'backstage.io/kubernetes-id': id,
        app: deployment,
        'pod-template-hash': '7d4f8b9c6',
      };
      if (i % perDeployment === 0) {
        objects.push(
          buildDeployment({
            name: deployment,
            namespace: 'serving',
            labels: { 'backstage.io/kubernetes-id': id, app: deployment },
            replicas: perDeployment,
          }),
          buildReplicaSet({
            name: rs,
            namespace: 'serving',
            deployment,
            labels,
            replicas: perDeployment,
          }),
        );
      }
      // One pod in fifty waits for a GPU, as on a busy platform.
      const scheduled = i % 50 !== 49;
      objects.push(
        fleetPod(
          `${rs}-${i.toString(36).padStart(5, '0')}`,
          'serving',
          labels,
          rs,
          scheduled ? gpuNodes[i % gpuNodes.length] : undefined,
          true,
        ),
      );
    }
    const others = o.podsPerCluster - o.entityPodsPerCluster;
    for (let i = 0; i < others; i++) {
      const team = `team-${i % 40}`;
      const rs = `svc-${i % 400}-5c8d7f9b4`;
      objects.push(
        fleetPod(
          `${rs}-${i.toString(36).padStart(5, '0')}`,
          team,
          { app: `svc-${i % 400}`, 'pod-template-hash': '5c8d7f9b4' },
          rs,
          allNodes[i % allNodes.length],
          false,
        ),
      );
    }
    clusters.push({ name: `cluster-${c}`, objects });
  }
  return clusters;
}

export interface RunningCluster {
  name: string;
  url: string;
  /** A token the scenario allows to read everything, for configuring clients. */
  token: string;
  simulator: KubernetesSimulator;
}

export interface RunningScenario {
  scenario: Scenario;
  clusters: RunningCluster[];
  stop(): Promise<void>;
}

/** Serves each cluster of a scenario on its own 127.0.0.1 port. */
export async function startScenario(
  scenarioOrName: Scenario | string,
): Promise<RunningScenario> {
  const scenario =
    typeof scenarioOrName === 'string'
      ? loadScenario(scenarioOrName)
      : scenarioOrName;
  const clusters: RunningCluster[] = [];
  for (const cluster of scenario.clusters) {
    // Objects are copied: the simulator stamps resourceVersions on them.
    const simulator = new KubernetesSimulator({
      objects: structuredClone(cluster.objects),
      tokens: cluster.tokens,
      faults: cluster.faults,
    });
    const url = await simulator.start();
    const token =
      Object.entries(cluster.tokens ?? {}).find(([, g]) =>
        g.allow.includes('*'),
      )?.[0] ?? DEFAULT_SIMULATOR_TOKEN;
    clusters.push({ name: cluster.name, url, token, simulator });
  }
  return {
    scenario,
    clusters,
    async stop() {
      await Promise.all(clusters.map(c => c.simulator.stop()));
    },
  };
}

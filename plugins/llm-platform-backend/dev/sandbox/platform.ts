import {
  ModelProfile,
  Scenario as MetricsScenario,
  modelProfile,
  podPlacement,
} from '../../src/metrics/testing/generator';
import {
  buildDeployment,
  buildNode,
  buildPod,
  buildReplicaSet,
  buildStorageClass,
  buildWarningEvent,
} from '../../src/testing/builders';

// The sandbox platform: one simulated EKS cluster named "sandbox" with GPU and
// general nodes, vLLM serving two models, the team's router, and one pod
// failing for each of three documented reasons. The metrics exporter serves
// the same pods and nodes, so the dashboard's views agree.

export const SANDBOX_CLUSTER = 'sandbox';
export const SANDBOX_TOKEN = 'sandbox-reader-token';
const NAMESPACE = 'llm-serving';
const GPU_TAINT = {
  key: 'nvidia.com/gpu',
  value: 'true',
  effect: 'NoSchedule',
};
const GPU_TOLERATION = {
  key: 'nvidia.com/gpu',
  operator: 'Exists',
  effect: 'NoSchedule',
};

/** A served model and the entity whose `backstage.io/kubernetes-id` selects it. */
export interface SandboxModel {
  kubernetesId: string;
  profile: ModelProfile;
}

export function sandboxModels(): SandboxModel[] {
  return [
    {
      kubernetesId: 'llama-3-8b-instruct',
      profile: modelProfile({
        name: 'meta-llama/Meta-Llama-3-8B-Instruct',
        podPrefix: 'llama-3-8b-instruct-vllm',
        pods: 2,
      }),
    },
    {
      kubernetesId: 'mistral-7b-instruct',
      profile: modelProfile({
        name: 'TheBloke/Mistral-7B-Instruct-v0.2-AWQ',
        podPrefix: 'mistral-7b-instruct-vllm',
        pods: 1,
        // An older vLLM: the pre-0.9 metric names, shown as one series anyway.
        metricNames: 'old',
        requestsPerSecondPerPod: 1.4,
        e2e: { median: 3, sigma: 0.5 },
        kvCacheUsage: 0.62,
      }),
    },
  ];
}

/** Metrics scenario shared by the backfill and the live exporter. */
export function metricsScenario(
  models: SandboxModel[],
  start: number,
  end: number,
): MetricsScenario {
  return {
    start,
    end,
    scrapeIntervalSeconds: 15,
    models: models.map(m => m.profile),
    // A slow half hour an hour ago, so "since when" has an answer.
    incident: { from: end - 3600, to: end - 1800, latencyFactor: 2.5 },
    gpu: {
      labelling: 'honor',
      gpusPerNode: 1,
      idleGpusPerNode: 0,
      productName: 'NVIDIA A10G',
      memoryTotalMiB: 23028,
    },
    unrelatedSeries: 0,
    unrelatedIntervalSeconds: 60,
  };
}

const gpuResources = (cpu: string, memory: string) => ({
  requests: { cpu, memory, 'nvidia.com/gpu': '1' },
  limits: { memory, 'nvidia.com/gpu': '1' },
});

function gpuNode(name: string): object {
  return buildNode({
    name,
    instanceType: 'g5.xlarge',
    gpus: 1,
    gpuProduct: 'NVIDIA-A10G',
    cpu: '3920m',
    memory: '14Gi',
    taints: [GPU_TAINT],
    labels: { 'nvidia.com/gpu.present': 'true', workload: 'gpu' },
  });
}

/**
 * The GPU nodes and vLLM Deployments of `models` that `known` does not hold
 * yet, placed where the metrics exporter places them.
 */
export function servingObjects(
  all: SandboxModel[],
  added: SandboxModel[],
  knownNodes: Set<string>,
  /** When the pods started: now for a model published while the sandbox runs. */
  createdAt?: Date,
): object[] {
  const placement = podPlacement(metricsScenario(all, 0, 0));
  const objects: object[] = [];
  for (const node of new Set(placement.map(p => p.node))) {
    if (!knownNodes.has(node)) {
      knownNodes.add(node);
      objects.push(gpuNode(node));
    }
  }
  for (const model of added) {
    const labels = {
      'backstage.io/kubernetes-id': model.kubernetesId,
      'app.kubernetes.io/name': model.profile.podPrefix,
    };
    const deployment = model.profile.podPrefix;
    const replicaSet = `${deployment}-7d9c5b6f4`;
    objects.push(
      buildDeployment({
        name: deployment,
        namespace: model.profile.namespace,
        labels,
        replicas: model.profile.pods,
      }),
      buildReplicaSet({
        name: replicaSet,
        namespace: model.profile.namespace,
        deployment,
        labels,
        replicas: model.profile.pods,
      }),
    );
    for (const p of placement.filter(x => x.model === model.profile)) {
      objects.push(
        buildPod({
          name: p.pod,
          namespace: model.profile.namespace,
          labels,
          nodeName: p.node,
          owner: { kind: 'ReplicaSet', name: replicaSet },
          createdAt,
          tolerations: [GPU_TOLERATION],
          containers: [
            {
              name: 'vllm',
              image: 'vllm/vllm-openai:v0.10.1',
              resources: gpuResources('3', '12Gi'),
            },
          ],
        }),
      );
    }
  }
  return objects;
}

/** The Kubernetes objects of the sandbox cluster. */
export function sandboxObjects(
  models: SandboxModel[],
  knownNodes: Set<string>,
): object[] {
  const gpuNodes = [
    ...new Set(podPlacement(metricsScenario(models, 0, 0)).map(p => p.node)),
  ];
  const objects: object[] = [
    ...servingObjects(models, models, knownNodes),
    // D09: a GPU node whose AMI has no NVIDIA driver advertises no GPUs.
    buildNode({
      name: 'ip-10-0-9-7.ec2.internal',
      instanceType: 'g5.xlarge',
      gpuProduct: 'NVIDIA-A10G',
      taints: [GPU_TAINT],
      labels: { workload: 'gpu' },
    }),
    ...['ip-10-0-20-4.ec2.internal', 'ip-10-0-21-4.ec2.internal'].map(name =>
      buildNode({
        name,
        instanceType: 't3.large',
        cpu: '1930m',
        memory: '7Gi',
        labels: { workload: 'general' },
      }),
    ),
    buildStorageClass('gp3'),
  ];

  const llama = models[0];
  const llamaLabels = {
    'backstage.io/kubernetes-id': llama.kubernetesId,
    'app.kubernetes.io/name': llama.profile.podPrefix,
  };
  const llamaRs = `${llama.profile.podPrefix}-7d9c5b6f4`;
  objects.push(
    // D11: a third replica asks for a GPU that no node has free.
    buildPod({
      name: `${llama.profile.podPrefix}-scaleout`,
      namespace: NAMESPACE,
      labels: llamaLabels,
      owner: { kind: 'ReplicaSet', name: llamaRs },
      tolerations: [GPU_TOLERATION],
      containers: [{ name: 'vllm', resources: gpuResources('3', '12Gi') }],
      unschedulable: `0/${
        gpuNodes.length + 3
      } nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: true}, ${
        gpuNodes.length + 2
      } Insufficient nvidia.com/gpu. preemption: 0/${
        gpuNodes.length + 3
      } nodes are available: ${
        gpuNodes.length + 3
      } No preemption victims found for incoming pod.`,
    }),
    buildWarningEvent({
      name: `${llama.profile.podPrefix}-scaleout.1`,
      namespace: NAMESPACE,
      object: { kind: 'Pod', name: `${llama.profile.podPrefix}-scaleout` },
      reason: 'FailedScheduling',
      message: `0/${gpuNodes.length + 3} nodes are available: ${
        gpuNodes.length + 2
      } Insufficient nvidia.com/gpu.`,
      count: 42,
    }),
    // D02: the model cache claims a StorageClass that nothing creates.
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'llama-3-8b-instruct-eval-cache',
        namespace: NAMESPACE,
        labels: llamaLabels,
      },
      spec: {
        storageClassName: 'gp3-encrypted',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '100Gi' } },
      },
      status: { phase: 'Pending' },
    },
    buildPod({
      name: 'llama-3-8b-instruct-eval-0',
      namespace: NAMESPACE,
      labels: llamaLabels,
      containers: [{ name: 'eval', image: 'python:3.11-slim' }],
      unschedulable:
        '0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
      volumes: [
        {
          name: 'cache',
          persistentVolumeClaim: {
            claimName: 'llama-3-8b-instruct-eval-cache',
          },
        },
      ],
    }),
    buildWarningEvent({
      name: 'llama-3-8b-instruct-eval-cache.1',
      namespace: NAMESPACE,
      object: {
        kind: 'PersistentVolumeClaim',
        name: 'llama-3-8b-instruct-eval-cache',
      },
      reason: 'ProvisioningFailed',
      message: 'storageclass.storage.k8s.io "gp3-encrypted" not found',
      count: 17,
    }),
    // OOMKilled: the tokenizer sidecar's memory limit is below its working set.
    buildPod({
      name: 'llama-3-8b-instruct-tokenizer-5f7c9',
      namespace: NAMESPACE,
      labels: llamaLabels,
      nodeName: 'ip-10-0-20-4.ec2.internal',
      phase: 'Running',
      containers: [
        {
          name: 'tokenizer',
          image: 'ghcr.io/example/tokenizer:1.4.0',
          resources: {
            requests: { cpu: '250m', memory: '256Mi' },
            limits: { memory: '256Mi' },
          },
          status: {
            ready: false,
            started: false,
            restartCount: 14,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 5m0s restarting failed container=tokenizer pod=llama-3-8b-instruct-tokenizer-5f7c9',
              },
            },
            lastState: {
              terminated: {
                reason: 'OOMKilled',
                exitCode: 137,
                startedAt: new Date(Date.now() - 120_000),
                finishedAt: new Date(Date.now() - 90_000),
              },
            },
          },
        },
      ],
    }),
  );

  // The team's router, selected by the model-router entity's label selector.
  const routerLabels = { 'app.kubernetes.io/name': 'model-router' };
  objects.push(
    buildDeployment({
      name: 'model-router',
      namespace: NAMESPACE,
      labels: routerLabels,
      replicas: 2,
    }),
    buildReplicaSet({
      name: 'model-router-6b8d9c7f5',
      namespace: NAMESPACE,
      deployment: 'model-router',
      labels: routerLabels,
      replicas: 2,
    }),
    ...[0, 1].map(i =>
      buildPod({
        name: `model-router-6b8d9c7f5-${['x2k9p', 'm4q7z'][i]}`,
        namespace: NAMESPACE,
        labels: routerLabels,
        nodeName: `ip-10-0-2${i}-4.ec2.internal`,
        owner: { kind: 'ReplicaSet', name: 'model-router-6b8d9c7f5' },
        containers: [
          {
            name: 'router',
            image: 'ghcr.io/example/model-router:0.3.2',
            resources: {
              requests: { cpu: '250m', memory: '256Mi' },
              limits: { memory: '512Mi' },
            },
          },
        ],
      }),
    ),
  );
  return objects;
}

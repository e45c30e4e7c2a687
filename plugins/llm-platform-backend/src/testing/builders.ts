import type {
  V1ContainerStatus,
  V1Deployment,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1ResourceRequirements,
  V1StorageClass,
  V1Volume,
  CoreV1Event,
} from '@kubernetes/client-node';

// Builders for the objects the simulator serves, typed with the
// @kubernetes/client-node models so that they stay real Kubernetes objects.

const T0 = new Date('2026-01-01T00:00:00Z');

export interface NodeOptions {
  name: string;
  instanceType?: string;
  /** `nvidia.com/gpu` capacity; absent when the device plugin does not run. */
  gpus?: number;
  gpuProduct?: string;
  cpu?: string;
  memory?: string;
  ready?: boolean;
  unschedulable?: boolean;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  labels?: Record<string, string>;
}

export function buildNode(o: NodeOptions): V1Node {
  const resources: Record<string, string> = {
    cpu: o.cpu ?? '3920m',
    memory: o.memory ?? '15Gi',
    pods: '29',
  };
  if (o.gpus !== undefined) {
    resources['nvidia.com/gpu'] = String(o.gpus);
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.name,
      creationTimestamp: T0,
      labels: {
        'kubernetes.io/hostname': o.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...(o.instanceType
          ? { 'node.kubernetes.io/instance-type': o.instanceType }
          : {}),
        ...(o.gpuProduct ? { 'nvidia.com/gpu.product': o.gpuProduct } : {}),
        ...o.labels,
      },
    },
    spec: {
      unschedulable: o.unschedulable,
      taints: o.taints,
      providerID: `aws:///us-west-2a/i-${o.name}`,
    },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        {
          type: 'Ready',
          status: o.ready === false ? 'False' : 'True',
          reason: o.ready === false ? 'KubeletNotReady' : 'KubeletReady',
          message:
            o.ready === false
              ? 'container runtime network not ready'
              : 'kubelet is posting ready status',
        },
      ],
      nodeInfo: {
        architecture: 'amd64',
        bootID: '',
        containerRuntimeVersion: 'containerd://1.7.11',
        kernelVersion: '6.1.0',
        kubeProxyVersion: 'v1.29.0',
        kubeletVersion: 'v1.29.0',
        machineID: '',
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2',
        systemUUID: '',
      },
    },
  };
}

export interface ContainerOptions {
  name?: string;
  image?: string;
  resources?: V1ResourceRequirements;
  status?: Partial<V1ContainerStatus>;
}

export interface PodOptions {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  phase?: string;
  owner?: { kind: string; name: string };
  containers?: ContainerOptions[];
  nodeSelector?: Record<string, string>;
  tolerations?: Array<{
    key?: string;
    operator?: string;
    value?: string;
    effect?: string;
  }>;
  /** Message of a `PodScheduled=False` condition (scheduler's reason). */
  unschedulable?: string;
  volumes?: V1Volume[];
  createdAt?: Date;
}

export function buildPod(o: PodOptions): V1Pod {
  const containers = o.containers ?? [{}];
  const phase = o.phase ?? (o.nodeName ? 'Running' : 'Pending');
  const statuses: V1ContainerStatus[] | undefined = o.nodeName
    ? containers.map((c, i) => ({
        name: c.name ?? (i === 0 ? 'main' : `c${i}`),
        image: c.image ?? 'vllm/vllm-openai:v0.10.1',
        imageID: '',
        ready: phase === 'Running',
        restartCount: 0,
        started: phase === 'Running',
        state:
          phase === 'Running'
            ? { running: { startedAt: o.createdAt ?? T0 } }
            : { waiting: { reason: 'ContainerCreating' } },
        ...c.status,
      }))
    : undefined;
  const allReady = statuses?.every(s => s.ready) ?? false;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${o.namespace ?? 'default'}-${o.name}`,
      creationTimestamp: o.createdAt ?? T0,
      labels: o.labels,
      ownerReferences: o.owner
        ? [
            {
              apiVersion:
                o.owner.kind === 'ReplicaSet' || o.owner.kind === 'StatefulSet'
                  ? 'apps/v1'
                  : 'v1',
              kind: o.owner.kind,
              name: o.owner.name,
              uid: `uid-${o.owner.name}`,
              controller: true,
              blockOwnerDeletion: true,
            },
          ]
        : undefined,
    },
    spec: {
      nodeName: o.nodeName,
      nodeSelector: o.nodeSelector,
      tolerations: o.tolerations,
      volumes: o.volumes,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      containers: containers.map((c, i) => ({
        name: c.name ?? (i === 0 ? 'main' : `c${i}`),
        image: c.image ?? 'vllm/vllm-openai:v0.10.1',
        resources: c.resources,
      })),
    },
    status: {
      phase,
      qosClass: 'Burstable',
      startTime: o.nodeName ? o.createdAt ?? T0 : undefined,
      hostIP: o.nodeName ? '10.0.1.10' : undefined,
      podIP: o.nodeName ? '10.0.1.20' : undefined,
      conditions: [
        o.unschedulable
          ? {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: o.unschedulable,
            }
          : { type: 'PodScheduled', status: o.nodeName ? 'True' : 'False' },
        { type: 'Ready', status: allReady ? 'True' : 'False' },
        { type: 'ContainersReady', status: allReady ? 'True' : 'False' },
      ],
      containerStatuses: statuses,
    },
  };
}

export function buildReplicaSet(o: {
  name: string;
  namespace?: string;
  deployment: string;
  labels?: Record<string, string>;
  replicas?: number;
}): V1ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: o.name,
      namespace: o.namespace ?? 'default',
      labels: o.labels,
      creationTimestamp: T0,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: o.deployment,
          uid: `uid-${o.deployment}`,
          controller: true,
        },
      ],
    },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: o.labels ?? {} },
    },
    status: { replicas: o.replicas ?? 1 },
  };
}

export function buildDeployment(o: {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  replicas?: number;
  readyReplicas?: number;
}): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: o.name,
      namespace: o.namespace ?? 'default',
      labels: o.labels,
      creationTimestamp: T0,
    },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: o.labels ?? {} },
      template: { metadata: { labels: o.labels }, spec: { containers: [] } },
    },
    status: {
      replicas: o.replicas ?? 1,
      readyReplicas: o.readyReplicas ?? o.replicas ?? 1,
    },
  };
}

export function buildStorageClass(
  name: string,
  provisioner = 'ebs.csi.aws.com',
): V1StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, creationTimestamp: T0 },
    provisioner,
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

export function buildWarningEvent(o: {
  name: string;
  namespace?: string;
  object: { kind: string; name: string };
  reason: string;
  message: string;
  count?: number;
}): CoreV1Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: o.name,
      namespace: o.namespace ?? 'default',
      creationTimestamp: T0,
    },
    involvedObject: {
      kind: o.object.kind,
      name: o.object.name,
      namespace: o.namespace ?? 'default',
    },
    reason: o.reason,
    message: o.message,
    type: 'Warning',
    count: o.count ?? 1,
    firstTimestamp: T0,
    lastTimestamp: T0,
    source: { component: 'kubelet' },
  };
}

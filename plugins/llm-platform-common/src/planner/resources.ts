import { NODE_RESERVATIONS } from './catalog';
import { GiB, estimateWeightBytes } from './memory';
import type { ContainerResources, InstanceSpec, ModelSpec } from './types';

/**
 * CPU the kubelet and system keep on an EKS node, per the EKS AMI formula:
 * 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above.
 */
function reservedCpuMillis(vcpu: number): number {
  let reserved = 0;
  for (let core = 1; core <= vcpu; core++) {
    if (core === 1) reserved += 60;
    else if (core === 2) reserved += 10;
    else if (core <= 4) reserved += 5;
    else reserved += 2.5;
  }
  return Math.ceil(reserved);
}

/**
 * What the kubelet reports as allocatable on an EKS node of this type:
 * capacity minus kube/system reservations and the eviction threshold.
 *
 * @public
 */
export function estimateNodeAllocatable(instance: InstanceSpec): {
  cpuMillis: number;
  memoryMiB: number;
} {
  const maxPods = Math.min(instance.maxPods, instance.vcpu < 30 ? 110 : 250);
  const capacityMiB =
    instance.memoryGiB * 1024 * NODE_RESERVATIONS.osVisibleFraction;
  const reservedMiB = 11 * maxPods + 255 + NODE_RESERVATIONS.evictionHardMiB;
  return {
    cpuMillis: instance.vcpu * 1000 - reservedCpuMillis(instance.vcpu),
    memoryMiB: Math.floor(capacityMiB - reservedMiB),
  };
}

/**
 * CPU and memory requested by the DaemonSets on every GPU node.
 *
 * @public
 */
export function daemonSetReservation(): {
  cpuMillis: number;
  memoryMiB: number;
} {
  return NODE_RESERVATIONS.daemonSets.reduce(
    (sum, ds) => ({
      cpuMillis: sum.cpuMillis + ds.cpuMillis,
      memoryMiB: sum.memoryMiB + ds.memoryMiB,
    }),
    { cpuMillis: 0, memoryMiB: 0 },
  );
}

/**
 * Formats MiB as a Kubernetes quantity, in Gi when whole.
 *
 * @public
 */
export function formatMemoryQuantity(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/**
 * Requests and limits for the vLLM container: its share (GPUs used / GPUs on
 * the node) of what is allocatable after the DaemonSets, so the pod always
 * schedules (seed D11). Memory request equals the limit so the node is never
 * overcommitted on memory.
 *
 * @public
 */
export function vllmContainerResources(
  instance: InstanceSpec,
  gpusUsed: number,
): ContainerResources {
  const allocatable = estimateNodeAllocatable(instance);
  const ds = daemonSetReservation();
  const share = gpusUsed / instance.gpuCount;
  const cpu = (allocatable.cpuMillis - ds.cpuMillis) * share;
  const memory = (allocatable.memoryMiB - ds.memoryMiB) * share;
  const cpuLimit = Math.floor(cpu / 100) * 100;
  const cpuRequest = Math.floor((cpu * 0.85) / 100) * 100;
  const memoryLimit = Math.floor(memory / 256) * 256;
  const gpu = String(gpusUsed);
  return {
    requests: {
      cpu: formatCpu(cpuRequest),
      memory: formatMemoryQuantity(memoryLimit),
      'nvidia.com/gpu': gpu,
    },
    limits: {
      cpu: formatCpu(cpuLimit),
      memory: formatMemoryQuantity(memoryLimit),
      'nvidia.com/gpu': gpu,
    },
  };
}

/**
 * `/dev/shm` size: tensor parallelism moves activations through shared
 * memory, a single GPU needs little. It counts against the memory limit.
 *
 * @public
 */
export function shmSizeMiB(tensorParallelSize: number, memoryLimitMiB: number) {
  if (tensorParallelSize === 1) return 1024;
  return Math.min(8192, Math.floor(memoryLimitMiB / 4 / 1024) * 1024);
}

/**
 * Model-cache PVC size in GiB: the checkpoint on disk with a quarter spare for
 * tokenizer files and a second revision, plus 5 GiB, rounded up to 10 GiB.
 *
 * @public
 */
export function modelCacheGiB(checkpoint: ModelSpec): number {
  const disk =
    estimateWeightBytes(
      checkpoint,
      checkpoint.checkpointQuantization ?? 'none',
    ) / GiB;
  return Math.max(20, Math.ceil((disk * 1.25 + 5) / 10) * 10);
}

import { podRequests } from '../../workloads/quantity';
import { INSTANCE_TYPE_LABEL } from '../../workloads/nodes';
import type { DiagnosticRule } from '../types';

/**
 * D09, D10: a node with NVIDIA hardware (by instance type or GPU labels) that
 * advertises no allocatable `nvidia.com/gpu`. Either the node runs an AMI
 * without NVIDIA drivers or the device plugin DaemonSet does not run there.
 * Reported only to entities that request GPUs or run on such a node.
 */
export const gpuNodeWithoutGpus: DiagnosticRule = {
  id: 'gpu-node-without-gpus',
  failureIds: ['D09', 'D10'],
  // Whether any of the entity's pods wants a GPU, healthy or not.
  allPods: true,
  evaluate(input) {
    const missing = input.nodes.filter(
      n => n.gpuHardware && !(n.allocatable.gpu && n.allocatable.gpu > 0),
    );
    if (missing.length === 0) return [];
    const wantsGpu = input.pods.some(p => (podRequests(p.spec).gpu ?? 0) > 0);
    const runsThere = input.pods.some(p =>
      missing.some(n => n.name === p.spec?.nodeName),
    );
    if (!wantsGpu && !runsThere) return [];
    const names = missing
      .map(
        n =>
          `${n.name}${
            n.labels[INSTANCE_TYPE_LABEL]
              ? ` (${n.labels[INSTANCE_TYPE_LABEL]})`
              : ''
          }`,
      )
      .join(', ');
    return [
      {
        ruleId: this.id,
        failureIds: this.failureIds,
        severity: 'error',
        title: 'GPU instances advertise no nvidia.com/gpu',
        objects: missing.map(n => ({ kind: 'Node', name: n.name })),
        cause: `${names} ${
          missing.length === 1
            ? 'is a GPU instance but advertises'
            : 'are GPU instances but advertise'
        } 0 allocatable nvidia.com/gpu, so no GPU pod can be scheduled there. The node group uses an AMI without NVIDIA drivers (for example AL2_x86_64 instead of AL2_x86_64_GPU / AL2023_x86_64_NVIDIA), or the NVIDIA device plugin DaemonSet is not running on these nodes.`,
        fix: 'Give the GPU node group a GPU AMI type (AL2023_x86_64_NVIDIA or BOTTLEROCKET_x86_64_NVIDIA), and deploy the NVIDIA device plugin with a toleration for the GPU taint and node affinity on nvidia.com/gpu.present=true; then check `kubectl describe node` lists nvidia.com/gpu under Allocatable.',
      },
    ];
  },
};

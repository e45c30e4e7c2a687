import type { ResourceAmounts } from '@llm-platform/backstage-plugin-llm-platform-common';
import { INSTANCE_TYPE_LABEL, NodeInfo } from '../../workloads/nodes';
import { podRequests } from '../../workloads/quantity';
import {
  eligibleNodes,
  formatBytes,
  isUnscheduled,
  perScheduling,
  podObject,
  schedulingMessage,
} from '../helpers';
import type { DiagnosticRule } from '../types';

const RESOURCES: Array<{
  key: keyof ResourceAmounts;
  name: string;
  format: (n: number) => string;
}> = [
  { key: 'cpu', name: 'cpu', format: n => `${n}` },
  { key: 'memoryBytes', name: 'memory', format: formatBytes },
  { key: 'gpu', name: 'nvidia.com/gpu', format: n => `${n}` },
];

function describeNode(node: NodeInfo): string {
  const type = node.labels[INSTANCE_TYPE_LABEL];
  return type ? `${node.name} (${type})` : node.name;
}

/**
 * D11, D12, D30, T-pending: a pod the scheduler cannot place for lack of
 * cpu, memory or GPUs. It tells apart requests that no eligible node can ever
 * hold (lower them or use a bigger instance) from a cluster that is full.
 */
export const pendingInsufficientResources: DiagnosticRule = {
  id: 'pod-pending-insufficient-resources',
  failureIds: ['D11', 'D12', 'D30', 'T-pending'],
  evaluate(input) {
    return input.pods.filter(isUnscheduled).flatMap(pod => {
      const message = schedulingMessage(input, pod);
      const insufficient = new Set(
        [...message.matchAll(/Insufficient ([\w./-]*\w)/g)].map(m => m[1]),
      );
      const requests = podRequests(pod.spec);
      const candidates = eligibleNodes(input, pod);
      const tooBig: string[] = [];
      for (const r of RESOURCES) {
        const wanted = requests[r.key];
        if (!wanted || candidates.length === 0) continue;
        const largest = perScheduling(input, pod, `largest ${r.key}`, () =>
          candidates.reduce((best, n) =>
            (n.allocatable[r.key] ?? 0) > (best.allocatable[r.key] ?? 0)
              ? n
              : best,
          ),
        );
        const available = largest.allocatable[r.key] ?? 0;
        if (wanted > available) {
          tooBig.push(
            `${r.name} ${r.format(
              wanted,
            )} while the largest node it may run on, ${describeNode(
              largest,
            )}, allocates ${r.format(available)}`,
          );
          insufficient.delete(r.name);
        }
      }
      if (tooBig.length > 0) {
        return [
          {
            ruleId: this.id,
            failureIds: ['D11', 'T-pending'],
            severity: 'error' as const,
            title: 'Requests exceed what any eligible node can allocate',
            objects: [podObject(pod)],
            cause: `The pod requests ${tooBig.join(
              '; ',
            )}. Allocatable is the instance size minus kubelet and system reservations, so this pod can never be scheduled on these nodes.`,
            fix: 'Lower the requests below the node allocatable (leave room for DaemonSets), or move the workload to a larger instance type.',
            evidence: message || undefined,
          },
        ];
      }
      if (insufficient.size > 0) {
        const names = [...insufficient].join(', ');
        return [
          {
            ruleId: this.id,
            failureIds: ['D12', 'D30', 'T-pending'],
            severity: 'error' as const,
            title: `Not enough free ${names} in the cluster`,
            objects: [podObject(pod)],
            cause: `The scheduler reports Insufficient ${names}: the nodes the pod may run on have too little unrequested ${names} left for it.`,
            fix: insufficient.has('nvidia.com/gpu')
              ? 'Add GPU nodes (raise the GPU node group size or let the autoscaler add one), or free GPUs held by other workloads.'
              : 'Scale the node group up or use larger nodes, or lower the requests of this and other workloads on these nodes.',
            evidence: message,
          },
        ];
      }
      return [];
    });
  },
};

import {
  formatTaint,
  isUnscheduled,
  matchesNodeSelector,
  perScheduling,
  podObject,
  schedulingMessage,
  untoleratedTaints,
} from '../helpers';
import type { DiagnosticRule } from '../types';

/** T-pending: every node the pod selects carries a taint it does not tolerate. */
export const pendingUntoleratedTaint: DiagnosticRule = {
  id: 'pod-pending-untolerated-taint',
  failureIds: ['T-pending'],
  evaluate(input) {
    return input.pods.filter(isUnscheduled).flatMap(pod => {
      const blocked = perScheduling(input, pod, 'taints', () => {
        const selected = input.nodes.filter(n => matchesNodeSelector(pod, n));
        if (selected.length === 0) return undefined;
        const taints = selected.map(n => untoleratedTaints(pod, n));
        return taints.some(t => t.length === 0)
          ? undefined
          : taints.map(t => ({ taints: t }));
      });
      if (!blocked) return [];
      const taints = [
        ...new Set(blocked.flatMap(b => b.taints.map(formatTaint))),
      ];
      const first = blocked[0].taints[0];
      return [
        {
          ruleId: this.id,
          failureIds: this.failureIds,
          severity: 'error' as const,
          title: 'No node tolerated: taint not tolerated',
          objects: [podObject(pod)],
          cause: `Every node the pod may run on carries a taint it does not tolerate (${taints.join(
            ', ',
          )}), so the scheduler places it nowhere.`,
          fix: `Add a toleration to the pod template, for example { key: ${first.key}, operator: Exists, effect: ${first.effect} }, or remove the taint from the node group.`,
          evidence: schedulingMessage(input, pod) || undefined,
        },
      ];
    });
  },
};

/** T-pending: a nodeSelector that matches no node of the cluster. */
export const pendingNodeSelector: DiagnosticRule = {
  id: 'pod-pending-node-selector',
  failureIds: ['T-pending'],
  evaluate(input) {
    return input.pods.filter(isUnscheduled).flatMap(pod => {
      const selector = pod.spec?.nodeSelector ?? {};
      const entries = Object.entries(selector);
      if (entries.length === 0 || input.nodes.length === 0) return [];
      if (
        perScheduling(input, pod, 'selects', () =>
          input.nodes.some(n => matchesNodeSelector(pod, n)),
        )
      ) {
        return [];
      }
      // Suggest labels that nodes do carry with the same value or the same key.
      const hints = new Set<string>();
      for (const n of input.nodes) {
        for (const [k, v] of Object.entries(n.labels)) {
          if (
            entries.some(([sk, sv]) => sv === v || sk === k) &&
            !k.startsWith('kubernetes.io/')
          ) {
            hints.add(`${k}=${v}`);
          }
        }
      }
      const wanted = entries.map(([k, v]) => `${k}=${v}`).join(', ');
      return [
        {
          ruleId: this.id,
          failureIds: this.failureIds,
          severity: 'error' as const,
          title: 'nodeSelector matches no node',
          objects: [podObject(pod)],
          cause: `The pod's nodeSelector ${wanted} matches none of the cluster's ${
            input.nodes.length
          } nodes${
            hints.size
              ? `; nodes carry ${[...hints].slice(0, 5).join(', ')}`
              : ''
          }.`,
          fix: 'Select labels the node group really sets (the same value in the node group definition and in the pod template), or add the label to the node group.',
          evidence: schedulingMessage(input, pod) || undefined,
        },
      ];
    });
  },
};

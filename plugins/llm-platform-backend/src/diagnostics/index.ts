import type { DiagnosticFinding } from '@llm-platform/backstage-plugin-llm-platform-common';
import { containerCrashLoop, containerOomKilled } from './rules/crashLoop';
import { gpuNodeWithoutGpus } from './rules/gpuNodeWithoutGpus';
import { imagePullFailure } from './rules/imagePullFailure';
import { mountMissingObject } from './rules/mountMissingObject';
import { pendingInsufficientResources } from './rules/pendingInsufficientResources';
import {
  pendingNodeSelector,
  pendingUntoleratedTaint,
} from './rules/pendingScheduling';
import { probeFailing } from './rules/probeFailing';
import { pvcStorageClassMissing, pvcUnbound } from './rules/pvc';
import type { RawPod } from '../workloads/raw';
import { needsAttention } from './helpers';
import type { DiagnosticRule, DiagnosticsInput } from './types';

export type { DiagnosticRule, DiagnosticsInput } from './types';

/** Every rule, in the order findings are shown. */
export const DIAGNOSTIC_RULES: DiagnosticRule[] = [
  gpuNodeWithoutGpus,
  pendingInsufficientResources,
  pendingUntoleratedTaint,
  pendingNodeSelector,
  pvcStorageClassMissing,
  pvcUnbound,
  mountMissingObject,
  imagePullFailure,
  containerOomKilled,
  containerCrashLoop,
  probeFailing,
];

// The pods that need attention of a selection the informer hands out again.
const attentionMemo = new WeakMap<readonly RawPod[], RawPod[]>();

/** Objects listed per finding; a Deployment of 500 failing replicas is one finding. */
const MAX_OBJECTS = 20;

/**
 * Runs every rule and merges findings that share rule, title and fix, so many
 * replicas failing the same way read as one finding naming the pods.
 */
export function runDiagnostics(
  input: DiagnosticsInput,
  rules: DiagnosticRule[] = DIAGNOSTIC_RULES,
): DiagnosticFinding[] {
  const merged = new Map<string, DiagnosticFinding & { total: number }>();
  // Most pods of a healthy fleet need no look from the pod rules.
  const withEvents = new Set(
    input.events
      .filter(e => e.involvedObject?.kind === 'Pod')
      .map(e => `${e.involvedObject?.namespace}/${e.involvedObject?.name}`),
  );
  let attention = attentionMemo.get(input.pods);
  if (!attention) {
    attention = input.pods.filter(needsAttention);
    attentionMemo.set(input.pods, attention);
  }
  const troubled: DiagnosticsInput = {
    ...input,
    pods: withEvents.size
      ? input.pods.filter(
          p =>
            needsAttention(p) ||
            withEvents.has(`${p.metadata.namespace}/${p.metadata.name}`),
        )
      : attention,
  };
  for (const rule of rules) {
    for (const finding of rule.evaluate(rule.allPods ? input : troubled)) {
      // Cause texts carry per-pod numbers (restart counts); title and fix do not.
      const key = [
        finding.ruleId,
        finding.title,
        finding.fix,
        ...finding.failureIds,
      ].join('\u0000');
      const existing = merged.get(key);
      if (!existing) {
        merged.set(key, {
          ...finding,
          objects: finding.objects.slice(0, MAX_OBJECTS),
          total: finding.objects.length,
        });
        continue;
      }
      existing.total += finding.objects.length;
      for (const o of finding.objects) {
        if (existing.objects.length >= MAX_OBJECTS) break;
        if (
          !existing.objects.some(
            x =>
              x.kind === o.kind &&
              x.name === o.name &&
              x.namespace === o.namespace,
          )
        ) {
          existing.objects.push(o);
        }
      }
    }
  }
  return [...merged.values()].map(({ total, ...finding }) =>
    total > finding.objects.length
      ? {
          ...finding,
          title: `${finding.title} (${total} objects, ${finding.objects.length} listed)`,
        }
      : finding,
  );
}

import { containersWithStatus, formatBytes, podObject } from '../helpers';
import { parseQuantity } from '../../workloads/quantity';
import type { DiagnosticRule } from '../types';

// Known causes from the failure catalogue, matched on the last termination message.
const KNOWN: Array<{
  pattern: RegExp;
  failureIds: string[];
  cause: string;
  fix: string;
}> = [
  {
    pattern:
      /No available memory for the cache blocks|maximum number of tokens that can be stored in KV cache/i,
    failureIds: ['D16'],
    cause:
      'vLLM has no GPU memory left for the KV cache after loading the weights: the model is too large for this GPU at this precision and context length.',
    fix: 'Serve a quantized build (AWQ/GPTQ), lower --max-model-len, or raise --gpu-memory-utilization; or use a GPU with more memory. The fit planner computes a configuration that fits.',
  },
  {
    pattern: /permission denied/i,
    failureIds: ['D03', 'D05'],
    cause:
      'The process cannot write its volume: the volume is owned by root and the container runs as another user.',
    fix: 'Set securityContext.fsGroup (and runAsUser) in the pod spec to the user the image runs as.',
  },
  {
    pattern: /ModuleNotFoundError|ImportError|cannot import name/i,
    failureIds: ['D22', 'D23'],
    cause:
      'The application fails at import: a module is missing from the image or not on PYTHONPATH.',
    fix: 'Add the missing dependency to requirements, set ENV PYTHONPATH in the Dockerfile, and rebuild the image.',
  },
  {
    pattern:
      /field .* not found|invalid keys|unmarshal errors|failed parsing config/i,
    failureIds: ['D04', 'D07'],
    cause:
      'The application rejects its configuration file (a removed or misspelt key).',
    fix: 'Fix the ConfigMap to the schema of the deployed version and restart the pod.',
  },
];

/** D03, D04, D07, D16, D22, D23, T-crashloop: a container restarting over and over. */
export const containerCrashLoop: DiagnosticRule = {
  id: 'container-crash-loop',
  failureIds: ['D03', 'D04', 'D07', 'D16', 'D22', 'D23', 'T-crashloop'],
  evaluate(input) {
    return input.pods.flatMap(pod =>
      containersWithStatus(pod).flatMap(({ status }) => {
        if (status.state?.waiting?.reason !== 'CrashLoopBackOff') return [];
        const last = status.lastState?.terminated;
        // OOMKilled has its own rule with a memory-specific fix.
        if (last?.reason === 'OOMKilled') return [];
        const message = last?.message ?? '';
        const known = KNOWN.find(k => k.pattern.test(message));
        const exit = last
          ? `exits with code ${last.exitCode ?? '?'}${
              last.reason ? ` (${last.reason})` : ''
            }`
          : 'keeps exiting';
        return [
          {
            ruleId: this.id,
            failureIds: known?.failureIds ?? ['T-crashloop'],
            severity: 'error' as const,
            title: `Container ${status.name} is crash-looping`,
            objects: [podObject(pod)],
            cause: `Container ${status.name} ${exit} and has restarted ${
              status.restartCount ?? 0
            } times.${known ? ` ${known.cause}` : ''}`,
            fix:
              known?.fix ??
              `Read the previous run's log (kubectl logs <pod> -c ${status.name} --previous) and fix the error it ends with; check that the ConfigMaps and Secrets it reads exist.`,
            evidence: message || undefined,
          },
        ];
      }),
    );
  },
};

/** T-crashloop: a container killed for exceeding its memory limit. */
export const containerOomKilled: DiagnosticRule = {
  id: 'container-oom-killed',
  failureIds: ['T-crashloop'],
  evaluate(input) {
    return input.pods.flatMap(pod =>
      containersWithStatus(pod).flatMap(({ status, spec }) => {
        const killed =
          status.lastState?.terminated?.reason === 'OOMKilled' ||
          status.state?.terminated?.reason === 'OOMKilled';
        if (!killed) return [];
        const limit = parseQuantity(spec?.resources?.limits?.memory);
        return [
          {
            ruleId: this.id,
            failureIds: this.failureIds,
            severity: 'error' as const,
            title: `Container ${status.name} was OOMKilled`,
            objects: [podObject(pod)],
            cause: `Container ${status.name} used more memory than ${
              limit
                ? `its limit of ${formatBytes(limit)}`
                : 'the node could give it'
            } and the kernel killed it (exit code 137); it has restarted ${
              status.restartCount ?? 0
            } times.`,
            fix: 'Raise resources.limits.memory (and the request with it) above the peak the process needs, or reduce what it holds in memory (batch size, cache size, model length).',
          },
        ];
      }),
    );
  },
};

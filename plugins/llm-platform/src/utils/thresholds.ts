import type { DiagnosticSeverity } from '@llm-platform/backstage-plugin-llm-platform-common';

/** How a summary value is judged. Colour always comes with this word. */
export type HealthStatus = 'ok' | 'warning' | 'error' | 'unknown';

export const STATUS_LABEL: Record<HealthStatus, string> = {
  ok: 'Healthy',
  warning: 'Warning',
  error: 'Critical',
  unknown: 'No data',
};

/**
 * The thresholds the summary strip colours by. The legend renders these
 * texts, so what a colour means is always written next to it.
 */
export const THRESHOLDS = {
  podsReady: {
    describe: 'Healthy when every pod is ready; Critical below half.',
  },
  gpus: {
    describe:
      'Critical when a GPU node advertises no GPUs; Warning when every allocatable GPU is requested and pods are pending.',
  },
  e2eP95: {
    warningSeconds: 10,
    errorSeconds: 30,
    describe: 'Healthy under 10 s; Critical from 30 s.',
  },
  ttftP95: {
    warningSeconds: 1,
    errorSeconds: 3,
    describe: 'Healthy under 1 s; Critical from 3 s.',
  },
  tokens: {
    describe: 'Warning when no tokens are generated.',
  },
  kvCache: {
    warning: 0.8,
    error: 0.95,
    describe:
      'Healthy under 80 %; Critical from 95 % (requests queue or get preempted).',
  },
  diagnostics: {
    describe: 'The most severe finding of the diagnostics below.',
  },
  serving: {
    describe:
      "Critical while a threshold of the backend's llmPlatform.prometheus.health is breached (p95 time to first token or inter-token latency, KV cache, preemptions, a growing waiting queue), with the time it began; No data when Prometheus has no sample now.",
  },
} as const;

export function podsReadyStatus(ready: number, total: number): HealthStatus {
  if (total === 0) return 'unknown';
  if (ready === total) return 'ok';
  return ready / total < 0.5 ? 'error' : 'warning';
}

export function gpuStatus(totals: {
  gpuRequested: number;
  gpuAllocatable: number;
  gpuMissingNodes: number;
  podsPending: number;
}): HealthStatus {
  if (totals.gpuMissingNodes > 0) return 'error';
  if (totals.gpuAllocatable === 0) return 'unknown';
  // Fully allocated GPUs are normal; they are a problem when pods wait for one.
  return totals.gpuRequested >= totals.gpuAllocatable && totals.podsPending > 0
    ? 'warning'
    : 'ok';
}

export function secondsStatus(
  value: number | null,
  limits: { warningSeconds: number; errorSeconds: number },
): HealthStatus {
  if (value === null) return 'unknown';
  if (value >= limits.errorSeconds) return 'error';
  return value >= limits.warningSeconds ? 'warning' : 'ok';
}

export function tokensStatus(value: number | null): HealthStatus {
  if (value === null) return 'unknown';
  return value > 0 ? 'ok' : 'warning';
}

export function kvCacheStatus(value: number | null): HealthStatus {
  if (value === null) return 'unknown';
  if (value >= THRESHOLDS.kvCache.error) return 'error';
  return value >= THRESHOLDS.kvCache.warning ? 'warning' : 'ok';
}

export const SEVERITY_ORDER: Record<DiagnosticSeverity, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

export function severityStatus(
  severity: DiagnosticSeverity | undefined,
): HealthStatus {
  if (!severity || severity === 'info') return 'ok';
  return severity;
}

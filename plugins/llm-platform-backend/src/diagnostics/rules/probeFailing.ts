import { eventsAbout, podObject } from '../helpers';
import type { DiagnosticRule } from '../types';

const PROBE = /^(Startup|Readiness|Liveness) probe failed: ?(.*)$/s;

/** D24, D26, T-crashloop: startup, readiness or liveness probes that keep failing. */
export const probeFailing: DiagnosticRule = {
  id: 'probe-failing',
  failureIds: ['D24', 'D26', 'T-crashloop'],
  evaluate(input) {
    return input.pods.flatMap(pod => {
      const byKind = new Map<string, string>();
      for (const e of eventsAbout(
        input,
        'Pod',
        pod.metadata.name,
        pod.metadata.namespace,
      )) {
        const m = e.reason === 'Unhealthy' ? PROBE.exec(e.message ?? '') : null;
        if (m && !byKind.has(m[1])) byKind.set(m[1], e.message!);
      }
      return [...byKind.entries()].map(([kind, message]) => {
        const probe = kind.toLowerCase();
        let failureIds = ['T-crashloop'];
        let cause = `The ${probe} probe fails.`;
        let fix =
          kind === 'Startup'
            ? 'Give the startup probe enough periodSeconds × failureThreshold to cover model download and load, and probe the port the server listens on.'
            : 'Probe the port and path the server really serves, and raise timeoutSeconds if the endpoint is slow under load.';
        if (/statuscode: 404/.test(message)) {
          failureIds = ['D24'];
          cause = `The ${probe} probe's path answers 404: the application does not serve that endpoint.`;
          fix =
            'Serve /startup, /health and /ready in the application (true without optional back ends), or point the probe at an endpoint that exists.';
        } else if (
          /connection refused|timeout|deadline exceeded/i.test(message)
        ) {
          failureIds = ['D26', 'T-crashloop'];
          cause = `The ${probe} probe gets no answer in time: the process does not listen on the probed port yet, or listens on another port.`;
        }
        return {
          ruleId: this.id,
          failureIds,
          severity:
            kind === 'Readiness' ? ('warning' as const) : ('error' as const),
          title: `${kind} probe failing`,
          objects: [podObject(pod)],
          cause,
          fix,
          evidence: message,
        };
      });
    });
  },
};

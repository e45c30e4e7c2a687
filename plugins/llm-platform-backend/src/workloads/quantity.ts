import type { ResourceAmounts } from '@llm-platform/backstage-plugin-llm-platform-common';
import type { RawPodSpec } from './raw';

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Parses a Kubernetes quantity (`3920m`, `15Gi`, `1e3`); undefined if it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(
    value.trim(),
  );
  if (!m || !(m[2] in SUFFIX)) {
    return undefined;
  }
  return Number(m[1]) * SUFFIX[m[2]];
}

export const GPU_RESOURCE = 'nvidia.com/gpu';

/** CPU, memory and GPU out of a Kubernetes resource list. */
export function toAmounts(
  list: Record<string, string> | undefined,
): ResourceAmounts {
  const out: ResourceAmounts = {};
  if (!list) {
    return out;
  }
  const cpu = parseQuantity(list.cpu);
  const memory = parseQuantity(list.memory);
  const gpu = parseQuantity(list[GPU_RESOURCE]);
  if (cpu !== undefined) out.cpu = round(cpu);
  if (memory !== undefined) out.memoryBytes = Math.round(memory);
  if (gpu !== undefined) out.gpu = gpu;
  return out;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function addAmounts(
  a: ResourceAmounts,
  b: ResourceAmounts,
): ResourceAmounts {
  const out: ResourceAmounts = { ...a };
  if (b.cpu !== undefined) out.cpu = round((out.cpu ?? 0) + b.cpu);
  if (b.memoryBytes !== undefined)
    out.memoryBytes = (out.memoryBytes ?? 0) + b.memoryBytes;
  if (b.gpu !== undefined) out.gpu = (out.gpu ?? 0) + b.gpu;
  return out;
}

/**
 * What the scheduler reserves for a pod: the larger of the sum over app
 * containers and the largest init container, per resource.
 */
export function podRequests(spec: RawPodSpec | undefined): ResourceAmounts {
  const sum = (spec?.containers ?? [])
    .map(c => toAmounts(c.resources?.requests))
    .reduce(addAmounts, {});
  for (const init of spec?.initContainers ?? []) {
    const r = toAmounts(init.resources?.requests);
    if ((r.cpu ?? 0) > (sum.cpu ?? 0)) sum.cpu = r.cpu;
    if ((r.memoryBytes ?? 0) > (sum.memoryBytes ?? 0))
      sum.memoryBytes = r.memoryBytes;
    if ((r.gpu ?? 0) > (sum.gpu ?? 0)) sum.gpu = r.gpu;
  }
  return sum;
}

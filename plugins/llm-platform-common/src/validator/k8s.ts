// Small helpers over Kubernetes object shapes, shared by the rules.

/**
 * Containers and init containers of a pod spec, with their path.
 *
 * @public
 */
export function containersOf(
  spec: any,
): { c: any; path: (string | number)[] }[] {
  const out: { c: any; path: (string | number)[] }[] = [];
  for (const key of ['initContainers', 'containers']) {
    (Array.isArray(spec?.[key]) ? spec[key] : []).forEach(
      (c: any, i: number) => {
        if (c && typeof c === 'object') out.push({ c, path: [key, i] });
      },
    );
  }
  return out;
}

/**
 * CPU quantity in millicores, or undefined when it does not parse.
 *
 * @public
 */
export function parseCpuMillis(q: unknown): number | undefined {
  if (typeof q === 'number') return q * 1000;
  if (typeof q !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  if (!m) return undefined;
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

const MEM_UNITS: Record<string, number> = {
  '': 1 / 1024 ** 2,
  k: 1000 / 1024 ** 2,
  K: 1000 / 1024 ** 2,
  M: 1e6 / 1024 ** 2,
  G: 1e9 / 1024 ** 2,
  T: 1e12 / 1024 ** 2,
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 ** 2,
};

/**
 * Memory quantity in MiB, or undefined when it does not parse.
 *
 * @public
 */
export function parseMemoryMiB(q: unknown): number | undefined {
  if (typeof q === 'number') return q / 1024 ** 2;
  if (typeof q !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)([kKMGT]i?|)$/.exec(q.trim());
  if (!m || !(m[2] in MEM_UNITS)) return undefined;
  return Number(m[1]) * MEM_UNITS[m[2]];
}

/**
 * True when a container asks for NVIDIA GPUs.
 *
 * @public
 */
export function requestsGpu(c: any): boolean {
  return Boolean(
    c?.resources?.limits?.['nvidia.com/gpu'] ??
      c?.resources?.requests?.['nvidia.com/gpu'],
  );
}

/**
 * True when a label set satisfies a `matchLabels`-style selector.
 *
 * @public
 */
export function labelsMatch(
  selector: Record<string, unknown> | undefined,
  labels: Record<string, unknown>,
): boolean {
  if (!selector || !Object.keys(selector).length) return false;
  return Object.entries(selector).every(
    ([k, v]) => String(labels[k]) === String(v),
  );
}

/**
 * True when labels satisfy one `nodeSelectorTerm` or `matchExpressions` list.
 *
 * @public
 */
export function matchExpressionsMatch(
  expressions: any[],
  labels: Record<string, string>,
): boolean {
  return expressions.every(e => {
    const has = e.key in labels;
    const values: string[] = (e.values ?? []).map(String);
    switch (e.operator) {
      case 'In':
        return has && values.includes(labels[e.key]);
      case 'NotIn':
        return !has || !values.includes(labels[e.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'Gt':
        return has && Number(labels[e.key]) > Number(values[0]);
      case 'Lt':
        return has && Number(labels[e.key]) < Number(values[0]);
      default:
        return false;
    }
  });
}

/**
 * The image name without registry and tag, for example `vllm-openai`.
 *
 * @public
 */
export function imageBaseName(image: string): string {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const nameTag = noDigest.slice(lastSlash + 1);
  return nameTag.split(':')[0];
}

/**
 * The tag of an image reference, if it has one.
 *
 * @public
 */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const nameTag = noDigest.slice(lastSlash + 1);
  const i = nameTag.indexOf(':');
  return i < 0 ? undefined : nameTag.slice(i + 1);
}

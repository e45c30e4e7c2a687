import type {
  ClusterError,
  ClusterWorkloads,
  OwnerRef,
  PodCounts,
  PodSummary,
  PodTemplateSummary,
  ResourceAmounts,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { runDiagnostics } from '../diagnostics';
import { eventsByPod } from './events';
import { withNodeClaims } from './nodeClaims';
import { ClusterSnapshot, buildGpuAllocation } from './nodes';
import {
  PodEntry,
  countPods,
  createOwnerResolver,
  keptJson,
  summarizePod,
  summarizeWorkloads,
} from './pods';
import type { RawEvent, RawOwner, RawPod, RawPvc } from './raw';

/** What was read from one cluster for one entity. */
export interface EntityReads {
  pods: readonly RawPod[];
  replicaSets: RawOwner[];
  deployments: RawOwner[];
  statefulSets: RawOwner[];
  pvcs: RawPvc[];
  events: RawEvent[];
}

const EMPTY_SNAPSHOT: ClusterSnapshot = {
  nodes: [],
  requestedByNode: {},
  storageClasses: [],
  observedAt: new Date(0).toISOString(),
};

/**
 * What an answer takes from the selected pods alone. The pod informer hands
 * out the same array until a pod changes, so this is computed once per
 * change rather than per request.
 */
interface Selection {
  /** Sorted by `namespace/name`. */
  entries: PodEntry[];
  keys: Set<string>;
  /** `namespace/name` of the PVCs the pods mount. */
  claims: string[];
  counts: PodCounts;
  perTemplate: Map<string, number>;
  gpuPods: Array<{ node?: string; phase: string; requests: ResourceAmounts }>;
  /** The summaries as sent, with the events they were sent with. */
  pods?: PodSummary[];
  eventsKey?: string;
}

const selections = new WeakMap<readonly RawPod[], Selection>();

function selectionOf(raw: readonly RawPod[]): Selection {
  let selection = selections.get(raw);
  if (selection) return selection;
  const entries = raw.map(summarizePod);
  // Code-point order of `namespace/name` (keys are unique).
  entries.sort((a, b) => (a.key < b.key ? -1 : 1));
  const perTemplate = new Map<string, number>();
  for (const { template } of entries) {
    perTemplate.set(template.key, (perTemplate.get(template.key) ?? 0) + 1);
  }
  const claims: string[] = [];
  for (const p of raw) {
    for (const v of p.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim) {
        claims.push(
          `${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`,
        );
      }
    }
  }
  selection = {
    entries,
    keys: new Set(entries.map(e => e.key)),
    claims,
    counts: countPods(entries),
    perTemplate,
    gpuPods: entries.map(e => ({
      node: e.summary.node,
      phase: e.summary.phase,
      requests: e.template.value.requests,
    })),
  };
  selections.set(raw, selection);
  return selection;
}

// The JSON of a `pods` array, while the same array is answered again.
const podsJson = new WeakMap<PodSummary[], string>();

/**
 * Turns raw reads into the compact per-cluster view: pod summaries with their
 * shared templates, owners, GPU allocation and diagnostics. Pure, so fixtures
 * test it without HTTP.
 */
export function assembleClusterWorkloads(options: {
  cluster: string;
  reads: EntityReads;
  snapshot?: ClusterSnapshot;
  errors: ClusterError[];
  now: number;
}): ClusterWorkloads {
  const { reads, now } = options;
  const snapshot = options.snapshot ?? EMPTY_SNAPSHOT;
  const selection = selectionOf(reads.pods);
  const { entries } = selection;

  // Templates are few (one per workload revision): owners are resolved per
  // template, not per pod.
  const ownerOf = createOwnerResolver(reads.replicaSets);
  const podTemplates: Record<string, PodTemplateSummary> = {};
  const owners = new Map<string, OwnerRef | undefined>();
  const podTemplateNamespace = new Map<string, string>();
  for (const { template, summary } of entries) {
    if (owners.has(template.key)) continue;
    podTemplateNamespace.set(template.key, summary.namespace);
    const owner = ownerOf(template.ownerSource);
    owners.set(template.key, owner);
    podTemplates[template.key] = owner
      ? { owner, ...template.value }
      : template.value;
  }

  // Only the claims the entity's pods mount, and only events about its objects.
  const claimed = new Set<string>();
  for (const claim of selection.claims) claimed.add(claim);
  const pvcs = reads.pvcs.filter(c =>
    claimed.has(`${c.metadata.namespace}/${c.metadata.name}`),
  );
  const podKeys = selection.keys;
  const claimKeys = new Set(
    pvcs.map(c => `${c.metadata.namespace}/${c.metadata.name}`),
  );
  const events = reads.events.filter(e => {
    const key = `${e.involvedObject?.namespace}/${e.involvedObject?.name}`;
    return e.involvedObject?.kind === 'Pod'
      ? podKeys.has(key)
      : e.involvedObject?.kind === 'PersistentVolumeClaim' &&
          claimKeys.has(key);
  });

  // Each pod carries its own recent warnings from the list already read.
  const podEvents = eventsByPod(events);
  const eventsKey = podEvents.size ? JSON.stringify([...podEvents]) : '';
  if (!selection.pods || selection.eventsKey !== eventsKey) {
    selection.pods = entries.map(e => {
      const recent = podEvents.get(e.key);
      return recent ? { ...e.summary, events: recent } : e.summary;
    });
    selection.eventsKey = eventsKey;
  }
  const { pods, perTemplate } = selection;

  return {
    cluster: options.cluster,
    counts: selection.counts,
    podTemplates,
    pods,
    workloads: summarizeWorkloads(
      [...perTemplate].map(([key, count]) => ({
        namespace: podTemplateNamespace.get(key)!,
        owner: owners.get(key),
        count,
      })),
      [
        { kind: 'Deployment', items: reads.deployments },
        { kind: 'StatefulSet', items: reads.statefulSets },
      ],
    ),
    gpu: withNodeClaims(
      buildGpuAllocation(snapshot, selection.gpuPods),
      snapshot.nodeClaims,
      now,
    ),
    diagnostics: runDiagnostics({
      pods: reads.pods,
      nodes: snapshot.nodes,
      pvcs,
      storageClasses: snapshot.storageClasses,
      events,
      now,
    }),
    errors: options.errors,
  };
}

/**
 * `JSON.stringify` of the clusters, reusing each pod's JSON kept since it
 * last changed: a request concatenates thousands of pods instead of encoding
 * them again.
 */
export function serializeClusters(clusters: ClusterWorkloads[]): string {
  const parts = clusters.map(({ pods, ...rest }) => {
    const head = JSON.stringify(rest);
    let body = podsJson.get(pods);
    if (body === undefined) {
      // A pod with events is a new object, serialised now.
      body = pods.map(p => keptJson(p) ?? JSON.stringify(p)).join(',');
      podsJson.set(pods, body);
    }
    return `${head.slice(0, -1)},"pods":[${body}]}`;
  });
  return `[${parts.join(',')}]`;
}

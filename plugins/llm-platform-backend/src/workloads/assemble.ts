import type {
  ClusterError,
  ClusterWorkloads,
  GpuAllocation,
  OwnerRef,
  PodCounts,
  PodSummary,
  PodTemplateSummary,
  ResourceAmounts,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { toPodTable } from '@llm-platform/backstage-plugin-llm-platform-common';
import { runDiagnostics } from '../diagnostics';
import { eventsByPod } from './events';
import { withNodeClaims } from './nodeClaims';
import { ClusterSnapshot, buildGpuAllocation } from './nodes';
import {
  PodEntry,
  countPods,
  createOwnerResolver,
  summarizePod,
  summarizeWorkloads,
} from './pods';
import { JsonParts, StableJson } from './jsonParts';
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
  /** The templates as sent, with the owners they were resolved to. */
  templates?: { ownersKey: string; value: Record<string, PodTemplateSummary> };
  /** GPU allocation, with the nodes and per-node requests it was made from. */
  gpu?: {
    nodes: ClusterSnapshot['nodes'];
    requestedByNode: ClusterSnapshot['requestedByNode'];
    value: GpuAllocation;
  };
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

/**
 * GPU allocation of the cluster's nodes, the same object while the nodes,
 * what every pod requests on them and the selection are unchanged.
 */
function gpuAllocation(
  selection: Selection,
  snapshot: ClusterSnapshot,
): GpuAllocation {
  const known = selection.gpu;
  if (
    known?.nodes !== snapshot.nodes ||
    known.requestedByNode !== snapshot.requestedByNode
  ) {
    selection.gpu = {
      nodes: snapshot.nodes,
      requestedByNode: snapshot.requestedByNode,
      value: buildGpuAllocation(snapshot, selection.gpuPods),
    };
  }
  const { value } = selection.gpu!;
  return value.observedAt === snapshot.observedAt
    ? value
    : { ...value, observedAt: snapshot.observedAt };
}

// The JSON of a `pods` array as a table, while the same array is answered again.
const podsJson = new WeakMap<PodSummary[], StableJson>();

/** One cluster's answer, with its pods one object each until serialised. */
export type AssembledCluster = ClusterWorkloads & { pods: PodSummary[] };

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
}): AssembledCluster {
  const { reads, now } = options;
  const snapshot = options.snapshot ?? EMPTY_SNAPSHOT;
  const selection = selectionOf(reads.pods);
  const { entries } = selection;

  // Templates are few (one per workload revision): owners are resolved per
  // template, not per pod.
  const ownerOf = createOwnerResolver(reads.replicaSets);
  const owners = new Map<string, OwnerRef | undefined>();
  const podTemplateNamespace = new Map<string, string>();
  for (const { template, summary } of entries) {
    if (owners.has(template.key)) continue;
    podTemplateNamespace.set(template.key, summary.namespace);
    owners.set(template.key, ownerOf(template.ownerSource));
  }
  // The same templates object while the owners are the same, so that its
  // JSON is made once.
  const ownersKey = JSON.stringify([...owners]);
  if (selection.templates?.ownersKey !== ownersKey) {
    const podTemplates: Record<string, PodTemplateSummary> = {};
    for (const { template } of entries) {
      if (podTemplates[template.key]) continue;
      const owner = owners.get(template.key);
      podTemplates[template.key] = owner
        ? { owner, ...template.value }
        : template.value;
    }
    selection.templates = { ownersKey, value: podTemplates };
  }
  const podTemplates = selection.templates.value;

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
      gpuAllocation(selection, snapshot),
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

// The JSON of objects that answers share (templates, GPU nodes).
const shared = new WeakMap<object, string>();
function jsonOf(value: unknown): string {
  if (!value || typeof value !== 'object') return JSON.stringify(value);
  let json = shared.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    shared.set(value, json);
  }
  return json;
}

/** An object's JSON in parts: one per field, and one per field of `nested`. */
function objectParts(value: object, nested: readonly string[] = []): string[] {
  const out: string[] = [];
  let separator = '{';
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    out.push(`${separator}${JSON.stringify(key)}:`);
    out.push(
      ...(nested.includes(key) && field && typeof field === 'object'
        ? objectParts(field)
        : [jsonOf(field)]),
    );
    separator = ',';
  }
  out.push(separator === '{' ? '{}' : '}');
  return out;
}

/**
 * The clusters' JSON, in parts, with each cluster's pods as a table
 * (`podTable`): the pods are one {@link StableJson} kept until they change (a
 * request does not encode, hash or compress thousands of pods again), and the
 * other fields are apart from their read times, so that unchanged templates
 * and nodes recur as the same text.
 */
export function serializeClusters(clusters: AssembledCluster[]): JsonParts {
  const parts: Array<string | StableJson> = ['['];
  clusters.forEach(({ pods, ...rest }, i) => {
    let table = podsJson.get(pods);
    if (table === undefined) {
      table = new StableJson(JSON.stringify(toPodTable(pods)));
      podsJson.set(pods, table);
    }
    const head = objectParts(rest, ['gpu']);
    head.pop();
    parts.push(i > 0 ? ',' : '', ...head, ',"podTable":', table, '}');
  });
  parts.push(']');
  return parts;
}

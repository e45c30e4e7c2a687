import type {
  ClusterError,
  ClusterWorkloads,
  OwnerRef,
  PodSummary,
  PodTemplateSummary,
} from '@llm-platform/backstage-plugin-llm-platform-common';
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
import type { RawEvent, RawOwner, RawPod, RawPvc } from './raw';

/** What was read from one cluster for one entity. */
export interface EntityReads {
  pods: RawPod[];
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

// The JSON of each pod summary shared between requests (see PodEntry); a pod
// with events is a new object, serialised when the answer is.
const podJson = new WeakMap<PodSummary, string>();

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
  const entries: PodEntry[] = reads.pods.map(summarizePod);
  // Code-point order of `namespace/name` (keys are unique).
  entries.sort((a, b) => (a.key < b.key ? -1 : 1));

  // Templates are few (one per workload revision): owners are resolved per
  // template, not per pod.
  const ownerOf = createOwnerResolver(reads.replicaSets);
  const podTemplates: Record<string, PodTemplateSummary> = {};
  const owners = new Map<string, OwnerRef | undefined>();
  for (const { template } of entries) {
    if (owners.has(template.key)) continue;
    const owner = ownerOf(template.ownerSource);
    owners.set(template.key, owner);
    podTemplates[template.key] = owner
      ? { owner, ...template.value }
      : template.value;
  }

  // Only the claims the entity's pods mount, and only events about its objects.
  const claimed = new Set<string>();
  for (const p of reads.pods) {
    for (const v of p.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim) {
        claimed.add(
          `${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`,
        );
      }
    }
  }
  const pvcs = reads.pvcs.filter(c =>
    claimed.has(`${c.metadata.namespace}/${c.metadata.name}`),
  );
  const concerned = new Set([
    ...entries.map(e => `Pod/${e.key}`),
    ...pvcs.map(
      c => `PersistentVolumeClaim/${c.metadata.namespace}/${c.metadata.name}`,
    ),
  ]);
  const events = reads.events.filter(e =>
    concerned.has(
      `${e.involvedObject?.kind}/${e.involvedObject?.namespace}/${e.involvedObject?.name}`,
    ),
  );

  // Each pod carries its own recent warnings from the list already read.
  const podEvents = eventsByPod(events);
  const pods = entries.map(e => {
    const recent = podEvents.get(e.key);
    if (!recent) {
      podJson.set(e.summary, e.json);
      return e.summary;
    }
    return { ...e.summary, events: recent };
  });

  return {
    cluster: options.cluster,
    counts: countPods(entries),
    podTemplates,
    pods,
    workloads: summarizeWorkloads(
      entries.map(e => ({
        namespace: e.summary.namespace,
        owner: owners.get(e.template.key),
      })),
      [
        { kind: 'Deployment', items: reads.deployments },
        { kind: 'StatefulSet', items: reads.statefulSets },
      ],
    ),
    gpu: withNodeClaims(
      buildGpuAllocation(
        snapshot,
        entries.map(e => ({
          node: e.summary.node,
          phase: e.summary.phase,
          requests: e.template.value.requests,
        })),
      ),
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
    const body = pods.map(p => podJson.get(p) ?? JSON.stringify(p)).join(',');
    return `${head.slice(0, -1)},"pods":[${body}]}`;
  });
  return `[${parts.join(',')}]`;
}

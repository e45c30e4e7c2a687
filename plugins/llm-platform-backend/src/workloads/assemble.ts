import type {
  ClusterError,
  ClusterWorkloads,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { runDiagnostics } from '../diagnostics';
import { eventsByPod } from './events';
import { withNodeClaims } from './nodeClaims';
import { ClusterSnapshot, buildGpuAllocation } from './nodes';
import {
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

/**
 * Turns raw reads into the compact per-cluster view: pod and owner summaries,
 * GPU allocation and diagnostics. Pure, so fixtures test it without HTTP.
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
  const ownerOf = createOwnerResolver(reads.replicaSets);
  const pods = reads.pods
    .map(p => summarizePod(p, ownerOf(p), now))
    .sort(
      (a, b) =>
        a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    );

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
    ...reads.pods.map(p => `Pod/${p.metadata.namespace}/${p.metadata.name}`),
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
  for (const pod of pods) {
    const recent = podEvents.get(`${pod.namespace}/${pod.name}`);
    if (recent) pod.events = recent;
  }

  return {
    cluster: options.cluster,
    counts: countPods(pods),
    pods,
    workloads: summarizeWorkloads(pods, [
      { kind: 'Deployment', items: reads.deployments },
      { kind: 'StatefulSet', items: reads.statefulSets },
    ]),
    gpu: withNodeClaims(
      buildGpuAllocation(snapshot, pods),
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

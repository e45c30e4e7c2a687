import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import type {
  ClusterError,
  PodSummary,
  ResourceAmounts,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  ClusterClient,
  ClusterRequestError,
  ListRequest,
} from '../kubernetes/types';
import {
  AssembledCluster,
  assembleClusterWorkloads,
  serializeClusters,
} from '../workloads/assemble';
import {
  NODECLAIMS_REQUEST,
  RawNodeClaim,
  crdOptional,
  summarizeNodeClaims,
} from '../workloads/nodeClaims';
import { ClusterSnapshot, buildSnapshot } from '../workloads/nodes';
import { PodStore, createPodInformer } from '../workloads/podInformer';
import { addAmounts, podRequests } from '../workloads/quantity';
import type {
  RawEvent,
  RawNode,
  RawOwner,
  RawPod,
  RawPvc,
  RawStorageClass,
} from '../workloads/raw';
import { createCoalescer, createResponseCache } from './coalesce';
import type {
  WorkloadQuery,
  WorkloadsResult,
  WorkloadsScope,
  WorkloadsService,
} from './types';

export interface WorkloadsServiceOptions {
  clients: ClusterClient[];
  cache: CacheService;
  logger: LoggerService;
  /** How long an entity's result is served from cache. */
  resultTtlMs: number;
  /** How long a cluster's nodes and storage classes are reused. */
  clusterTtlMs: number;
  /** Upstream timeout; also the longest wait for a pod informer's first sync. */
  timeoutMs: number;
}

const EMPTY = { items: [], bytes: 0 };

// ReplicaSets are read for their owner references alone: metadata only, as
// client-go's metadata informers ask, or whole from a server that cannot.
const METADATA_ONLY =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

function toClusterError(error: unknown, request: string): ClusterError {
  if (error instanceof ClusterRequestError) {
    return {
      kind: error.kind,
      status: error.status,
      request: error.request,
      message: error.message,
    };
  }
  return {
    kind: 'bad_response',
    request,
    message: `unexpected failure during ${request}`,
  };
}

type NodeSnapshot = Omit<ClusterSnapshot, 'requestedByNode'>;

/**
 * Reads the entity's workloads from each cluster and assembles compact
 * summaries.
 *
 * Pods come from one list-then-watch informer per cluster, trimmed to the
 * fields used: the entity's pods are selected in memory, and so is what every
 * pod requests on each node (GPU allocation of whole nodes), without reading
 * any pod per request. Nodes and storage classes (2 calls) are read once per
 * `clusterTtlMs` per cluster and refreshed in the background.
 *
 * Per uncached request and cluster there are then five list calls, each scoped
 * by the entity's label selector or namespace and each kind once:
 * replicasets, deployments, statefulsets, persistentvolumeclaims and warning
 * events. A request waits at most `timeoutMs` for a starting informer. When
 * the informer failed (for example not allowed to list and watch pods
 * cluster-wide), the entity's pods are listed directly (a sixth call) and
 * whole-node requests fall back to the entity's own.
 */
export function createWorkloadsService(
  options: WorkloadsServiceOptions,
): WorkloadsService {
  const { clients, cache, logger } = options;
  const coalesce = createCoalescer();
  const informers = new Map<string, PodStore>();

  function podStore(client: ClusterClient): PodStore {
    let store = informers.get(client.name);
    if (!store) {
      store = createPodInformer(client, { logger });
      informers.set(client.name, store);
    }
    return store;
  }

  function reader(client: ClusterClient, errors: ClusterError[]) {
    return async <T>(request: ListRequest): Promise<{ items: T[] }> => {
      try {
        return await client.list<T>(request);
      } catch (error) {
        const e = toClusterError(error, request.description);
        errors.push(e);
        logger.warn('Kubernetes read failed', {
          cluster: client.name,
          request: e.request,
          kind: e.kind,
          status: e.status,
        });
        return EMPTY;
      }
    };
  }

  // This process's latest complete snapshot of each cluster, read in front of
  // the CacheService, whose store would deserialise hundreds of nodes on
  // every request. Another instance's snapshot is read from the CacheService
  // until this one has its own.
  const latestNodes = new Map<string, NodeSnapshot>();

  /** Nodes and storage classes; coalesced per cluster, cached when complete. */
  function refreshNodes(client: ClusterClient) {
    return coalesce(`nodes:${client.name}`, async () => {
      const errors: ClusterError[] = [];
      const read = reader(client, errors);
      const [nodes, storageClasses, nodeClaims] = await Promise.all([
        read<RawNode>({ description: 'list nodes', path: '/api/v1/nodes' }),
        read<RawStorageClass>({
          description: 'list storageclasses',
          path: '/apis/storage.k8s.io/v1/storageclasses',
        }),
        reader(crdOptional(client), errors)<RawNodeClaim>(NODECLAIMS_REQUEST),
      ]);
      const { requestedByNode: _, ...snapshot } = buildSnapshot(
        nodes.items,
        [],
        storageClasses.items,
        new Date(),
      );
      snapshot.nodeClaims = summarizeNodeClaims(nodeClaims);
      if (errors.length === 0) {
        latestNodes.set(client.name, snapshot);
        // Kept well past its freshness so that readers use it while it is
        // refreshed in the background; `observedAt` says how old it is.
        await cache.set(
          `cluster:${client.name}`,
          snapshot as unknown as JsonValue,
          { ttl: options.clusterTtlMs * 10 },
        );
      }
      return { snapshot, errors };
    });
  }

  function refreshInBackground(client: ClusterClient) {
    refreshNodes(client).catch(error =>
      logger.warn('Refreshing the node list failed', {
        cluster: client.name,
        error: String(error?.name ?? 'Error'),
      }),
    );
  }

  async function nodeSnapshot(
    client: ClusterClient,
  ): Promise<{ snapshot: NodeSnapshot; errors: ClusterError[] }> {
    let cached = latestNodes.get(client.name);
    if (
      cached &&
      Date.now() - Date.parse(cached.observedAt) > options.clusterTtlMs * 10
    ) {
      latestNodes.delete(client.name);
      cached = undefined;
    }
    cached ??= (await cache.get(`cluster:${client.name}`)) as unknown as
      | NodeSnapshot
      | undefined;
    if (!cached) {
      return refreshNodes(client);
    }
    if (Date.now() - Date.parse(cached.observedAt) > options.clusterTtlMs) {
      refreshInBackground(client);
    }
    return { snapshot: cached, errors: [] };
  }

  async function readCluster(
    client: ClusterClient,
    query: WorkloadQuery,
  ): Promise<AssembledCluster> {
    const errors: ClusterError[] = [];
    const read = reader(client, errors);
    const ns = query.namespace ? `/namespaces/${query.namespace}` : '';
    const selected = { labelSelector: query.labelSelector };
    const store = podStore(client);
    const [
      nodes,
      synced,
      replicaSets,
      deployments,
      statefulSets,
      pvcs,
      events,
    ] = await Promise.all([
      nodeSnapshot(client),
      store.whenSynced(options.timeoutMs),
      read<RawOwner>({
        description: 'list replicasets',
        path: `/apis/apps/v1${ns}/replicasets`,
        accept: METADATA_ONLY,
        ...selected,
      }),
      read<RawOwner>({
        description: 'list deployments',
        path: `/apis/apps/v1${ns}/deployments`,
        ...selected,
      }),
      read<RawOwner>({
        description: 'list statefulsets',
        path: `/apis/apps/v1${ns}/statefulsets`,
        ...selected,
      }),
      read<RawPvc>({
        description: 'list persistentvolumeclaims',
        path: `/api/v1${ns}/persistentvolumeclaims`,
      }),
      read<RawEvent>({
        description: 'list events',
        path: `/api/v1${ns}/events`,
        fieldSelector: 'type=Warning',
      }),
    ]);
    errors.push(...nodes.errors);

    let pods: readonly RawPod[];
    let requestedByNode: Record<string, ResourceAmounts>;
    let observedAt = nodes.snapshot.observedAt;
    if (synced) {
      pods = store.select(query.labelSelector, query.namespace);
      requestedByNode = store.requestedByNode();
      const podsAt = store.observedAt()?.toISOString();
      if (podsAt && podsAt < observedAt) observedAt = podsAt;
    } else {
      const informerError = store.lastError();
      if (informerError) {
        // The informer failed (for example no cluster-wide list or watch
        // permission): the entity's own pods may still be readable.
        errors.push(toClusterError(informerError, 'watch pods'));
        pods = (
          await read<RawPod>({
            description: 'list pods',
            path: `/api/v1${ns}/pods`,
            ...selected,
          })
        ).items;
      } else {
        // Still on its first list after the timeout: the cluster is too slow.
        errors.push({
          kind: 'timeout',
          request: 'list pods',
          message: `cluster "${client.name}" did not answer list pods within ${options.timeoutMs} ms`,
        });
        pods = [];
      }
      // Only the entity's own requests are known without the informer.
      requestedByNode = {};
      for (const p of pods) {
        const node = p.spec?.nodeName;
        if (node)
          requestedByNode[node] = addAmounts(
            requestedByNode[node] ?? {},
            podRequests(p.spec),
          );
      }
    }
    return assembleClusterWorkloads({
      cluster: client.name,
      reads: {
        pods,
        replicaSets: replicaSets.items,
        deployments: deployments.items,
        statefulSets: statefulSets.items,
        pvcs: pvcs.items,
        events: events.items,
      },
      snapshot: { ...nodes.snapshot, requestedByNode, observedAt },
      // The informer and the direct list may report the same failure.
      errors: errors.filter(
        (e, i) =>
          errors.findIndex(
            x => x.kind === e.kind && x.request === e.request,
          ) === i,
      ),
      now: Date.now(),
    });
  }

  // Shared with the metrics view: in-process answers, coalescing, and the
  // CacheService shared between backend instances.
  const responses = createResponseCache({ cache, logger });

  const service: WorkloadsService = {
    clusterNames: () => clients.map(c => c.name),
    warmUp() {
      for (const client of clients) {
        podStore(client);
        refreshInBackground(client);
      }
    },
    stop() {
      informers.forEach(store => store.stop());
      informers.clear();
    },
    modelNames(query) {
      const names = new Set<string>();
      informers.forEach(store => {
        for (const pod of store.select(query.labelSelector, query.namespace)) {
          if (pod.modelNames) names.add(pod.modelNames[0]);
        }
      });
      return [...names].sort();
    },
    async metricsScope(query) {
      const selections = await Promise.all(
        clients.map(async client => {
          const store = podStore(client);
          return (await store.whenSynced(options.timeoutMs))
            ? {
                cluster: client.name,
                pods: store.select(query.labelSelector, query.namespace),
              }
            : undefined;
        }),
      );
      const modelNames = service.modelNames(query);
      if (selections.some(s => s === undefined)) {
        // An informer failed or is still listing: the workload view reads the
        // entity's pods directly.
        return { ...(await service.getWorkloads(query)).scope, modelNames };
      }
      return {
        ...combineScopes(
          selections.map(s => scopeOfSelection(s!.cluster, s!.pods)),
        ),
        modelNames,
      };
    },
    getWorkloads(query) {
      return responses.get(
        `workloads:${query.namespace ?? '*'}:${query.labelSelector}`,
        {
          ttlMs: options.resultTtlMs,
          compute: async (): Promise<WorkloadsResult> => {
            const generatedAt = new Date().toISOString();
            const clusters = await Promise.all(
              clients.map(c => readCluster(c, query)),
            );
            return {
              clusters: serializeClusters(clusters),
              generatedAt,
              scope: combineScopes(
                clusters.map(c => scopeOfPods(c.cluster, c.pods)),
              ),
            };
          },
        },
      );
    },
  };
  return service;
}

/** Scopes of pod arrays, kept as long as the array is the same. */
const scopeCache = new WeakMap<readonly object[], WorkloadsScope>();

/** Where a cluster's pods run, read with `place` from either kind of pod. */
function scopeOf<P extends object>(
  cluster: string,
  pods: readonly P[],
  place: (pod: P) => { namespace?: string; name: string; node?: string },
): WorkloadsScope {
  const cached = scopeCache.get(pods);
  if (cached) return cached;
  const placed = pods.map(place);
  const scope: WorkloadsScope = {
    clusters: pods.length > 0 ? [cluster] : [],
    namespaces: [
      ...new Set(placed.flatMap(p => (p.namespace ? [p.namespace] : []))),
    ],
    pods: placed.map(p => p.name),
    nodes: [...new Set(placed.flatMap(p => (p.node ? [p.node] : [])))],
  };
  scopeCache.set(pods, scope);
  return scope;
}

/** Scope of an informer selection. */
function scopeOfSelection(cluster: string, pods: readonly RawPod[]) {
  return scopeOf(cluster, pods, p => ({
    namespace: p.metadata.namespace,
    name: p.metadata.name,
    node: p.spec?.nodeName,
  }));
}

/** Scope of one cluster's answered pods. */
function scopeOfPods(cluster: string, pods: readonly PodSummary[]) {
  return scopeOf(cluster, pods, p => ({
    namespace: p.namespace,
    name: p.name,
    node: p.node,
  }));
}

function combineScopes(scopes: WorkloadsScope[]): WorkloadsScope {
  if (scopes.length === 1) return scopes[0];
  return {
    clusters: scopes.flatMap(s => s.clusters),
    namespaces: [...new Set(scopes.flatMap(s => s.namespaces))],
    pods: scopes.flatMap(s => s.pods),
    nodes: [...new Set(scopes.flatMap(s => s.nodes))],
  };
}

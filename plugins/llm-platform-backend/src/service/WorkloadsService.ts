import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import type {
  ClusterError,
  ClusterWorkloads,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { createLabelMatcher } from '../kubernetes/labelMatcher';
import {
  ClusterClient,
  ClusterRequestError,
  ListRequest,
} from '../kubernetes/types';
import { assembleClusterWorkloads } from '../workloads/assemble';
import { ClusterSnapshot, buildSnapshot } from '../workloads/nodes';
import type {
  RawEvent,
  RawNode,
  RawOwner,
  RawPod,
  RawPvc,
  RawStorageClass,
} from '../workloads/raw';
import { createCoalescer } from './coalesce';
import type { WorkloadQuery, WorkloadsResult, WorkloadsService } from './types';

export interface WorkloadsServiceOptions {
  clients: ClusterClient[];
  cache: CacheService;
  logger: LoggerService;
  /** How long an entity's result is served from cache. */
  resultTtlMs: number;
  /** How long a cluster's nodes and per-node requests are reused. */
  clusterTtlMs: number;
}

const EMPTY = { items: [], bytes: 0 };

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

/**
 * Reads the entity's objects from each cluster and assembles compact
 * summaries. Per uncached request and cluster it makes at most eight list
 * calls and reads each object kind once:
 *
 * - entity-scoped (label selector, namespace when annotated): replicasets,
 *   deployments, statefulsets, persistentvolumeclaims, warning events, and
 *   pods unless the cluster snapshot is being refreshed by this request;
 * - cluster-wide, shared by all entities and refreshed at most once per
 *   `clusterTtlMs`: nodes, all pods (reduced at once to requests per node)
 *   and storageclasses. The entity's pods are then taken from that list.
 */
export function createWorkloadsService(
  options: WorkloadsServiceOptions,
): WorkloadsService {
  const { clients, cache, logger } = options;
  const coalesce = createCoalescer();

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

  /** Nodes, all pods and storage classes; coalesced per cluster, cached when complete. */
  function refreshSnapshot(client: ClusterClient) {
    return coalesce(`snapshot:${client.name}`, async () => {
      const errors: ClusterError[] = [];
      const read = reader(client, errors);
      const [nodes, pods, storageClasses] = await Promise.all([
        read<RawNode>({ description: 'list nodes', path: '/api/v1/nodes' }),
        read<RawPod>({ description: 'list pods', path: '/api/v1/pods' }),
        read<RawStorageClass>({
          description: 'list storageclasses',
          path: '/apis/storage.k8s.io/v1/storageclasses',
        }),
      ]);
      const snapshot = buildSnapshot(
        nodes.items,
        pods.items,
        storageClasses.items,
        new Date(),
      );
      if (errors.length === 0) {
        await cache.set(
          `cluster:${client.name}`,
          snapshot as unknown as JsonValue,
          {
            ttl: options.clusterTtlMs,
          },
        );
      }
      const podsFailed = errors.some(e => e.request === 'list pods');
      return { snapshot, allPods: podsFailed ? undefined : pods.items, errors };
    });
  }

  async function readCluster(
    client: ClusterClient,
    query: WorkloadQuery,
  ): Promise<ClusterWorkloads> {
    const errors: ClusterError[] = [];
    const read = reader(client, errors);
    const ns = query.namespace ? `/namespaces/${query.namespace}` : '';
    const selected = { labelSelector: query.labelSelector };

    const cached = (await cache.get(`cluster:${client.name}`)) as unknown as
      | ClusterSnapshot
      | undefined;
    const entityReads = Promise.all([
      read<RawOwner>({
        description: 'list replicasets',
        path: `/apis/apps/v1${ns}/replicasets`,
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

    let snapshot: ClusterSnapshot;
    let pods: RawPod[];
    if (cached) {
      snapshot = cached;
      pods = (
        await read<RawPod>({
          description: 'list pods',
          path: `/api/v1${ns}/pods`,
          ...selected,
        })
      ).items;
    } else {
      const refreshed = await refreshSnapshot(client);
      snapshot = refreshed.snapshot;
      errors.push(...refreshed.errors.filter(e => e.request !== 'list pods'));
      if (refreshed.allPods) {
        const match = createLabelMatcher(query.labelSelector);
        pods = refreshed.allPods.filter(
          p =>
            (!query.namespace || p.metadata.namespace === query.namespace) &&
            match(p.metadata.labels),
        );
      } else {
        // A backend allowed to list pods only in some namespaces still
        // reads the entity's pods.
        pods = (
          await read<RawPod>({
            description: 'list pods',
            path: `/api/v1${ns}/pods`,
            ...selected,
          })
        ).items;
      }
    }
    const [replicaSets, deployments, statefulSets, pvcs, events] =
      await entityReads;
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
      snapshot,
      errors,
      now: Date.now(),
    });
  }

  return {
    clusterNames: () => clients.map(c => c.name),
    getWorkloads(query) {
      const key = `workloads:${query.namespace ?? '*'}:${query.labelSelector}`;
      return coalesce(key, async () => {
        const hit = (await cache.get(key)) as unknown as
          | WorkloadsResult
          | undefined;
        if (hit) {
          return hit;
        }
        const generatedAt = new Date().toISOString();
        const clusters = await Promise.all(
          clients.map(c => readCluster(c, query)),
        );
        const result: WorkloadsResult = { clusters, generatedAt };
        await cache.set(key, result as unknown as JsonValue, {
          ttl: options.resultTtlMs,
        });
        return result;
      });
    },
  };
}

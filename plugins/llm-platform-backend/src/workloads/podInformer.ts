import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ResourceAmounts } from '@llm-platform/backstage-plugin-llm-platform-common';
import { createLabelMatcher } from '../kubernetes/labelMatcher';
import { ClusterClient, ClusterRequestError } from '../kubernetes/types';
import { podModelNames } from './modelNames';
import { addAmounts, podRequests } from './quantity';
import type { RawContainer, RawContainerStatus, RawPod } from './raw';

/**
 * Every pod of one cluster, kept current by list-then-watch and trimmed to the
 * fields the workload view reads: about a tenth of a pod's JSON (no
 * managedFields, env, args or probes).
 */
export interface PodStore {
  /** Resolves when the first list is loaded, or after `waitMs` (false). */
  whenSynced(waitMs: number): Promise<boolean>;
  /**
   * The pods matching a label selector, in one namespace or all. The array is
   * shared with later calls until a pod changes: do not modify it.
   */
  select(labelSelector: string, namespace?: string): readonly RawPod[];
  /** What all non-terminated pods request on each node. */
  requestedByNode(): Record<string, ResourceAmounts>;
  /** When the store was last known complete (list or watch event). */
  observedAt(): Date | undefined;
  /** The last failure, while the store is not in sync. */
  lastError(): ClusterRequestError | undefined;
  size(): number;
  stop(): void;
}

function trimContainer(c: RawContainer): RawContainer {
  return { name: c.name, image: c.image, resources: c.resources };
}

function trimStatus(s: RawContainerStatus): RawContainerStatus {
  return {
    name: s.name,
    image: s.image,
    ready: s.ready,
    started: s.started,
    restartCount: s.restartCount,
    state: s.state,
    lastState: s.lastState,
  };
}

/** Keeps the fields summaries and diagnostics read, drops the rest. */
export function trimPod(pod: RawPod): RawPod {
  const { metadata: m, spec, status } = pod;
  const modelNames = podModelNames(spec?.containers);
  return {
    ...(modelNames.length ? { modelNames } : {}),
    metadata: {
      name: m.name,
      namespace: m.namespace,
      creationTimestamp: m.creationTimestamp,
      labels: m.labels,
      ownerReferences: m.ownerReferences?.map(o => ({
        kind: o.kind,
        name: o.name,
        controller: o.controller,
      })),
    },
    spec: spec && {
      nodeName: spec.nodeName,
      nodeSelector: spec.nodeSelector,
      tolerations: spec.tolerations,
      containers: spec.containers?.map(trimContainer),
      initContainers: spec.initContainers?.map(trimContainer),
      volumes: spec.volumes
        ?.filter(v => v.persistentVolumeClaim || v.configMap || v.secret)
        .map(v => ({
          name: v.name,
          persistentVolumeClaim: v.persistentVolumeClaim,
          configMap: v.configMap,
          secret: v.secret,
        })),
    },
    status: status && {
      phase: status.phase,
      reason: status.reason,
      message: status.message,
      conditions: status.conditions
        ?.filter(c => c.type === 'PodScheduled' || c.status === 'False')
        .map(c => ({
          type: c.type,
          status: c.status,
          reason: c.reason,
          message: c.message,
        })),
      containerStatuses: status.containerStatuses?.map(trimStatus),
      initContainerStatuses: status.initContainerStatuses?.map(trimStatus),
    },
  };
}

/** Pods per page of the informer's list. */
const LIST_PAGE = 500;

const keyOf = (p: RawPod) => `${p.metadata.namespace}/${p.metadata.name}`;
const TERMINATED = new Set(['Succeeded', 'Failed']);

export interface PodInformerOptions {
  logger: LoggerService;
  /** The server ends each watch after this long; it is then resumed. */
  watchSeconds?: number;
  /** Longest wait between attempts after failures. */
  maxBackoffMs?: number;
}

/**
 * The informer pattern of client-go, reduced to what this plugin needs: one
 * cluster-wide list of pods, then a watch from its resourceVersion applying
 * ADDED / MODIFIED / DELETED, a new list when the watch expires (410) or
 * fails, with backoff.
 */
export function createPodInformer(
  client: ClusterClient,
  options: PodInformerOptions,
): PodStore {
  let pods = new Map<string, RawPod>();
  const abort = new AbortController();
  let synced = false;
  let observed: Date | undefined;
  let error: ClusterRequestError | undefined;
  let version = 0;
  let perNode:
    | { version: number; value: Record<string, ResourceAmounts> }
    | undefined;
  let onSynced: Array<(ok: boolean) => void> = [];
  const selections = new Map<string, { version: number; pods: RawPod[] }>();
  const maxBackoff = options.maxBackoffMs ?? 30_000;

  const sleep = (ms: number) =>
    new Promise<void>(resolve => {
      const t = setTimeout(resolve, ms);
      t.unref?.();
      abort.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });

  async function run() {
    let backoff = 500;
    while (!abort.signal.aborted) {
      try {
        // Paged as client-go's reflector does, so that a cluster of many
        // thousand pods is never one huge body in memory; the store is swapped
        // in whole, so readers never see a half list.
        const fresh = new Map<string, RawPod>();
        let page: {
          items: RawPod[];
          resourceVersion?: string;
          continue?: string;
        } = { items: [] };
        do {
          page = await client.list<RawPod>({
            description: 'list pods',
            path: '/api/v1/pods',
            limit: LIST_PAGE,
            continue: page.continue,
          });
          for (const p of page.items) fresh.set(keyOf(p), trimPod(p));
        } while (page.continue);
        const list = page;
        pods = fresh;
        version++;
        synced = true;
        error = undefined;
        observed = new Date();
        onSynced.forEach(f => f(true));
        onSynced = [];
        backoff = 500;
        let rv = list.resourceVersion ?? '0';
        let watchBackoff = 500;
        while (!abort.signal.aborted) {
          try {
            await client.watch<RawPod>(
              {
                description: 'watch pods',
                path: '/api/v1/pods',
                resourceVersion: rv,
                timeoutSeconds: options.watchSeconds ?? 300,
              },
              // Called only while this iteration's watch runs, so the loop
              // variables it updates are the current ones.
              // eslint-disable-next-line no-loop-func
              (type, pod) => {
                rv = pod.metadata?.resourceVersion ?? rv;
                if (type === 'BOOKMARK') return;
                if (type === 'DELETED') pods.delete(keyOf(pod));
                else pods.set(keyOf(pod), trimPod(pod));
                version++;
                observed = new Date();
              },
              abort.signal,
            );
            observed = new Date();
            watchBackoff = 500;
          } catch (e) {
            // As client-go: a slow or dropped watch resumes from the last
            // resourceVersion and the store keeps serving (its age shows in
            // observedAt); only an expired version (410) or a refusal
            // (401/403) needs a new list.
            const status = (e as ClusterRequestError)?.status;
            if (
              abort.signal.aborted ||
              status === 410 ||
              status === 401 ||
              status === 403
            ) {
              throw e;
            }
            options.logger.warn('Pod watch resumes', {
              cluster: client.name,
              kind: (e as ClusterRequestError)?.kind,
            });
            await sleep(watchBackoff);
            watchBackoff = Math.min(watchBackoff * 2, maxBackoff);
          }
        }
      } catch (e) {
        if (abort.signal.aborted) return;
        error =
          e instanceof ClusterRequestError
            ? e
            : new ClusterRequestError(
                'bad_response',
                'watch pods',
                `pod informer failed: ${String((e as Error)?.name ?? e)}`,
              );
        synced = false;
        // Requests waiting for a first sync fall back at once.
        onSynced.forEach(f => f(false));
        onSynced = [];
        options.logger.warn('Pod informer restarts', {
          cluster: client.name,
          kind: error.kind,
          status: error.status,
        });
        await sleep(error.status === 410 ? 0 : backoff);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  }
  run();

  return {
    whenSynced(waitMs) {
      if (synced) return Promise.resolve(true);
      if (error) return Promise.resolve(false);
      return new Promise(resolve => {
        const t = setTimeout(() => resolve(false), waitMs);
        onSynced.push(ok => {
          clearTimeout(t);
          resolve(ok);
        });
      });
    },
    select(labelSelector, namespace) {
      // Until a pod changes, the same selection is the same answer.
      const key = `${namespace ?? ''}\u0000${labelSelector}`;
      const known = selections.get(key);
      if (known?.version === version) return known.pods;
      const match = createLabelMatcher(labelSelector);
      const out: RawPod[] = [];
      for (const p of pods.values()) {
        if (
          (!namespace || p.metadata.namespace === namespace) &&
          match(p.metadata.labels)
        ) {
          out.push(p);
        }
      }
      if (selections.size >= 256) selections.clear();
      selections.set(key, { version, pods: out });
      return out;
    },
    requestedByNode() {
      if (perNode?.version !== version) {
        const value: Record<string, ResourceAmounts> = {};
        for (const p of pods.values()) {
          const node = p.spec?.nodeName;
          if (!node || TERMINATED.has(p.status?.phase ?? '')) continue;
          value[node] = addAmounts(value[node] ?? {}, podRequests(p.spec));
        }
        perNode = { version, value };
      }
      return perNode.value;
    },
    observedAt: () => observed,
    lastError: () => (synced ? undefined : error),
    size: () => pods.size,
    stop() {
      abort.abort();
      onSynced.forEach(f => f(false));
      onSynced = [];
    },
  };
}

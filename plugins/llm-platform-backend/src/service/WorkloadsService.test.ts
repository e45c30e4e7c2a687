import type { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  ClusterWorkloads,
  podsOf,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { createClusterClient } from '../kubernetes/ClusterClient';
import { RunningScenario, loadScenario, startScenario } from '../testing';
import { jsonText } from '../workloads/jsonParts';
import { createWorkloadsService } from './WorkloadsService';
import type { WorkloadsService } from './types';

/** A CacheService over a Map that honours TTLs, like the memory store. */
function memoryCache(): CacheService {
  const store = new Map<string, { value: any; expires: number }>();
  const cache: CacheService = {
    async get(key) {
      const e = store.get(key);
      return e && e.expires > Date.now() ? e.value : undefined;
    },
    async set(key, value, opts) {
      const ttl = typeof opts?.ttl === 'number' ? opts.ttl : 60_000;
      store.set(key, {
        value: structuredClone(value),
        expires: Date.now() + ttl,
      });
    },
    async delete(key) {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}

async function waitFor(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

const QUERY = {
  labelSelector: 'backstage.io/kubernetes-id=vllm-mistral',
  namespace: 'llm-baseline',
};

describe('createWorkloadsService', () => {
  let good: RunningScenario;
  let broken: RunningScenario;

  beforeAll(async () => {
    good = await startScenario('healthy-gpu-platform');
    broken = await startScenario('healthy-gpu-platform');
  });
  afterAll(async () => {
    await good.stop();
    await broken.stop();
  });
  const started: WorkloadsService[] = [];
  afterEach(() => {
    started.splice(0).forEach(w => w.stop());
    broken.clusters[0].simulator.setFaults([]);
  });

  function service(brokenToken: string, timeoutMs = 2000, brokenUrl?: string) {
    const logger = mockServices.logger.mock();
    const clients = [
      createClusterClient(
        {
          name: 'good',
          url: good.clusters[0].url,
          skipTLSVerify: true,
          auth: { provider: 'serviceAccount', token: good.clusters[0].token },
        },
        { timeoutMs },
      ),
      createClusterClient(
        {
          name: 'broken',
          url: brokenUrl ?? broken.clusters[0].url,
          skipTLSVerify: true,
          auth: { provider: 'serviceAccount', token: brokenToken },
        },
        { timeoutMs },
      ),
    ];
    const workloads = createWorkloadsService({
      clients,
      cache: memoryCache(),
      logger,
      resultTtlMs: 10_000,
      clusterTtlMs: 60_000,
      timeoutMs,
    });
    started.push(workloads);
    return { logger, workloads };
  }

  async function brokenClusterWith(workloads: WorkloadsService) {
    const result = await workloads.getWorkloads(QUERY);
    const clusters: ClusterWorkloads[] = JSON.parse(jsonText(result.clusters));
    return clusters[1];
  }

  async function brokenCluster(
    brokenToken: string,
    timeoutMs?: number,
    url?: string,
  ) {
    const { workloads, logger } = service(brokenToken, timeoutMs, url);
    const result = await workloads.getWorkloads(QUERY);
    const [ok, bad]: ClusterWorkloads[] = JSON.parse(jsonText(result.clusters));
    expect(ok.cluster).toBe('good');
    expect(ok.errors).toEqual([]);
    expect(podsOf(ok)).toHaveLength(1);
    const text =
      JSON.stringify(result) + JSON.stringify(logger.warn.mock.calls);
    expect(text).not.toContain(brokenToken);
    return bad;
  }

  it('lists pods once per cluster, then watches them, instead of reading pods per request', async () => {
    const { workloads } = service('unused-token');
    const sim = good.clusters[0].simulator;
    sim.resetRequests();
    await workloads.getWorkloads(QUERY);
    await waitFor(() => sim.requests.some(r => r.verb === 'watch'));
    expect(
      sim.requests.filter(r => r.verb === 'watch').map(r => r.resource),
    ).toEqual(['pods']);
    expect(
      sim.requests
        .filter(r => r.verb === 'list')
        .map(r => r.resource)
        .sort(),
    ).toEqual([
      'deployments.apps',
      'events',
      // With the nodes; answered 404 here, where Karpenter is not installed.
      'nodeclaims.karpenter.sh',
      'nodes',
      'persistentvolumeclaims',
      'pods',
      'replicasets.apps',
      'statefulsets.apps',
      'storageclasses.storage.k8s.io',
    ]);
  });

  it('reads ReplicaSets as metadata only and resolves owners through their references', async () => {
    const sim = broken.clusters[0].simulator;
    const rs = (
      loadScenario('healthy-gpu-platform').clusters[0].objects as any[]
    ).find(o => o.kind === 'ReplicaSet');
    // Owned by a Deployment its name does not tell.
    sim.apply({
      ...rs,
      metadata: {
        ...rs.metadata,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'renamed',
            uid: 'u',
            controller: true,
          },
        ],
      },
    });
    try {
      const { workloads } = service(broken.clusters[0].token);
      sim.resetRequests();
      const cluster = await brokenClusterWith(workloads);
      expect(Object.values(cluster.podTemplates)[0].owner).toEqual({
        kind: 'Deployment',
        name: 'renamed',
      });
      const [listed] = sim.requests.filter(
        r => r.resource === 'replicasets.apps' && r.verb === 'list',
      );
      // The answer it was sent is the metadata-only list.
      const res = await fetch(`${broken.clusters[0].url}${listed.path}`, {
        headers: {
          authorization: `Bearer ${broken.clusters[0].token}`,
          accept:
            'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
        },
      });
      const body = await res.text();
      expect(JSON.parse(body).kind).toBe('PartialObjectMetadataList');
      expect(listed.bytes).toBe(Buffer.byteLength(body));
    } finally {
      sim.apply(rs);
    }
  });

  it('falls back to listing the entity pods when it may not watch pods, and says why', async () => {
    broken.clusters[0].simulator.setTokens({
      'no-watch-token': {
        user: 'system:serviceaccount:backstage:llm-platform',
        allow: ['list *'],
      },
    });
    const { workloads } = service('no-watch-token');
    await workloads.getWorkloads({ ...QUERY, namespace: 'research' });
    // The first list succeeded; the watch is refused, so the informer is out of sync.
    await waitFor(() =>
      broken.clusters[0].simulator.requests.some(
        r => r.verb === 'watch' && r.status === 403,
      ),
    );
    const bad = await brokenClusterWith(workloads);
    expect(bad.errors).toEqual([
      expect.objectContaining({
        kind: 'forbidden',
        status: 403,
        request: 'watch pods',
        message: expect.stringContaining(
          'does not allow verb "watch" on resource "pods"',
        ),
      }),
    ]);
    expect(podsOf(bad)).toHaveLength(1);
  });

  it('reports a 403 naming the missing verb and resource, and keeps the rest', async () => {
    broken.clusters[0].simulator.setTokens({
      'limited-token': {
        user: 'system:serviceaccount:backstage:llm-platform',
        allow: [
          'list pods',
          'watch pods',
          'list nodes',
          'list replicasets',
          'list deployments',
          'list statefulsets',
          'list persistentvolumeclaims',
          'list storageclasses',
        ],
      },
    });
    const bad = await brokenCluster('limited-token');
    expect(bad.errors).toEqual([
      {
        kind: 'forbidden',
        status: 403,
        request: 'list events',
        message: expect.stringContaining(
          'does not allow verb "list" on resource "events"',
        ),
      },
    ]);
    expect(bad.errors[0].message).toContain(
      'User "system:serviceaccount:backstage:llm-platform" cannot list resource "events"',
    );
    expect(podsOf(bad)).toHaveLength(1);
  });

  it('reports rejected credentials as unauthorized without echoing them', async () => {
    broken.clusters[0].simulator.setTokens({
      other: { user: 'x', allow: ['*'] },
    });
    const bad = await brokenCluster('s3cr3t-token-value');
    expect(bad.errors.length).toBeGreaterThan(0);
    expect(
      bad.errors.every(e => e.kind === 'unauthorized' && e.status === 401),
    ).toBe(true);
    expect(podsOf(bad)).toEqual([]);
  });

  it('gives up on a hanging cluster after the timeout and still answers', async () => {
    broken.clusters[0].simulator.setTokens({
      'reader-token-1234': { user: 'x', allow: ['*'] },
    });
    broken.clusters[0].simulator.setFaults([
      { resource: 'events', hang: true },
    ]);
    const begin = Date.now();
    // Long enough for the healthy cluster on a loaded machine; the margin
    // allows for scheduling, not for a second timeout.
    const bad = await brokenCluster('reader-token-1234', 1500);
    expect(Date.now() - begin).toBeLessThan(1500 + 1000);
    expect(bad.errors).toEqual([
      expect.objectContaining({ kind: 'timeout', request: 'list events' }),
    ]);
    expect(podsOf(bad)).toHaveLength(1);
  });

  it('answers within one timeout when listing pods hangs from the start', async () => {
    broken.clusters[0].simulator.setTokens({
      'reader-token-1234': { user: 'x', allow: ['*'] },
    });
    broken.clusters[0].simulator.setFaults([
      { resource: 'pods', verb: 'list', hang: true },
    ]);
    const begin = Date.now();
    const bad = await brokenCluster('reader-token-1234', 1500);
    expect(Date.now() - begin).toBeLessThan(1500 + 1000);
    expect(bad.errors).toEqual([
      expect.objectContaining({ kind: 'timeout', request: 'list pods' }),
    ]);
    expect(podsOf(bad)).toEqual([]);
  });

  it('reports an upstream 500 as bad_response', async () => {
    broken.clusters[0].simulator.setTokens({
      'reader-token-1234': { user: 'x', allow: ['*'] },
    });
    broken.clusters[0].simulator.setFaults([
      { resource: 'replicasets', status: 500 },
    ]);
    const bad = await brokenCluster('reader-token-1234');
    expect(bad.errors).toEqual([
      expect.objectContaining({
        kind: 'bad_response',
        status: 500,
        request: 'list replicasets',
      }),
    ]);
  });

  it('reports a cluster nobody listens on as unreachable', async () => {
    const gone = await startScenario('healthy-gpu-platform');
    const url = gone.clusters[0].url;
    await gone.stop();
    const bad = await brokenCluster('reader-token-1234', 1000, url);
    expect(bad.errors.length).toBeGreaterThan(0);
    expect(bad.errors.every(e => e.kind === 'unreachable')).toBe(true);
    expect(bad.errors[0].message).toMatch(/ECONNREFUSED/);
  });
});

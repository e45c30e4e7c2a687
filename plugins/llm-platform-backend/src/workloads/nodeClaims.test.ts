import { mockServices } from '@backstage/backend-test-utils';
import type { ClusterWorkloads } from '@llm-platform/backstage-plugin-llm-platform-common';
import { createClusterClient } from '../kubernetes/ClusterClient';
import { createWorkloadsService } from '../service/WorkloadsService';
import { jsonText } from './jsonParts';
import { RunningScenario, loadScenario, startScenario } from '../testing';
import {
  RawNodeClaim,
  summarizeNodeClaims,
  withNodeClaims,
} from './nodeClaims';

const QUERY = {
  labelSelector: 'backstage.io/kubernetes-id=vllm-mistral',
  namespace: 'llm-baseline',
};

function memoryCache() {
  const store = new Map<string, any>();
  const cache: any = {
    get: async (k: string) => store.get(k),
    set: async (k: string, v: any) => void store.set(k, structuredClone(v)),
    delete: async (k: string) => void store.delete(k),
    withOptions: () => cache,
  };
  return cache;
}

function workloadsOf(running: RunningScenario) {
  const [cluster] = running.clusters;
  const workloads = createWorkloadsService({
    clients: [
      createClusterClient(
        {
          name: cluster.name,
          url: cluster.url,
          skipTLSVerify: true,
          auth: { provider: 'serviceAccount', token: cluster.token },
        },
        { timeoutMs: 2000 },
      ),
    ],
    cache: memoryCache(),
    logger: mockServices.logger.mock(),
    resultTtlMs: 0,
    clusterTtlMs: 60_000,
    timeoutMs: 2000,
  });
  return {
    workloads,
    async get(): Promise<ClusterWorkloads> {
      const result = await workloads.getWorkloads(QUERY);
      return JSON.parse(jsonText(result.clusters))[0];
    },
  };
}

describe('Karpenter NodeClaims in the GPU allocation', () => {
  describe('on a cluster with Karpenter (pending for GPUs)', () => {
    let running: RunningScenario;
    beforeAll(async () => {
      running = await startScenario('karpenter-pending-gpus');
    });
    afterAll(() => running.stop());

    it('shows the GPU NodeClaims with their state, failed and pending first', async () => {
      const { workloads, get } = workloadsOf(running);
      const cluster = await get();
      workloads.stop();
      expect(cluster.errors).toEqual([]);
      const claims = cluster.gpu.nodeClaims!;
      expect(claims.map(c => [c.name, c.state])).toEqual([
        ['gpu-9qmtz', 'failed'],
        ['gpu-7xk2p', 'launching'],
        ['gpu-4h8vn', 'ready'],
      ]);
      expect(claims[0]).toMatchObject({
        nodePool: 'gpu',
        instanceType: 'g5.2xlarge',
        gpuRequested: 1,
        reason: 'InsufficientCapacityError',
        message: expect.stringContaining('insufficient capacity'),
        conditions: {
          launched: 'False',
          registered: 'Unknown',
          initialized: 'Unknown',
        },
      });
      expect(claims[1]).toMatchObject({
        instanceType: 'g5.xlarge',
        reason: 'AwaitingReconciliation',
        message: 'Node not registered with cluster',
        conditions: {
          launched: 'True',
          registered: 'Unknown',
          initialized: 'Unknown',
        },
      });
      expect(claims[2]).toMatchObject({ nodeName: 'ip-10-0-1-10' });
      expect(claims[2].reason).toBeUndefined();
      const age = (Date.now() - Date.parse('2026-11-22T11:55:00Z')) / 1000;
      expect(claims[0].ageSeconds).toBeGreaterThanOrEqual(Math.floor(age) - 5);
      expect(claims[0].ageSeconds).toBeLessThanOrEqual(Math.ceil(age) + 5);
      // The pod it is for is pending with the diagnostic that explains why.
      expect(cluster.diagnostics.map(d => d.ruleId)).toContain(
        'pod-pending-insufficient-resources',
      );
    });

    it('reads NodeClaims with the nodes, once per refresh, not per request', async () => {
      const { simulator } = running.clusters[0];
      simulator.requests.length = 0;
      const { workloads, get } = workloadsOf(running);
      await get();
      await get();
      await get();
      workloads.stop();
      const lists = simulator.requests.filter(
        r => r.resource === 'nodeclaims.karpenter.sh',
      );
      expect(lists.map(r => [r.verb, r.status])).toEqual([['list', 200]]);
    });

    it('is served by the simulator with label selectors', async () => {
      const [cluster] = running.clusters;
      const list = async (selector: string) => {
        const res = await fetch(
          `${
            cluster.url
          }/apis/karpenter.sh/v1/nodeclaims?labelSelector=${encodeURIComponent(
            selector,
          )}`,
          { headers: { Authorization: `Bearer ${cluster.token}` } },
        );
        expect(res.status).toBe(200);
        return (await res.json()).items.map((i: any) => i.metadata.name);
      };
      expect(await list('karpenter.sh/nodepool=general')).toEqual([
        'general-2rp6d',
      ]);
      expect((await list('karpenter.sh/nodepool!=general')).sort()).toEqual([
        'gpu-4h8vn',
        'gpu-7xk2p',
        'gpu-9qmtz',
      ]);
    });
  });

  describe('on a cluster without Karpenter', () => {
    let running: RunningScenario;
    beforeAll(async () => {
      running = await startScenario('healthy-gpu-platform');
    });
    afterAll(() => running.stop());

    it('shows nothing and records no error when the CRD is not installed (404)', async () => {
      const { simulator } = running.clusters[0];
      simulator.requests.length = 0;
      const { workloads, get } = workloadsOf(running);
      const cluster = await get();
      workloads.stop();
      expect(
        simulator.requests
          .filter(r => r.resource === 'nodeclaims.karpenter.sh')
          .map(r => r.status),
      ).toEqual([404]);
      expect(cluster.errors).toEqual([]);
      expect(cluster.gpu).not.toHaveProperty('nodeClaims');
      expect(cluster.gpu.nodes.length).toBeGreaterThan(0);
    });
  });

  describe('summarizeNodeClaims', () => {
    const raw = loadScenario(
      'karpenter-pending-gpus',
    ).clusters[0].objects.filter(
      (o: any) => o.kind === 'NodeClaim',
    ) as unknown as RawNodeClaim[];

    it('leaves out NodeClaims of instances without GPUs', () => {
      expect(
        summarizeNodeClaims({ items: raw })!.map(c => c.name),
      ).not.toContain('general-2rp6d');
    });

    it('calls a NodeClaim with no conditions yet pending', () => {
      const [claim] = summarizeNodeClaims({
        items: [
          {
            metadata: {
              name: 'gpu-new',
              creationTimestamp: '2026-11-22T12:00:00Z',
            },
            spec: { resources: { requests: { 'nvidia.com/gpu': '4' } } },
          },
        ],
      })!;
      expect(claim).toEqual({
        name: 'gpu-new',
        gpuRequested: 4,
        state: 'pending',
        conditions: {
          launched: 'Unknown',
          registered: 'Unknown',
          initialized: 'Unknown',
        },
        createdAt: '2026-11-22T12:00:00Z',
      });
      const gpu = withNodeClaims(
        { nodes: [], totals: {} as any, observedAt: '' },
        [claim],
        Date.parse('2026-11-22T12:01:30Z'),
      );
      expect(gpu.nodeClaims![0].ageSeconds).toBe(90);
    });
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { createClusterClient } from '../kubernetes/ClusterClient';
import { KubernetesSimulator } from '../testing';
import { buildPod } from '../testing/builders';
import { createPodInformer, trimPod } from './podInformer';

async function waitFor(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

const gpuPod = (name: string, node: string, labels: Record<string, string>) =>
  buildPod({
    name,
    namespace: 'serving',
    nodeName: node,
    labels,
    containers: [
      { resources: { requests: { 'nvidia.com/gpu': '1', cpu: '2' } } },
    ],
  });

describe('createPodInformer', () => {
  const sim = new KubernetesSimulator({
    objects: [
      gpuPod('a', 'gpu-1', { app: 'vllm' }),
      gpuPod('b', 'gpu-1', { app: 'other' }),
    ],
  });
  let url: string;
  beforeAll(async () => {
    url = await sim.start();
  });
  afterAll(() => sim.stop());

  it('lists once, then follows the watch: added, modified and deleted pods', async () => {
    const client = createClusterClient(
      {
        name: 'c',
        url,
        skipTLSVerify: true,
        auth: { provider: 'serviceAccount', token: 'simulator-token' },
      },
      { timeoutMs: 2000 },
    );
    const store = createPodInformer(client, {
      logger: mockServices.logger.mock(),
    });
    try {
      expect(await store.whenSynced(2000)).toBe(true);
      const selected = store.select('app=vllm');
      expect(selected.map(p => p.metadata.name)).toEqual(['a']);
      // Until a pod changes, the same selection is the same array.
      expect(store.select('app=vllm')).toBe(selected);
      expect(store.requestedByNode()['gpu-1']).toEqual({ cpu: 4, gpu: 2 });

      sim.apply(gpuPod('c', 'gpu-2', { app: 'vllm' }));
      await waitFor(() => store.size() === 3);
      expect(store.select('app=vllm')).not.toBe(selected);
      expect(
        store
          .select('app=vllm', 'serving')
          .map(p => p.metadata.name)
          .sort(),
      ).toEqual(['a', 'c']);
      expect(store.requestedByNode()['gpu-2']).toEqual({ cpu: 2, gpu: 1 });

      const finished = gpuPod('a', 'gpu-1', { app: 'vllm' });
      finished.status!.phase = 'Succeeded';
      sim.apply(finished);
      await waitFor(() => store.requestedByNode()['gpu-1']?.gpu === 1);

      sim.remove('v1', 'Pod', 'b', 'serving');
      await waitFor(() => store.size() === 2);
      expect(
        sim.requests.filter(r => r.resource === 'pods' && r.verb === 'list'),
      ).toHaveLength(1);
    } finally {
      store.stop();
    }
  });

  it('keeps serving while a dropped watch resumes, without listing again', async () => {
    sim.resetRequests();
    const client = createClusterClient(
      {
        name: 'c',
        url,
        skipTLSVerify: true,
        auth: { provider: 'serviceAccount', token: 'simulator-token' },
      },
      { timeoutMs: 2000 },
    );
    const store = createPodInformer(client, {
      logger: mockServices.logger.mock(),
      maxBackoffMs: 50,
    });
    try {
      expect(await store.whenSynced(2000)).toBe(true);
      const before = store.size();
      sim.setFaults([{ resource: 'pods', verb: 'watch', status: 500 }]);
      sim.dropWatches();
      await waitFor(
        () =>
          sim.requests.filter(r => r.verb === 'watch' && r.status === 500)
            .length >= 2,
      );
      expect(await store.whenSynced(0)).toBe(true);
      expect(store.size()).toBe(before);
      sim.setFaults([]);
      await waitFor(() =>
        sim.requests.some(
          r => r.verb === 'watch' && r.status === 200 && r !== sim.requests[1],
        ),
      );
      sim.apply(gpuPod('d', 'gpu-3', { app: 'late' }));
      await waitFor(() => store.select('app=late').length === 1);
      expect(
        sim.requests.filter(r => r.resource === 'pods' && r.verb === 'list'),
      ).toHaveLength(1);
    } finally {
      store.stop();
    }
  });

  it('lists in pages of 500, as client-go does', async () => {
    const big = new KubernetesSimulator({
      objects: Array.from({ length: 1200 }, (_, i) =>
        gpuPod(`p${i}`, `gpu-${i % 7}`, { app: i % 2 ? 'vllm' : 'other' }),
      ),
    });
    const bigUrl = await big.start();
    const store = createPodInformer(
      createClusterClient(
        {
          name: 'big',
          url: bigUrl,
          skipTLSVerify: true,
          auth: { provider: 'serviceAccount', token: 'simulator-token' },
        },
        { timeoutMs: 2000 },
      ),
      { logger: mockServices.logger.mock() },
    );
    try {
      expect(await store.whenSynced(5000)).toBe(true);
      expect(store.size()).toBe(1200);
      expect(store.select('app=vllm')).toHaveLength(600);
      const lists = big.requests.filter(r => r.verb === 'list');
      expect(
        lists.map(r => new URL(r.path, bigUrl).searchParams.get('limit')),
      ).toEqual(['500', '500', '500']);
    } finally {
      store.stop();
      await big.stop();
    }
  });

  it('keeps only the fields the view reads', () => {
    const pod = JSON.parse(JSON.stringify(gpuPod('x', 'n', { app: 'vllm' })));
    pod.metadata.managedFields = [
      { manager: 'kubelet', fieldsV1: { 'f:status': {} } },
    ];
    pod.spec.containers[0].env = [{ name: 'HF_TOKEN', value: 'secret-value' }];
    const trimmed = trimPod(pod);
    expect(JSON.stringify(trimmed)).not.toMatch(
      /managedFields|HF_TOKEN|secret-value/,
    );
    expect(trimmed.spec?.containers?.[0].resources?.requests).toEqual({
      'nvidia.com/gpu': '1',
      cpu: '2',
    });
    expect(trimmed.status?.containerStatuses?.[0].ready).toBe(true);
  });
});

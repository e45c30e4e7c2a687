import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityWorkloadsResponse,
  podsOf,
  resolvePods,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import request from 'supertest';
import { llmPlatformPlugin } from './plugin';
import {
  KubernetesSimulator,
  RunningScenario,
  buildPod,
  kubernetesConfig,
  startScenario,
} from './testing';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-llm', lifecycle: 'production' },
});

const vllm = component('mistral', {
  'backstage.io/kubernetes-id': 'vllm-mistral',
  'backstage.io/kubernetes-namespace': 'llm-baseline',
});

function clusterConfig(running: RunningScenario, extra: object = {}) {
  return { kubernetes: kubernetesConfig(running.clusters), ...extra };
}

async function start(config: object, entities: Entity[] = [vllm]) {
  const { server } = await startTestBackend({
    features: [
      llmPlatformPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  return server;
}

const WORKLOADS =
  '/api/llm-platform/v1/entities/component/default/mistral/workloads';

const SNAPSHOT_PATHS = [
  '/api/v1/nodes',
  '/api/v1/pods',
  '/apis/storage.k8s.io/v1/storageclasses',
];

/** Read with the nodes; answered 404 here, where Karpenter is not installed. */
const NODECLAIMS_PATH = '/apis/karpenter.sh/v1/nodeclaims';

/** Calls made for an entity: not the shared node list nor the pod informer. */
const entityCalls = (sim: KubernetesSimulator) =>
  sim.requests.filter(
    r =>
      r.verb !== 'watch' &&
      ![...SNAPSHOT_PATHS, NODECLAIMS_PATH].includes(r.path.split('?')[0]),
  );

/** Waits until the snapshot read at plugin start has been answered and stored. */
async function snapshotRead(sim: KubernetesSimulator) {
  for (let i = 0; i < 100; i++) {
    const done = SNAPSHOT_PATHS.every(p =>
      sim.requests.some(r => r.path.split('?')[0] === p && r.status === 200),
    );
    if (done) {
      await new Promise(resolve => setTimeout(resolve, 20));
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('the plugin did not read the cluster snapshot at start');
}

describe('llmPlatformPlugin', () => {
  let healthy: RunningScenario;

  beforeAll(async () => {
    healthy = await startScenario('healthy-gpu-platform');
  });
  afterAll(() => healthy.stop());
  beforeEach(() => healthy.clusters[0].simulator.resetRequests());

  it('answers its health check without credentials', async () => {
    const server = await start({});
    const res = await request(server).get('/api/llm-platform/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 401 without credentials, and 403 to services', async () => {
    const { server } = await startTestBackend({
      features: [
        llmPlatformPlugin,
        mockServices.rootConfig.factory({ data: clusterConfig(healthy) }),
        catalogServiceMock.factory({ entities: [vllm] }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    await request(server).get(WORKLOADS).expect(401);
    await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.invalidHeader())
      .expect(401);
    await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.service.header())
      .expect(403);
    expect(entityCalls(healthy.clusters[0].simulator)).toEqual([]);
  });

  it('answers 404 alike for a missing entity and one the caller may not see', async () => {
    const getEntityByRef = jest.fn(
      async (_ref: unknown, { credentials }: any) =>
        credentials.principal.userEntityRef === 'user:default/owner'
          ? vllm
          : undefined,
    );
    const { server } = await startTestBackend({
      features: [
        llmPlatformPlugin,
        mockServices.rootConfig.factory({ data: clusterConfig(healthy) }),
        catalogServiceMock.mock({ getEntityByRef }).factory,
      ],
    });
    const hidden = await request(server)
      .get(WORKLOADS)
      .set(
        'authorization',
        mockCredentials.user.header('user:default/stranger'),
      )
      .expect(404);
    const missing = await request(server)
      .get('/api/llm-platform/v1/entities/component/default/nope/workloads')
      .set(
        'authorization',
        mockCredentials.user.header('user:default/stranger'),
      )
      .expect(404);
    expect(hidden.body.error.name).toBe(missing.body.error.name);
    expect(hidden.body.error.message).toBe(
      'No entity component:default/mistral found',
    );
    await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.header('user:default/owner'))
      .expect(200);
    expect(getEntityByRef).toHaveBeenCalledWith('component:default/mistral', {
      credentials: expect.objectContaining({
        principal: expect.objectContaining({
          userEntityRef: 'user:default/owner',
        }),
      }),
    });
  });

  it('answers 400 naming a malformed path parameter', async () => {
    const server = await start(clusterConfig(healthy));
    const res = await request(server)
      .get(
        '/api/llm-platform/v1/entities/component/default/bad%20name!/workloads',
      )
      .set('authorization', mockCredentials.user.header())
      .expect(400);
    expect(res.body.error.message).toMatch(/name/);
  });

  it.each([
    [{}, 'missingAnnotation', /neither/],
    [
      { 'backstage.io/kubernetes-label-selector': 'app in (' },
      'invalidAnnotation',
      /unbalanced/,
    ],
  ])(
    'explains an entity without usable annotations %j',
    async (annotations, reason, message) => {
      const server = await start(clusterConfig(healthy), [
        component('mistral', annotations),
      ]);
      const res = await request(server)
        .get(WORKLOADS)
        .set('authorization', mockCredentials.user.header())
        .expect(200);
      expect(res.body).toMatchObject({ status: 'notConfigured', reason });
      expect(res.body.message).toMatch(message);
      expect(entityCalls(healthy.clusters[0].simulator)).toEqual([]);
    },
  );

  it('says when no cluster is configured', async () => {
    const server = await start({});
    const res = await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.header())
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'notConfigured',
      reason: 'noClusters',
    });
  });

  it('summarises pods, owners, containers and GPU allocation', async () => {
    const server = await start(clusterConfig(healthy));
    const res = await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.header())
      .expect(200);
    // Compressed once per cached answer rather than per response.
    expect(res.headers['content-encoding']).toBe('gzip');
    const body = res.body as EntityWorkloadsResponse;
    if (body.status !== 'ok') throw new Error('expected ok');
    expect(body.selector).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=vllm-mistral',
      namespace: 'llm-baseline',
    });
    const [cluster] = body.clusters;
    expect(cluster.errors).toEqual([]);
    expect(cluster.diagnostics).toEqual([]);
    expect(cluster.counts).toMatchObject({
      total: 1,
      running: 1,
      ready: 1,
      pending: 0,
    });
    // Compact: what the pods of a revision share is in its template, and a
    // pod whose containers all run ready carries no container list.
    expect(podsOf(cluster)).toEqual([
      {
        name: 'mistral-7b-instruct-vllm-76c4cb45b8-8wdr9',
        namespace: 'llm-baseline',
        template: expect.any(String),
        phase: 'Running',
        readyContainers: 1,
        createdAt: expect.any(String),
        node: 'ip-10-0-1-10',
      },
    ]);
    expect(cluster.podTemplates).toEqual({
      [podsOf(cluster)[0].template]: {
        owner: { kind: 'Deployment', name: 'mistral-7b-instruct-vllm' },
        containers: [
          {
            name: 'vllm',
            image: 'vllm/vllm-openai:v0.10.1',
            requests: { cpu: 2, memoryBytes: 12 * 2 ** 30, gpu: 1 },
            limits: { cpu: 3, memoryBytes: 14 * 2 ** 30, gpu: 1 },
          },
        ],
        requests: { cpu: 2, memoryBytes: 12 * 2 ** 30, gpu: 1 },
        limits: { cpu: 3, memoryBytes: 14 * 2 ** 30, gpu: 1 },
      },
    });
    expect(resolvePods(cluster, body.generatedAt)).toEqual([
      expect.objectContaining({
        name: 'mistral-7b-instruct-vllm-76c4cb45b8-8wdr9',
        readyContainers: 1,
        totalContainers: 1,
        restarts: 0,
        owner: { kind: 'Deployment', name: 'mistral-7b-instruct-vllm' },
        containers: [
          expect.objectContaining({
            name: 'vllm',
            state: 'running',
            ready: true,
            restartCount: 0,
          }),
        ],
      }),
    ]);
    expect(cluster.workloads).toEqual([
      {
        kind: 'Deployment',
        name: 'mistral-7b-instruct-vllm',
        namespace: 'llm-baseline',
        desiredReplicas: 1,
        readyReplicas: 1,
        pods: 1,
      },
    ]);
    expect(cluster.gpu.totals).toEqual({
      gpuNodes: 2,
      capacity: 2,
      allocatable: 2,
      requested: 2,
      entityRequested: 1,
      missingNodes: 0,
    });
    expect(
      cluster.gpu.nodes.map(n => [n.name, n.state, n.hostsEntityPods]),
    ).toEqual([
      ['ip-10-0-1-10', 'full', true],
      ['ip-10-0-1-11', 'full', false],
    ]);
    expect(cluster.gpu.nodes[0]).toMatchObject({
      instanceType: 'g5.xlarge',
      gpuProduct: 'NVIDIA-A10G',
      taints: ['nvidia.com/gpu=true:NoSchedule'],
      ready: true,
      schedulable: true,
    });
    expect(JSON.stringify(body)).not.toContain(healthy.clusters[0].token);
  });

  it('reads each object kind once per uncached request; pods come from the informer', async () => {
    const server = await start(clusterConfig(healthy), [
      vllm,
      component('other', { 'backstage.io/kubernetes-id': 'other-team-llm' }),
    ]);
    const sim = healthy.clusters[0].simulator;
    // Read once at plugin start, shared by every entity.
    await snapshotRead(sim);
    expect(
      sim.requests
        .filter(r => r.verb === 'list')
        .map(r => r.path.split('?')[0])
        .sort(),
    ).toEqual([...SNAPSHOT_PATHS, NODECLAIMS_PATH].sort());
    sim.resetRequests();
    await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.header())
      .expect(200);
    expect(sim.requests.map(r => r.path.split('?')[0]).sort()).toEqual([
      '/api/v1/namespaces/llm-baseline/events',
      '/api/v1/namespaces/llm-baseline/persistentvolumeclaims',
      '/apis/apps/v1/namespaces/llm-baseline/deployments',
      '/apis/apps/v1/namespaces/llm-baseline/replicasets',
      '/apis/apps/v1/namespaces/llm-baseline/statefulsets',
    ]);
    // Another entity on the same cluster: the same five entity-scoped reads.
    sim.resetRequests();
    await request(server)
      .get('/api/llm-platform/v1/entities/component/default/other/workloads')
      .set('authorization', mockCredentials.user.header())
      .expect(200);
    expect(sim.requests.map(r => r.path.split('?')[0]).sort()).toEqual([
      '/api/v1/events',
      '/api/v1/persistentvolumeclaims',
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/replicasets',
      '/apis/apps/v1/statefulsets',
    ]);
    expect(
      sim.requests.find(r => r.resource === 'replicasets.apps')?.path,
    ).toContain('labelSelector=backstage.io%2Fkubernetes-id%3Dother-team-llm');
    // Served from cache: no upstream call at all.
    sim.resetRequests();
    await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.header())
      .expect(200);
    expect(sim.requests).toEqual([]);
  });

  it('revalidates a recomputed answer with unchanged workloads, and answers a changed one in full', async () => {
    const own = await startScenario('healthy-gpu-platform');
    try {
      const server = await start(
        clusterConfig(own, {
          llmPlatform: { workloads: { cacheTtl: { milliseconds: 1 } } },
        }),
      );
      const first = await request(server)
        .get(WORKLOADS)
        .set('authorization', mockCredentials.user.header())
        .expect(200);
      expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      await new Promise(resolve => setTimeout(resolve, 10));
      // The cache expired and the clusters were read again, with the same
      // workloads: the poll costs a 304, not a body that differs only in
      // its read times.
      own.clusters[0].simulator.resetRequests();
      const same = await request(server)
        .get(WORKLOADS)
        .set('authorization', mockCredentials.user.header())
        .set('if-none-match', first.headers.etag)
        .expect(304);
      expect(same.headers.etag).toBe(first.headers.etag);
      expect(entityCalls(own.clusters[0].simulator).length).toBeGreaterThan(0);
      // A new pod of the entity: a new answer in full, with a new ETag.
      own.clusters[0].simulator.apply(
        buildPod({
          name: 'vllm-mistral-new',
          namespace: 'llm-baseline',
          labels: { 'backstage.io/kubernetes-id': 'vllm-mistral' },
        }),
      );
      await new Promise(resolve => setTimeout(resolve, 200));
      const next = await request(server)
        .get(WORKLOADS)
        .set('authorization', mockCredentials.user.header())
        .set('if-none-match', first.headers.etag)
        .expect(200);
      expect(next.headers.etag).not.toBe(first.headers.etag);
      expect(JSON.stringify(next.body)).toContain('vllm-mistral-new');
      expect(next.body.generatedAt).not.toBe(first.body.generatedAt);
    } finally {
      await own.stop();
    }
  });

  it('revalidates a cached answer with 304 and no body', async () => {
    const server = await start(clusterConfig(healthy));
    const first = await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.header())
      .expect(200);
    const revalidated = await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.header())
      .set('if-none-match', `W/"other", ${first.headers.etag}`)
      .expect(304);
    expect(revalidated.headers.etag).toBe(first.headers.etag);
    expect(revalidated.text ?? '').toBe('');
    await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.header())
      .set('if-none-match', '"stale"')
      .expect(200);
    // Credentials first: no 304 with invalid ones.
    await request(server)
      .get(WORKLOADS)
      .set('authorization', mockCredentials.user.invalidHeader())
      .set('if-none-match', first.headers.etag)
      .expect(401);
  });

  it('makes one upstream fan-out for 200 concurrent identical requests', async () => {
    const server = await start(clusterConfig(healthy));
    const sim = healthy.clusters[0].simulator;
    await snapshotRead(sim);
    sim.resetRequests();
    sim.setFaults([{ latencyMs: 50 }]);
    try {
      const responses = await Promise.all(
        Array.from({ length: 200 }, () =>
          request(server)
            .get(WORKLOADS)
            .set('authorization', mockCredentials.user.header()),
        ),
      );
      expect(responses.every(r => r.status === 200)).toBe(true);
      // Backends of earlier tests share this simulator; count this entity's reads.
      expect(entityCalls(sim)).toHaveLength(5);
    } finally {
      sim.setFaults([]);
    }
  });
});

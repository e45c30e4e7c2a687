import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EntityMetricsResponse } from '@llm-platform/backstage-plugin-llm-platform-common';
import request from 'supertest';
import { llmPlatformPlugin } from '../plugin';
import {
  DEFAULT_SIMULATOR_TOKEN,
  KubernetesSimulator,
  buildNode,
  buildPod,
  closedPort,
  kubernetesConfig,
} from '../testing';

// The metrics route scopes its queries with the pods the informer holds. It
// does not wait for the workload view's per-request lists (replicasets,
// deployments, events, ...), so a tab that asks for both gets its charts as
// soon as Prometheus answers, not after the slower cluster reads.

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'chat',
    namespace: 'default',
    // No namespace and no model names: both come from the pods.
    annotations: { 'backstage.io/kubernetes-id': 'chat' },
  },
  spec: { type: 'service', owner: 'team-llm', lifecycle: 'production' },
};

const BASE = '/api/llm-platform/v1/entities/component/default/chat';

describe('metrics scope from the pod informer', () => {
  let sim: KubernetesSimulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    sim = new KubernetesSimulator({
      objects: [
        buildNode({
          name: 'gpu-1',
          instanceType: 'g5.xlarge',
          gpus: 1,
          gpuProduct: 'NVIDIA-A10G',
        }),
        ...['chat-vllm-0', 'chat-vllm-1'].map(name => {
          const pod = buildPod({
            name,
            namespace: 'serving-a',
            labels: { 'backstage.io/kubernetes-id': 'chat' },
            nodeName: 'gpu-1',
          });
          pod.spec!.containers[0].args = ['--served-model-name', 'chat-8b'];
          return pod;
        }),
        // Another team's vLLM in another namespace: not in the scope.
        buildPod({
          name: 'other-vllm-0',
          namespace: 'serving-b',
          labels: { 'backstage.io/kubernetes-id': 'other' },
          nodeName: 'gpu-1',
        }),
      ],
    });
    const url = await sim.start();
    const prometheusPort = await closedPort();
    ({ server } = await startTestBackend({
      features: [
        llmPlatformPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: kubernetesConfig([
              { name: 'prod', url, token: DEFAULT_SIMULATOR_TOKEN },
            ]),
            llmPlatform: {
              kubernetes: { timeout: { seconds: 30 } },
              prometheus: {
                instances: [
                  {
                    name: 'main',
                    url: `http://127.0.0.1:${prometheusPort}`,
                    timeout: '2s',
                  },
                ],
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: [entity] }),
      ],
    }));
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('answers while the workload view still waits for a hanging replicaset list', async () => {
    // Pods list and watch are answered; the workload view's replicaset list
    // never is (until its 30 s timeout).
    sim.setFaults([{ resource: 'replicasets', hang: true }]);
    let workloadsDone = false;
    const workloads = request(server)
      .get(`${BASE}/workloads`)
      .then(res => {
        workloadsDone = true;
        return res;
      });

    const res = await request(server).get(`${BASE}/metrics?range=1h`);
    expect(workloadsDone).toBe(false);
    expect(res.status).toBe(200);
    const body = res.body as EntityMetricsResponse;
    // Scoped to the namespace and the model the informer's pods name.
    expect(body.scope).toEqual({
      namespaces: ['serving-a'],
      models: ['chat-8b'],
    });
    // Prometheus is down: the panels say so, the answer is still served.
    expect(body.panels.e2eLatency).toMatchObject({
      state: 'error',
      instance: 'main',
    });

    sim.setFaults([]);
    workloads.catch(() => undefined);
  }, 60_000);

  it('answers an unchanged poll with a 304 and no body', async () => {
    const first = await request(server)
      .get(`${BASE}/metrics?range=1h`)
      .set('Accept-Encoding', 'gzip');
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);

    const again = await request(server)
      .get(`${BASE}/metrics?range=1h`)
      .set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text).toBeFalsy();

    // Another range is another answer.
    const other = await request(server)
      .get(`${BASE}/metrics?range=6h`)
      .set('If-None-Match', etag);
    expect(other.status).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
  });
});

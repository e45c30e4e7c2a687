import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityWorkloadsResponse,
  podsOf,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import request from 'supertest';
import { llmPlatformPlugin } from '../plugin';
import {
  DEFAULT_SIMULATOR_TOKEN,
  KubernetesSimulator,
  buildNode,
  buildPod,
  kubernetesConfig,
} from '../testing';

// The path a newly created platform takes (issue 8's last hop): the entity is
// in the catalog, and its pods start in the cluster only after the backend has
// already answered for it. The watch, not a new list, must bring them in.

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'acme-vllm',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'acme-vllm',
      'backstage.io/kubernetes-namespace': 'llm-serving',
      'llm-platform.io/model-names': 'TheBloke/Mistral-7B-Instruct-v0.2-AWQ',
    },
  },
  spec: { type: 'service', owner: 'team-llm', lifecycle: 'experimental' },
};

/** Pod names across clusters of an answer that must be `ok`. */
function podNames(body: EntityWorkloadsResponse): string[] {
  if (body.status !== 'ok') throw new Error(`not ok: ${body.message}`);
  return body.clusters.flatMap(c => podsOf(c).map(p => p.name));
}

const PATH =
  '/api/llm-platform/v1/entities/component/default/acme-vllm/workloads';

describe('pods that start after the first answer', () => {
  let sim: KubernetesSimulator;
  afterEach(() => sim?.stop());

  it('appear once the cached answer expires, through the pod watch', async () => {
    sim = new KubernetesSimulator({
      objects: [buildNode({ name: 'general-1', instanceType: 't3.large' })],
    });
    const url = await sim.start();
    const { server } = await startTestBackend({
      features: [
        llmPlatformPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: kubernetesConfig([
              { name: 'sandbox', url, token: DEFAULT_SIMULATOR_TOKEN },
            ]),
            llmPlatform: { workloads: { cacheTtl: { seconds: 1 } } },
          },
        }),
        catalogServiceMock.factory({ entities: [entity] }),
      ],
    });

    const first = await request(server).get(PATH);
    expect(first.status).toBe(200);
    expect(podNames(first.body)).toEqual([]);

    sim.apply(
      buildNode({
        name: 'gpu-1',
        instanceType: 'g5.xlarge',
        gpus: 1,
        gpuProduct: 'NVIDIA-A10G',
      }),
    );
    sim.apply(
      buildPod({
        name: 'acme-vllm-0000',
        namespace: 'llm-serving',
        labels: { 'backstage.io/kubernetes-id': 'acme-vllm' },
        nodeName: 'gpu-1',
      }),
    );

    let pods: string[] = [];
    for (let i = 0; i < 40 && !pods.length; i++) {
      await new Promise(r => setTimeout(r, 250));
      const res = await request(server).get(PATH);
      pods = podNames(res.body);
    }
    expect(pods).toEqual(['acme-vllm-0000']);
  });
});

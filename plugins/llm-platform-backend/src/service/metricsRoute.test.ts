import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EntityMetricsResponse } from '@llm-platform/backstage-plugin-llm-platform-common';
import request from 'supertest';
import { llmPlatformPlugin } from '../plugin';
import { closedPort } from '../testing';

// The metrics endpoint through the real plugin: authentication, entity
// lookup, parameter validation, and a Prometheus that does not answer.

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'llama',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'llama',
      'backstage.io/kubernetes-namespace': 'llm-serving',
      'llm-platform.io/model-names': 'meta-llama/Meta-Llama-3-8B-Instruct',
    },
  },
  spec: { type: 'service', owner: 'team', lifecycle: 'production' },
};

const METRICS = '/api/llm-platform/v1/entities/component/default/llama/metrics';

describe('GET /v1/entities/{kind}/{namespace}/{name}/metrics', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    const port = await closedPort();
    ({ server } = await startTestBackend({
      features: [
        llmPlatformPlugin,
        mockServices.rootConfig.factory({
          data: {
            llmPlatform: {
              prometheus: {
                instances: [
                  {
                    name: 'down',
                    url: `http://127.0.0.1:${port}`,
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

  it('answers 401 without user credentials', async () => {
    const res = await request(server)
      .get(METRICS)
      .set('Authorization', 'Bearer mock-none-token');
    expect(res.status).toBe(401);
  });

  it('answers 404 for an entity that is not in the catalog', async () => {
    const res = await request(server).get(
      '/api/llm-platform/v1/entities/component/default/nope/metrics',
    );
    expect(res.status).toBe(404);
  });

  it('answers 400 naming a range that is not one of the fixed ones', async () => {
    const res = await request(server).get(`${METRICS}?range=2h`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/range/);
  });

  it('answers 400 naming a gpuSeries that is neither range nor latest', async () => {
    const res = await request(server).get(`${METRICS}?range=1h&gpuSeries=all`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/gpuSeries/);
  });

  it('reports an unreachable Prometheus per panel, naming the instance', async () => {
    const res = await request(server).get(`${METRICS}?range=1h`);
    expect(res.status).toBe(200);
    const body = res.body as EntityMetricsResponse;
    expect(body.instance).toBe('down');
    expect(body.scope.models).toEqual(['meta-llama/Meta-Llama-3-8B-Instruct']);
    for (const panel of Object.values(body.panels)) {
      expect(panel).toMatchObject({ state: 'error', instance: 'down' });
    }
  });
});

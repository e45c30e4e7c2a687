import http from 'node:http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EntityMetricsResponse } from '@llm-platform/backstage-plugin-llm-platform-common';
import request from 'supertest';
import {
  RunningPrometheus,
  Scenario as MetricsScenario,
  defaultScenario,
  podNames,
  startPrometheus,
} from '../metrics/testing';
import { MAX_POD_MATCHERS } from '../metrics/types';
import { llmPlatformPlugin } from '../plugin';
import {
  RunningScenario,
  buildPod,
  kubernetesConfig,
  startScenario,
} from '../testing';

// The metrics route end to end: pods in the Kubernetes simulator (read by the
// pod informer over HTTP), series in Debian's real Prometheus backfilled by
// the generator, and a counting proxy between the backend and Prometheus.

jest.setTimeout(120_000);

const END = 1_760_000_100;
const metricsScenario: MetricsScenario = {
  ...defaultScenario(END, 1),
  unrelatedSeries: 10,
};
const model = (name: string) =>
  metricsScenario.models.find(m => m.name === name)!;
const MISTRAL = model('mistral-7b');
const EVIL = metricsScenario.models.find(m => m.name.startsWith('evil'))!;

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-llm', lifecycle: 'production' },
});

/** More pods than are matched one by one: only namespace and model scope. */
const BIG = MAX_POD_MATCHERS + 1;

/** The entity's pods: the generator's own pods first, then pending replicas. */
function vllmPods(
  id: string,
  names: string[],
  namespace: string,
  args: string[] | undefined,
) {
  return names.map(name => {
    const pod = buildPod({
      name,
      namespace,
      labels: { 'backstage.io/kubernetes-id': id },
      containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0' }],
    });
    if (args) pod.spec!.containers[0].args = args;
    return pod;
  });
}

const padded = (prefix: string, from: number, to: number) =>
  Array.from(
    { length: to - from },
    (_, i) => `${prefix}-${String(from + i).padStart(4, '0')}`,
  );

let prom: RunningPrometheus;
let cluster: RunningScenario;
let proxy: http.Server;
const proxied: string[] = [];
let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

beforeAll(async () => {
  const mistralPods = [
    ...podNames(MISTRAL),
    ...padded(MISTRAL.podPrefix, MISTRAL.pods, BIG),
  ];
  [prom, cluster] = await Promise.all([
    startPrometheus(metricsScenario),
    startScenario({
      name: 'metrics-end-to-end',
      description: 'vLLM pods whose arguments name their models',
      entity: {},
      expectRules: [],
      clusters: [
        {
          name: 'prod',
          objects: [
            // Named by --served-model-name, with --model beside it.
            ...vllmPods('chat', mistralPods, MISTRAL.namespace, [
              '--model=mistralai/Mistral-7B-Instruct-v0.3',
              '--served-model-name',
              MISTRAL.name,
              '--port',
              '8000',
            ]),
            // The same pods with arguments that name no model.
            ...vllmPods(
              'unnamed',
              padded('unnamed', 0, BIG),
              MISTRAL.namespace,
              ['--port', '8000'],
            ),
            // A hostile served name, read from the pod's arguments.
            ...vllmPods('evil', podNames(EVIL), EVIL.namespace, [
              '--served-model-name',
              EVIL.name,
            ]),
          ],
        },
      ],
    }),
  ]);
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      proxied.push(new URLSearchParams(body).get('query') ?? '');
      const upstream = await fetch(`${prom.url}${req.url}`, {
        method: req.method,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: req.method === 'POST' ? body : undefined,
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    });
  });
  await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${
    (proxy.address() as { port: number }).port
  }`;
  ({ server } = await startTestBackend({
    features: [
      llmPlatformPlugin,
      mockServices.rootConfig.factory({
        data: {
          kubernetes: kubernetesConfig(cluster.clusters),
          llmPlatform: {
            prometheus: {
              instances: [{ name: 'main', url: proxyUrl, clusters: ['prod'] }],
            },
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          component('chat', {
            'backstage.io/kubernetes-id': 'chat',
            'backstage.io/kubernetes-namespace': MISTRAL.namespace,
          }),
          component('unnamed', {
            'backstage.io/kubernetes-id': 'unnamed',
            'backstage.io/kubernetes-namespace': MISTRAL.namespace,
          }),
          component('evil', {
            'backstage.io/kubernetes-id': 'evil',
            'backstage.io/kubernetes-namespace': EVIL.namespace,
          }),
        ],
      }),
    ],
  }));
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise(resolve => proxy?.close(resolve));
  await Promise.all([prom?.stop(), cluster?.stop()]);
});

const metricsOf = (name: string, from = END - 3600, to = END) =>
  request(server).get(
    `/api/llm-platform/v1/entities/component/default/${name}/metrics?start=${from}&end=${to}`,
  );

/** Requests per second a model's pods finish, from the generator's inputs. */
const rateOf = (m: typeof MISTRAL) => m.pods * m.requestsPerSecondPerPod;

describe('model names discovered from the vLLM pods', () => {
  it('restricts an entity without the annotation to the names its pods serve', async () => {
    const res = await metricsOf('chat');
    expect(res.status).toBe(200);
    const body = res.body as EntityMetricsResponse;
    expect(body.scope.models).toEqual([MISTRAL.name]);
    // llama-3.1-8b and qwen2.5-7b run in the same namespace.
    expect(body.models.map(m => m.model)).toEqual([MISTRAL.name]);
    expect(body.total.requestRate.now).toBeCloseTo(rateOf(MISTRAL), 1);
    // Too many pods to match one by one: the model names do the scoping.
    expect(proxied.some(q => q.includes('pod=~'))).toBe(false);
  });

  it('reads the whole namespace when the pods name no model, and says so', async () => {
    const res = await metricsOf('unnamed');
    expect(res.status).toBe(200);
    const body = res.body as EntityMetricsResponse;
    expect(body.scope.models).toEqual([]);
    expect(body.models.map(m => m.model)).toEqual([
      'llama-3.1-8b',
      'mistral-7b',
      'qwen2.5-7b',
    ]);
    expect(body.notes.join(' ')).toMatch(/names no model/);
  });

  it('keeps a hostile discovered name a literal value of the query', async () => {
    const res = await metricsOf('evil');
    expect(res.status).toBe(200);
    const body = res.body as EntityMetricsResponse;
    expect(body.scope.models).toEqual([EVIL.name]);
    // other-model shares the namespace; `or vector(1)` would add a series.
    expect(body.models.map(m => m.model)).toEqual([EVIL.name]);
    expect(body.total.requestRate.now).toBeCloseTo(rateOf(EVIL), 1);
  });
});

describe('cache and coalescing shared with the workload view', () => {
  it('answers N concurrent identical requests with one set of Prometheus queries', async () => {
    // One request alone, on a range nothing has asked for yet: its points
    // are off the step grid of the other tests' ranges, so none of theirs
    // settled points can be reused.
    proxied.length = 0;
    const single = await metricsOf('chat', END - 1807, END - 607);
    expect(single.status).toBe(200);
    const oneSet = [...proxied].sort();
    expect(oneSet.length).toBeGreaterThan(5);

    // Eight at once, on another fresh range (another grid again).
    proxied.length = 0;
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => metricsOf('chat', END - 2411, END - 611)),
    );
    expect(burst.map(r => r.status)).toEqual(Array(8).fill(200));
    expect(proxied.length).toBe(oneSet.length);
    expect(new Set(burst.map(r => r.body.generatedAt)).size).toBe(1);
    expect(burst[0].body.range.start).not.toBe(single.body.range.start);

    // Within the TTL, the same request is served without Prometheus.
    proxied.length = 0;
    const again = await metricsOf('chat', END - 2411, END - 611);
    expect(again.body).toEqual(burst[0].body);
    expect(proxied).toEqual([]);
  });
});

describe('gpuSeries', () => {
  it('with latest, sends each GPU its value now without its points, from the same answer', async () => {
    const from = END - 3600;
    const full = await metricsOf('chat', from);
    expect(full.status).toBe(200);
    const range = full.body as EntityMetricsResponse;
    expect(range.gpus.length).toBeGreaterThan(0);
    expect(range.gpus[0].utilization.points.length).toBeGreaterThan(10);

    proxied.length = 0;
    const lean = await request(server).get(
      `/api/llm-platform/v1/entities/component/default/chat/metrics?start=${from}&end=${END}&gpuSeries=latest`,
    );
    expect(lean.status).toBe(200);
    // The cached answer, encoded a second way: Prometheus is not asked again.
    expect(proxied).toEqual([]);
    const latest = lean.body as EntityMetricsResponse;
    const series = [
      'utilization',
      'memoryUsedMiB',
      'memoryTotalMiB',
      'powerWatts',
      'temperatureCelsius',
    ] as const;
    expect(latest.gpus.map(g => g.uuid)).toEqual(range.gpus.map(g => g.uuid));
    for (const [i, gpu] of latest.gpus.entries()) {
      for (const name of series) {
        expect(gpu[name]).toEqual({ points: [], now: range.gpus[i][name].now });
      }
    }
    expect(latest.gpus.some(g => g.utilization.now !== null)).toBe(true);
    // Everything else is the same, the totals' points included.
    expect({ ...latest, gpus: [] }).toEqual({ ...range, gpus: [] });
    expect(latest.gpuTotals.utilization.points.length).toBeGreaterThan(10);
    expect(lean.headers.etag).not.toBe(full.headers.etag);
    expect(Number(lean.headers['content-length'])).toBeLessThan(
      Number(full.headers['content-length']),
    );
  });
});

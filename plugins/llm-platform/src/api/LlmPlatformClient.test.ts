import { ResponseError } from '@backstage/errors';
import {
  resolvePods,
  toPodTable,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { LlmPlatformClient } from './LlmPlatformClient';
import { healthyWorkloads } from '../__fixtures__/workloads';

interface FakeResponse {
  status: number;
  body?: unknown;
  etag?: string;
}

// The parts of a fetch Response that the client and ResponseError read.
const toResponse = ({ status, body, etag }: FakeResponse) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers = new Map<string, string>([
    ['content-type', 'application/json'],
  ]);
  if (etag) headers.set('etag', etag);
  return {
    status,
    ok: status >= 200 && status < 300,
    statusText: status === 304 ? 'Not Modified' : 'Error',
    url: 'http://backend/api/llm-platform',
    headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
    json: async () => JSON.parse(text),
    text: async () => text,
    clone() {
      return this;
    },
  } as unknown as Response;
};

let now = 1_700_000_000_000;
/** Moves the client's clock past the time an answer is reused without asking. */
const later = () => {
  now += 2000;
};
beforeEach(() => {
  jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => {
  jest.restoreAllMocks();
});

const setup = (...responses: FakeResponse[]) => {
  const fetch = jest.fn();
  for (const r of responses) fetch.mockResolvedValueOnce(toResponse(r));
  const discoveryApi = {
    getBaseUrl: jest.fn(async () => 'http://backend/api/llm-platform'),
  };
  const client = new LlmPlatformClient({ discoveryApi, fetchApi: { fetch } });
  return { client, fetch, discoveryApi };
};

const entity = { kind: 'Component', namespace: 'team a', name: 'llama/3' };

describe('LlmPlatformClient', () => {
  it('reads the workloads of an entity from the discovered base URL', async () => {
    const { client, fetch, discoveryApi } = setup({
      status: 200,
      body: healthyWorkloads(),
    });
    const response = await client.getWorkloads(entity);
    expect(response).toEqual(healthyWorkloads());
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('llm-platform');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/llm-platform/v1/entities/component/team%20a/llama%2F3/workloads',
      { headers: { Accept: 'application/json' } },
    );
  });

  it('asks for metrics by range and model', async () => {
    const { client, fetch } = setup({ status: 200, body: {} });
    await client.getMetrics(entity, { range: '24h', model: 'llama 3/8b' });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/llm-platform/v1/entities/component/team%20a/llama%2F3/metrics?range=24h&model=llama+3%2F8b',
    );
  });

  it("asks for each GPU's value now only, when told to", async () => {
    const { client, fetch } = setup({ status: 200, body: {} });
    await client.getMetrics(entity, { range: '1h', gpuSeries: 'latest' });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/llm-platform/v1/entities/component/team%20a/llama%2F3/metrics?range=1h&gpuSeries=latest',
    );
  });

  it('throws a ResponseError that carries the backend error', async () => {
    const { client } = setup({
      status: 404,
      body: {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/x',
        },
        response: { statusCode: 404 },
      },
    });
    const error = await client.getWorkloads(entity).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.message).toBe('Request failed with 404 Error');
    expect(error.cause.message).toBe('No entity component:default/x');
  });

  it('revalidates with the ETag and returns the same object on 304', async () => {
    const { client, fetch } = setup(
      { status: 200, body: healthyWorkloads(), etag: 'W/"abc"' },
      { status: 304, etag: 'W/"abc"' },
    );
    const first = await client.getWorkloads(entity);
    later();
    const second = await client.getWorkloads(entity);
    expect(fetch.mock.calls[1][1]).toEqual({
      headers: { Accept: 'application/json', 'If-None-Match': 'W/"abc"' },
    });
    expect(second).toBe(first);
  });

  it('returns the same object for an identical body without an ETag', async () => {
    const { client } = setup(
      { status: 200, body: healthyWorkloads() },
      { status: 200, body: healthyWorkloads() },
    );
    const first = await client.getWorkloads(entity);
    later();
    expect(await client.getWorkloads(entity)).toBe(first);
  });

  it('keeps unchanged pods as the same objects when some data changed', async () => {
    const changed = healthyWorkloads();
    if (changed.status !== 'ok') throw new Error('expected ok');
    const pods = changed.clusters[0].pods!;
    pods[1] = { ...pods[1], restarts: 3 };
    const { client } = setup(
      { status: 200, body: healthyWorkloads(), etag: '"1"' },
      { status: 200, body: changed, etag: '"2"' },
    );
    const first = await client.getWorkloads(entity);
    later();
    const second = await client.getWorkloads(entity);
    if (first.status !== 'ok' || second.status !== 'ok') throw new Error('ok');
    expect(second).not.toBe(first);
    expect(second.clusters[0].pods![0]).toBe(first.clusters[0].pods![0]);
    expect(second.clusters[0].pods![1]).not.toBe(first.clusters[0].pods![1]);
    expect(second.clusters[0].pods![1].restarts).toBe(3);
    expect(second.clusters[0].gpu).toBe(first.clusters[0].gpu);
  });

  it('keeps unchanged pods as the same objects when pods come as a table', async () => {
    const asTable = (restarts?: number) => {
      const body = healthyWorkloads();
      if (body.status !== 'ok') throw new Error('expected ok');
      const { pods = [], ...cluster } = body.clusters[0];
      const changed = pods.map((p, i) => (i === 1 ? { ...p, restarts } : p));
      return {
        ...body,
        clusters: [{ ...cluster, podTable: toPodTable(changed) }],
      };
    };
    const { client } = setup(
      { status: 200, body: asTable(), etag: '"1"' },
      { status: 200, body: asTable(3), etag: '"2"' },
    );
    const first = await client.getWorkloads(entity);
    later();
    const second = await client.getWorkloads(entity);
    if (first.status !== 'ok' || second.status !== 'ok') throw new Error('ok');
    const [before, after] = [first, second].map(r =>
      resolvePods(r.clusters[0], r.generatedAt),
    );
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1].restarts).toBe(3);
  });

  it('shares one request between callers asking at the same time', async () => {
    const { client, fetch } = setup({
      status: 200,
      body: healthyWorkloads(),
      etag: '"1"',
    });
    const [a, b] = await Promise.all([
      client.getWorkloads(entity),
      client.getWorkloads(entity),
    ]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
  });

  it('reuses an answer younger than a second, then asks again', async () => {
    const { client, fetch } = setup(
      { status: 200, body: healthyWorkloads(), etag: '"1"' },
      { status: 304, etag: '"1"' },
    );
    const first = await client.getWorkloads(entity);
    now += 500;
    expect(await client.getWorkloads(entity)).toBe(first);
    expect(fetch).toHaveBeenCalledTimes(1);
    now += 600;
    expect(await client.getWorkloads(entity)).toBe(first);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

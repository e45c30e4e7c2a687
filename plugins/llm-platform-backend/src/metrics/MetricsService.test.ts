import http from 'node:http';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  EntityMetricsResponse,
  MetricSeries,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { createMetricsService } from './MetricsService';
import { splitAtBlocks } from './split';
import {
  E2E_BUCKETS,
  ITL_BUCKETS,
  ModelProfile,
  Scenario,
  TTFT_BUCKETS,
  defaultScenario,
  modelProfile,
  podNames,
  podPlacement,
} from './testing/generator';
import {
  RunningPrometheus,
  startPrometheus,
} from './testing/prometheusHarness';
import { EntityMetricsRequest } from './types';

// Runs against Debian's real Prometheus, backfilled by the generator. The
// expected numbers are derived here from the generator's inputs (rates,
// log-normal latency parameters), not from the generator's output.

jest.setTimeout(120_000);

// A multiple of 15 s, three hours after a multiple of 18 h: the 6 h range
// crosses a block boundary, so its histogram queries are split there.
const END = 1_759_978_800;
const INCIDENT = { from: END - 3 * 3600, to: END - 2 * 3600, latencyFactor: 3 };

// Standard normal quantiles for p50, p95, p99.
const Z: Record<number, number> = {
  0.5: 0,
  0.95: 1.6448536269514722,
  0.99: 2.3263478740408408,
};

// erf by its Maclaurin series; independent of the generator's approximation.
function erf(x: number): number {
  if (Math.abs(x) > 5) return Math.sign(x);
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const cdf = (median: number, sigma: number, x: number) =>
  x <= 0 ? 0 : 0.5 * (1 + erf(Math.log(x / median) / (sigma * Math.SQRT2)));

/** Quantile of a rate-weighted mixture of log-normals, by bisection. */
function mixtureQuantile(
  q: number,
  parts: Array<{ weight: number; median: number; sigma: number }>,
): number {
  const total = parts.reduce((a, p) => a + p.weight, 0);
  const F = (x: number) =>
    parts.reduce((a, p) => a + p.weight * cdf(p.median, p.sigma, x), 0) / total;
  let lo = 1e-6;
  let hi = 1e5;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (F(mid) < q) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The bucket [lower, upper] that holds x: histogram_quantile answers inside it. */
function bucketAround(buckets: number[], x: number): [number, number] {
  const i = buckets.findIndex(le => le >= x);
  return [i <= 0 ? 0 : buckets[i - 1], buckets[i]];
}

function valueAt(series: MetricSeries, t: number): number {
  const point = series.points.find(([ts]) => ts === t);
  if (!point)
    throw new Error(
      `no point at ${t} in ${JSON.stringify(series.points.slice(-3))}`,
    );
  return point[1];
}

const scenario: Scenario = {
  ...defaultScenario(END, 7),
  incident: INCIDENT,
};
// A distinct inter-token latency for the dual-name pod, so counting it twice
// would move the total's quantiles.
scenario.models = scenario.models.map(m =>
  m.name === 'qwen2.5-7b' ? { ...m, itl: { median: 0.045, sigma: 0.5 } } : m,
);
const entityModels = scenario.models.filter(m => m.namespace === 'llm-serving');
const model = (name: string) => scenario.models.find(m => m.name === name)!;
const EVIL = model('evil"} or vector(1) # .*|\\\n').name;

// A second, small Prometheus whose scrape config honours dcgm-exporter's own
// labels, with one idle GPU per node that no pod holds.
const honorScenario: Scenario = {
  ...defaultScenario(END, 1),
  models: [
    modelProfile({
      name: 'mistral-7b',
      pods: 2,
      namespace: 'team-b',
      podPrefix: 'vllm-b',
    }),
  ],
  gpu: {
    labelling: 'honor',
    gpusPerNode: 2,
    idleGpusPerNode: 1,
    productName: 'Tesla T4',
    memoryTotalMiB: 15360,
  },
  unrelatedSeries: 10,
};

let prom: RunningPrometheus;
let honorProm: RunningPrometheus;
let proxy: http.Server;
let proxyUrl: string;
const proxyLog: string[] = [];
const proxyRanges: Array<{ query: string; start: number; end: number }> = [];

beforeAll(async () => {
  [prom, honorProm] = await Promise.all([
    startPrometheus(scenario),
    startPrometheus(honorScenario),
  ]);
  // Forwards to the real Prometheus, except that time-to-first-token queries
  // fail with HTTP 500 and GPU queries hang past the client's timeout.
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      const form = new URLSearchParams(body);
      const query = form.get('query') ?? form.getAll('match[]').join(' ');
      proxyLog.push(query);
      // Under /clean/ it only forwards and notes each range query's span.
      const clean = req.url!.startsWith('/clean/');
      const upstreamPath = clean ? req.url!.slice('/clean'.length) : req.url;
      if (clean && upstreamPath!.endsWith('/query_range')) {
        proxyRanges.push({
          query,
          start: Number(form.get('start')),
          end: Number(form.get('end')),
        });
      }
      if (req.headers.authorization !== 'Bearer s3cret-token') {
        res.writeHead(401).end('unauthorized');
        return;
      }
      if (clean) {
        // forwarded below as it is
      } else if (query.includes('time_to_first_token')) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'internal',
            error: 'storage is on fire',
          }),
        );
        return;
      }
      if (!clean && query.includes('DCGM_FI_DEV_FB_USED')) return; // never answers
      const upstream = await fetch(`${prom.url}${upstreamPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    });
  });
  await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise(resolve => proxy?.close(resolve));
  await Promise.all([prom?.stop(), honorProm?.stop()]);
});

function memoryCache() {
  const store = new Map<string, unknown>();
  return mockServices.cache.mock({
    get: async (key: string) => store.get(key) as any,
    set: async (key: string, value: unknown) => {
      store.set(key, value);
    },
  });
}

function service(extra: object[] = [], cache = memoryCache()) {
  return createMetricsService({
    config: new ConfigReader({
      llmPlatform: {
        prometheus: {
          defaultInstance: 'main',
          instances: [
            { name: 'main', url: prom.url, clusters: ['prod'] },
            { name: 'honor', url: honorProm.url, clusters: ['gpu-b'] },
            ...extra,
          ],
        },
      },
    }),
    logger: mockServices.logger.mock(),
    cache,
    now: () => END * 1000,
  });
}

const entityRequest = (
  overrides: Partial<EntityMetricsRequest> = {},
): EntityMetricsRequest => ({
  entityRef: 'component:default/chat',
  scope: { namespaces: ['llm-serving'] },
  range: '6h',
  ...overrides,
});

async function prometheusRange(
  query: string,
  r: EntityMetricsResponse['range'],
) {
  const res = await fetch(`${prom.url}/api/v1/query_range`, {
    method: 'POST',
    body: new URLSearchParams({
      query,
      start: String(r.start),
      end: String(r.end),
      step: String(r.step),
    }),
  });
  const json = await res.json();
  expect(json.status).toBe('success');
  return json.data.result as Array<{
    metric: Record<string, string>;
    values: Array<[number, string]>;
  }>;
}

describe('metrics service against a real Prometheus', () => {
  let response: EntityMetricsResponse;
  beforeAll(async () => {
    response = await service().getEntityMetrics(entityRequest());
  });

  it('picks a step that keeps series under 300 points and a window covering it', () => {
    expect(response.range).toEqual({
      preset: '6h',
      start: END - 21600,
      end: END,
      step: 120,
      rateWindow: 120,
    });
    expect(response.total.requestRate.points.length).toBeLessThanOrEqual(301);
    expect(Object.values(response.panels).every(p => p.state === 'ok')).toBe(
      true,
    );
  });

  it('finds exactly the models of the namespace, new, old and dual metric names alike', () => {
    expect(response.models.map(m => m.model)).toEqual([
      'llama-3.1-8b',
      'mistral-7b',
      'qwen2.5-7b',
    ]);
  });

  it('computes per-model quantiles within the bucket holding the true quantile', () => {
    const steady = END - 1800;
    const window = response.range.rateWindow;
    for (const m of entityModels) {
      const got = response.models.find(x => x.model === m.name)!;
      // A window holds a whole number of observations per pod, so the rank
      // can be off by one observation per pod: widen q by that much.
      const slack = (observationsPerSecond: number) =>
        (m.pods + 1) / (observationsPerSecond * window);
      const bounds = (
        buckets: number[],
        d: { median: number; sigma: number },
        q: number,
        perSecond: number,
      ) => {
        const delta = slack(perSecond);
        const low = mixtureQuantile(Math.max(q - delta, 0.001), [
          { weight: 1, ...d },
        ]);
        const high = mixtureQuantile(Math.min(q + delta, 0.999), [
          { weight: 1, ...d },
        ]);
        return [bucketAround(buckets, low)[0], bucketAround(buckets, high)[1]];
      };
      const requests = m.pods * m.requestsPerSecondPerPod;
      for (const q of [0.5, 0.95, 0.99] as const) {
        const key = `p${Math.round(q * 100)}` as 'p50' | 'p95' | 'p99';
        // With no counting slack, the answer is inside the true quantile's bucket.
        const exact = bucketAround(
          E2E_BUCKETS,
          m.e2e.median * Math.exp(m.e2e.sigma * Z[q]),
        );
        const [lo, hi] = bounds(E2E_BUCKETS, m.e2e, q, requests);
        expect(lo).toBeLessThanOrEqual(exact[0]);
        const e2e = valueAt(got.e2eLatency[key], steady);
        expect(e2e).toBeGreaterThanOrEqual(lo);
        expect(e2e).toBeLessThanOrEqual(hi);
        const [tlo, thi] = bounds(TTFT_BUCKETS, m.ttft, q, requests);
        const ttft = valueAt(got.timeToFirstToken[key], steady);
        expect(ttft).toBeGreaterThanOrEqual(tlo);
        expect(ttft).toBeLessThanOrEqual(thi);
      }
      // p50 has plenty of observations per window: strictly the true bucket.
      const [plo, phi] = bucketAround(E2E_BUCKETS, m.e2e.median);
      expect(valueAt(got.e2eLatency.p50, steady)).toBeGreaterThanOrEqual(plo);
      expect(valueAt(got.e2eLatency.p50, steady)).toBeLessThanOrEqual(phi);
      const [ilo, ihi] = bounds(
        ITL_BUCKETS,
        m.itl,
        0.95,
        requests * m.generationTokensPerRequest,
      );
      expect(valueAt(got.interTokenLatency.p95, steady)).toBeGreaterThanOrEqual(
        ilo,
      );
      expect(valueAt(got.interTokenLatency.p95, steady)).toBeLessThanOrEqual(
        ihi,
      );
    }
  });

  it('computes the total from summed buckets: the mixture quantile, not an average of quantiles', () => {
    const steady = END - 1800;
    const weight = (m: ModelProfile) => m.pods * m.requestsPerSecondPerPod;
    for (const q of [0.5, 0.95, 0.99] as const) {
      const key = `p${Math.round(q * 100)}` as 'p50' | 'p95' | 'p99';
      const truth = mixtureQuantile(
        q,
        entityModels.map(m => ({ weight: weight(m), ...m.e2e })),
      );
      const [lo, hi] = bucketAround(E2E_BUCKETS, truth);
      const got = valueAt(response.total.e2eLatency[key], steady);
      expect(got).toBeGreaterThanOrEqual(lo);
      expect(got).toBeLessThanOrEqual(hi);
    }
    // Inter-token latency is observed per generated token.
    const itlTruth = mixtureQuantile(
      0.95,
      entityModels.map(m => ({
        weight: weight(m) * m.generationTokensPerRequest,
        ...m.itl,
      })),
    );
    const [lo, hi] = bucketAround(ITL_BUCKETS, itlTruth);
    expect(
      valueAt(response.total.interTokenLatency.p95, steady),
    ).toBeGreaterThanOrEqual(lo);
    expect(
      valueAt(response.total.interTokenLatency.p95, steady),
    ).toBeLessThanOrEqual(hi);
  });

  it("matches Prometheus's own histogram_quantile on the same data, point for point", async () => {
    const w = `[${response.range.rateWindow}s]`;
    const sel = '{namespace="llm-serving"}';
    const cases: Array<[string, number, MetricSeries]> = [
      [
        `sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket${sel}${w}))`,
        0.5,
        response.total.e2eLatency.p50,
      ],
      [
        `sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket${sel}${w}))`,
        0.99,
        response.total.e2eLatency.p99,
      ],
      [
        `sum by (le) (rate(vllm:time_to_first_token_seconds_bucket${sel}${w}))`,
        0.95,
        response.total.timeToFirstToken.p95,
      ],
      [
        `sum by (le) (rate(vllm:request_queue_time_seconds_bucket${sel}${w}))`,
        0.95,
        response.total.queueTime.p95,
      ],
      [
        `sum by (le) (rate(vllm:inter_token_latency_seconds_bucket${sel}${w}) or rate(vllm:time_per_output_token_seconds_bucket${sel}${w}))`,
        0.95,
        response.total.interTokenLatency.p95,
      ],
      [
        `sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{namespace="llm-serving",model_name="llama-3.1-8b"}${w}))`,
        0.95,
        response.models.find(m => m.model === 'llama-3.1-8b')!.e2eLatency.p95,
      ],
    ];
    for (const [buckets, q, ours] of cases) {
      const [theirs] = await prometheusRange(
        `histogram_quantile(${q}, ${buckets})`,
        response.range,
      );
      const expected = theirs.values
        .map(([t, v]) => [t, Number.parseFloat(v)] as [number, number])
        .filter(([, v]) => Number.isFinite(v));
      expect(expected.length).toBeGreaterThan(150);
      expect(ours.points.length).toBe(expected.length);
      ours.points.forEach(([t, v], i) => {
        expect(t).toBe(expected[i][0]);
        expect(v).toBeCloseTo(expected[i][1], 9);
      });
    }
  });

  it('splits the bucket queries at the block boundary and puts together exactly the unsplit answer', async () => {
    const r = response.range;
    const split = splitAtBlocks(r, r.rateWindow);
    // The 6 h range crosses an 18 h boundary: two pieces and one point.
    expect(split.pieces).toHaveLength(2);
    expect(split.straddles).toHaveLength(1);
    const query = `sum by (le, model_name) (rate(vllm:e2e_request_latency_seconds_bucket{namespace="llm-serving"}[${r.rateWindow}s]))`;
    const key = (m: Record<string, string>) => `${m.model_name}/${m.le}`;
    const whole = new Map(
      (await prometheusRange(query, r)).map(s => [key(s.metric), s.values]),
    );
    const joined = new Map<string, Array<[number, string]>>();
    for (const piece of [...split.pieces, ...split.straddles]) {
      for (const s of await prometheusRange(query, { ...r, ...piece })) {
        joined.set(key(s.metric), [
          ...(joined.get(key(s.metric)) ?? []),
          ...s.values,
        ]);
      }
    }
    expect(whole.size).toBeGreaterThan(20);
    for (const [k, values] of whole) {
      expect(joined.get(k)!.sort((a, b) => a[0] - b[0])).toEqual(values);
    }
  });

  it('shows since when latency degraded', () => {
    const mistral = response.models.find(m => m.model === 'mistral-7b')!;
    const degraded = mistral.e2eLatency.p50.points.filter(
      ([, v]) => v > 2 * mistral.e2eLatency.p50.now!,
    );
    expect(degraded.length).toBeGreaterThan(20);
    const first = degraded[0][0];
    expect(first).toBeGreaterThan(INCIDENT.from);
    expect(first).toBeLessThanOrEqual(
      INCIDENT.from + response.range.step + response.range.rateWindow,
    );
    const last = degraded[degraded.length - 1][0];
    expect(last).toBeLessThanOrEqual(INCIDENT.to + response.range.rateWindow);
  });

  it('computes request, finish-reason, token and preemption rates from the configured rates', () => {
    const perSecond = entityModels.reduce(
      (a, m) => a + m.pods * m.requestsPerSecondPerPod,
      0,
    );
    const tolerance =
      entityModels.reduce((a, m) => a + m.pods, 0) / response.range.rateWindow;
    const total = response.total;
    expect(Math.abs(total.requestRate.now! - perSecond)).toBeLessThanOrEqual(
      tolerance * 3,
    );
    expect(Object.keys(total.finishedByReason).sort()).toEqual([
      'abort',
      'length',
      'stop',
    ]);
    expect(
      Math.abs(total.finishedByReason.stop.now! - 0.85 * perSecond),
    ).toBeLessThanOrEqual(tolerance);
    const prompt = entityModels.reduce(
      (a, m) =>
        a + m.pods * m.requestsPerSecondPerPod * m.promptTokensPerRequest,
      0,
    );
    expect(total.promptTokensRate.now! / prompt).toBeCloseTo(1, 2);
    const generated = entityModels.reduce(
      (a, m) =>
        a + m.pods * m.requestsPerSecondPerPod * m.generationTokensPerRequest,
      0,
    );
    expect(total.generationTokensRate.now! / generated).toBeCloseTo(1, 2);
    expect(
      Math.abs(total.preemptionRate.now! - perSecond * 0.01),
    ).toBeLessThanOrEqual(tolerance);
    const llama = model('llama-3.1-8b');
    const got = response.models.find(m => m.model === llama.name)!;
    expect(
      Math.abs(
        got.requestRate.now! - llama.pods * llama.requestsPerSecondPerPod,
      ),
    ).toBeLessThanOrEqual((llama.pods / response.range.rateWindow) * 3);
  });

  it('sums running and waiting, and averages KV-cache usage over old and new names, counting dual-name pods once', () => {
    expect(response.total.running.now).toBe(
      entityModels.reduce((a, m) => a + m.pods * m.runningPerPod, 0),
    );
    expect(response.total.waiting.now).toBe(
      entityModels.reduce((a, m) => a + m.pods * m.waitingPerPod, 0),
    );
    const kvValues = entityModels.flatMap(m =>
      podNames(m).map((_, i) => m.kvCacheUsage + i * m.kvCacheStepPerPod),
    );
    expect(response.total.kvCacheUsage.now).toBeCloseTo(
      kvValues.reduce((a, b) => a + b, 0) / kvValues.length,
      9,
    );
    expect(
      response.models.find(m => m.model === 'llama-3.1-8b')!.kvCacheUsage.now,
    ).toBeCloseTo(0.605, 9);
    expect(
      response.models.find(m => m.model === 'qwen2.5-7b')!.kvCacheUsage.now,
    ).toBeCloseTo(0.35, 9);
  });

  it('ties each GPU to its pod and node through exported_pod/exported_namespace', () => {
    const placement = podPlacement(scenario).filter(
      p => p.model.namespace === 'llm-serving',
    );
    expect(response.gpus).toHaveLength(placement.length);
    for (const p of placement) {
      const gpu = response.gpus.find(g => g.pod === p.pod)!;
      expect(gpu).toMatchObject({
        namespace: 'llm-serving',
        node: p.node,
        index: String(p.gpuIndex),
        attribution: 'pod',
        productName: 'NVIDIA A10G',
      });
      const util = Math.min(100, p.model.gpuUtilization + p.gpuIndex);
      expect(gpu.utilization.now).toBe(util);
      expect(gpu.memoryUsedMiB.now).toBe(p.model.gpuMemoryUsedMiB);
      expect(gpu.memoryTotalMiB.now).toBe(scenario.gpu.memoryTotalMiB);
      expect(gpu.powerWatts.now).toBe(Math.round(40 + util * 1.2));
    }
    expect(response.gpuTotals.count).toBe(placement.length);
    expect(response.gpuTotals.memoryTotalMiB.now).toBe(
      placement.length * scenario.gpu.memoryTotalMiB,
    );
  });

  it('handles honor_labels and GPUs with no pod label, found through the entity nodes', async () => {
    const placement = podPlacement(honorScenario);
    const res = await service().getEntityMetrics(
      entityRequest({
        clusters: ['gpu-b'],
        range: '15m',
        scope: {
          namespaces: ['team-b'],
          nodes: [...new Set(placement.map(p => p.node))],
        },
      }),
    );
    expect(res.instance).toBe('honor');
    const held = res.gpus.filter(g => g.attribution === 'pod');
    expect(held.map(g => g.pod).sort()).toEqual(
      placement.map(p => p.pod).sort(),
    );
    const idle = res.gpus.filter(g => g.attribution === 'node');
    expect(idle).toHaveLength(1);
    expect(idle[0].pod).toBeUndefined();
    expect(idle[0].utilization.now).toBe(0);
    expect(res.gpuTotals.count).toBe(3);
  });
});

describe('scoping with hostile values', () => {
  it('matches a model name full of PromQL syntax exactly, alone and in an alternation', async () => {
    const evil = model(EVIL);
    const other = model('other-model');
    const alone = await service().getEntityMetrics(
      entityRequest({
        scope: { namespaces: ['other-team'], modelNames: [EVIL] },
      }),
    );
    expect(alone.models.map(m => m.model)).toEqual([EVIL]);
    expect(alone.total.requestRate.now).toBeCloseTo(
      evil.requestsPerSecondPerPod,
      1,
    );
    const both = await service().getEntityMetrics(
      entityRequest({
        scope: {
          namespaces: ['other-team'],
          modelNames: [EVIL, 'other-model'],
        },
      }),
    );
    expect(both.total.requestRate.now).toBeCloseTo(
      evil.requestsPerSecondPerPod + other.pods * other.requestsPerSecondPerPod,
      1,
    );
  });

  it.each([
    ['a quote and brace', '"} or vector(1)'],
    ['a backslash', 'mistral-7b\\'],
    ['a newline', 'mistral-7b\n'],
    ['regex metacharacters', '.*'],
    ['an injected selector', 'x"}) or vector(1) or up{a="'],
    ['a long string', 'm'.repeat(500)],
  ])('treats %s as a literal that matches nothing', async (_what, name) => {
    const res = await service().getEntityMetrics(
      entityRequest({
        scope: {
          namespaces: ['llm-serving', 'other-team'],
          modelNames: [name],
        },
      }),
    );
    expect(Object.values(res.panels).map(p => p.state)).not.toContain('error');
    expect(res.panels.e2eLatency).toMatchObject({ state: 'noData' });
    expect(res.total.requestRate.points).toEqual([]);
    expect(res.gpus).toEqual([]);
    expect(res.models.map(m => m.model)).toEqual([name]);
  });

  it('does not let regex metacharacters widen an alternation', async () => {
    const res = await service().getEntityMetrics(
      entityRequest({
        scope: {
          namespaces: ['llm-serving'],
          modelNames: ['.*', 'mistral-7b', 'llama|qwen'],
        },
      }),
    );
    const withData = res.models
      .filter(m => m.requestRate.points.length > 0)
      .map(m => m.model);
    expect(withData).toEqual(['mistral-7b']);
  });

  it('rejects values too long for any label with an InputError naming them', async () => {
    await expect(
      service().getEntityMetrics(
        entityRequest({
          scope: {
            namespaces: ['llm-serving'],
            modelNames: ['x'.repeat(100_000)],
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('model name is 100000 characters'),
    });
  });

  it('keeps the query bounded for 2,000 pods by scoping with labels', async () => {
    const pods = Array.from({ length: 2000 }, (_, i) => `vllm-mistral-7b-${i}`);
    proxyLog.length = 0;
    const res = await service([
      {
        name: 'proxied',
        url: proxyUrl,
        bearerToken: 's3cret-token',
        timeout: '1s',
      },
    ]).getEntityMetrics(
      entityRequest({
        instance: 'proxied',
        scope: {
          namespaces: ['llm-serving'],
          modelNames: ['mistral-7b'],
          pods,
        },
      }),
    );
    expect(res.models.map(m => m.model)).toEqual(['mistral-7b']);
    expect(Math.max(...proxyLog.map(q => q.length))).toBeLessThan(2000);
  });
});

describe('partial failures and empty results', () => {
  it('reports a failing query and a timeout per panel, with the instance, and serves the rest', async () => {
    const res = await service([
      {
        name: 'proxied',
        url: proxyUrl,
        bearerToken: 's3cret-token',
        timeout: '2s',
      },
    ]).getEntityMetrics(entityRequest({ instance: 'proxied' }));
    expect(res.panels.timeToFirstToken).toEqual({
      state: 'error',
      instance: 'proxied',
      message: expect.stringMatching(/HTTP 500.*storage is on fire/),
    });
    expect(res.panels.gpu).toEqual({
      state: 'error',
      instance: 'proxied',
      message: expect.stringContaining('timeout'),
    });
    expect(res.panels.e2eLatency).toEqual({ state: 'ok' });
    expect(res.panels.throughput).toEqual({ state: 'ok' });
    expect(res.total.e2eLatency.p95.now).toBeGreaterThan(0);
    expect(JSON.stringify(res)).not.toContain('s3cret-token');
  });

  it('reports an unreachable Prometheus on every panel without throwing', async () => {
    const res = await service([
      { name: 'down', url: 'http://127.0.0.1:1' },
    ]).getEntityMetrics(entityRequest({ instance: 'down' }));
    for (const panel of Object.values(res.panels)) {
      expect(panel).toEqual({
        state: 'error',
        instance: 'down',
        message: expect.stringContaining('unreachable'),
      });
    }
  });

  it('reports a rejected credential as an HTTP 401 error', async () => {
    const res = await service([
      { name: 'proxied', url: proxyUrl, bearerToken: 'wrong' },
    ]).getEntityMetrics(entityRequest({ instance: 'proxied' }));
    expect(res.panels.e2eLatency).toMatchObject({
      state: 'error',
      message: expect.stringContaining('HTTP 401'),
    });
    expect(JSON.stringify(res)).not.toContain('wrong');
  });

  it('says "no data" with the likely cause', async () => {
    const missing = await service().getEntityMetrics(
      entityRequest({ scope: { namespaces: ['nobody-here'] } }),
    );
    expect(missing.panels.e2eLatency).toEqual({
      state: 'noData',
      message:
        'no vLLM metrics in namespace "nobody-here" on Prometheus "main": is the pod scraped?',
    });
    expect(missing.panels.gpu).toMatchObject({
      state: 'noData',
      message: expect.stringContaining('pod-resources socket'),
    });
    const wrongModel = await service().getEntityMetrics(
      entityRequest({
        scope: { namespaces: ['llm-serving'], modelNames: ['gpt-5'] },
      }),
    );
    expect(wrongModel.panels.throughput).toMatchObject({
      state: 'noData',
      message: expect.stringContaining(
        'vLLM there serves "llama-3.1-8b", "mistral-7b", "qwen2.5-7b"',
      ),
    });
  });
});

describe('caching and coalescing', () => {
  it('asks Prometheus only for the points an earlier answer had not settled, and answers as a new service would', async () => {
    let clock = (END - 360) * 1000;
    const make = (settleAfter?: string) =>
      createMetricsService({
        config: new ConfigReader({
          llmPlatform: {
            prometheus: {
              instances: [
                {
                  name: 'clean',
                  url: `${proxyUrl}/clean`,
                  bearerToken: 's3cret-token',
                  scrapeInterval: '15s',
                  ...(settleAfter ? { pointsSettleAfter: settleAfter } : {}),
                },
              ],
            },
          },
        }),
        logger: mockServices.logger.mock(),
        now: () => clock,
      });
    const svc = make();
    const request = entityRequest({ range: '6h' });
    proxyRanges.length = 0;
    const earlier = await svc.getEntityMetrics(request);
    const asked = proxyRanges.length;
    const queries = new Set(proxyRanges.map(r => r.query));
    expect(asked).toBeGreaterThan(queries.size); // split at the block boundary
    // Points settle a minute after their time (two 15 s scrapes and 30 s).
    const settled = earlier.range.end - 60;

    clock = END * 1000;
    proxyRanges.length = 0;
    const later = await svc.getEntityMetrics(request);
    expect(later.range.start).toBeGreaterThan(earlier.range.start);
    // One short query each for the newest points: nothing left to split.
    expect(proxyRanges).toHaveLength(queries.size);
    expect(new Set(proxyRanges.map(r => r.query))).toEqual(queries);
    for (const r of proxyRanges) {
      expect(r.start).toBeGreaterThan(settled);
      expect(r.start).toBeLessThanOrEqual(settled + later.range.step);
      expect(r.end).toBe(later.range.end);
    }
    expect(later.panels.timeToFirstToken.state).toBe('ok');

    proxyRanges.length = 0;
    const fresh = await make().getEntityMetrics(request);
    expect(proxyRanges.length).toBe(asked);
    expect(later).toEqual(fresh);

    // Behind a pipeline that lags, points settle later: the instance's
    // pointsSettleAfter moves where the next request starts asking.
    clock = (END - 360) * 1000;
    const lagging = make('20m');
    await lagging.getEntityMetrics(request);
    clock = END * 1000;
    proxyRanges.length = 0;
    await lagging.getEntityMetrics(request);
    expect(proxyRanges).toHaveLength(queries.size);
    for (const r of proxyRanges) {
      expect(r.start).toBeGreaterThan(earlier.range.end - 1200);
      expect(r.start).toBeLessThanOrEqual(
        earlier.range.end - 1200 + later.range.step,
      );
    }
  });

  it('runs one set of queries for identical concurrent requests and serves repeats from the cache', async () => {
    const cache = memoryCache();
    const svc = service(
      [
        {
          name: 'proxied',
          url: proxyUrl,
          bearerToken: 's3cret-token',
          timeout: '1s',
        },
      ],
      cache,
    );
    const request = entityRequest({
      instance: 'proxied',
      model: 'mistral-7b',
      scope: {
        namespaces: ['llm-serving'],
        modelNames: ['mistral-7b', 'llama-3.1-8b'],
      },
    });
    proxyLog.length = 0;
    const [a, b] = await Promise.all([
      svc.getEntityMetrics(request),
      svc.getEntityMetrics(request),
    ]);
    expect(a).toBe(b);
    const first = proxyLog.length;
    // Every range query is split at the block boundary: the four histograms
    // into two pieces and the straddling point, throughput, load and the two
    // GPU selectors into two pieces (no pod of the model has the pre-0.11 ITL
    // name, so that query is not sent); and one series lookup.
    expect(first).toBe(4 * 3 + 4 * 2 + 1);
    // No pod of the model has the pre-0.11 KV-cache name either: the load
    // query reads the new name alone.
    const load = proxyLog.filter(q => q.includes('num_requests_waiting'));
    expect(load).toHaveLength(2);
    for (const q of load) expect(q).not.toContain('gpu_cache_usage_perc');
    // Errors (the proxy fails TTFT) are not cached; a complete answer is.
    await svc.getEntityMetrics(request);
    expect(proxyLog.length).toBeGreaterThan(first);
    const direct = service([], cache);
    const ok = entityRequest({ scope: { namespaces: ['llm-serving'] } });
    const fresh = await direct.getEntityMetrics(ok);
    const again = await direct.getEntityMetrics(ok);
    expect(again).toEqual(fresh);
    // The shared cache is written after the answer is returned.
    await new Promise(resolve => setImmediate(resolve));
    expect(cache.set).toHaveBeenCalledTimes(1);
  });
});

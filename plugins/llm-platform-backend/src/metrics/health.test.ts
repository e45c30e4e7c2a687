import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  EntityMetricsResponse,
  ModelServingMetrics,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { readHealthThresholds } from './config';
import { DEFAULT_HEALTH_THRESHOLDS, formatSeconds } from './health';
import { createMetricsService } from './MetricsService';
import {
  RunningPrometheus,
  Scenario,
  defaultScenario,
  modelProfile,
  startPrometheus,
} from './testing';

// "Since when not?" against Debian's real Prometheus. The generator's inputs
// fix when each model's degradation starts; the verdicts must find it.

jest.setTimeout(120_000);

const END = 1_760_000_100;
const NS = 'serving';
const INCIDENT_FROM = END - 1200;
const RAMP_FROM = END - 900;

const scenario: Scenario = {
  ...defaultScenario(END, 2),
  models: [
    // Well inside every default threshold.
    modelProfile({
      name: 'steady',
      namespace: NS,
      ttft: { median: 0.05, sigma: 0.4 },
    }),
    // p95 TTFT 0.16 s, then eight times that from INCIDENT_FROM.
    modelProfile({
      name: 'slow',
      namespace: NS,
      ttft: { median: 0.1, sigma: 0.3 },
    }),
    // KV cache full and preempting for the whole range.
    modelProfile({
      name: 'full',
      namespace: NS,
      kvCacheUsage: 0.95,
      preemptionsPerRequest: 0.5,
    }),
    // The queue grows by 2 requests per minute per pod from RAMP_FROM.
    modelProfile({
      name: 'queued',
      namespace: NS,
      waitingRamp: { from: RAMP_FROM, perMinutePerPod: 2 },
    }),
  ],
  incident: {
    from: INCIDENT_FROM,
    to: END + 3600,
    latencyFactor: 8,
    models: ['slow'],
  },
  unrelatedSeries: 10,
};

let prom: RunningPrometheus;
beforeAll(async () => {
  prom = await startPrometheus(scenario);
});
afterAll(async () => {
  await prom?.stop();
});

function service(health?: object) {
  return createMetricsService({
    config: new ConfigReader({
      llmPlatform: {
        prometheus: {
          instances: [{ name: 'main', url: prom.url }],
          ...(health ? { health } : {}),
        },
      },
    }),
    logger: mockServices.logger.mock(),
    now: () => END * 1000,
  });
}

const get = (
  svc: ReturnType<typeof service>,
  extra: { model?: string; modelNames?: string[] } = {},
) =>
  svc.getEntityMetrics({
    entityRef: 'component:default/serving',
    scope: {
      namespaces: [NS],
      ...(extra.modelNames ? { modelNames: extra.modelNames } : {}),
    },
    range: '1h',
    model: extra.model,
  });

const byName = (r: EntityMetricsResponse, name: string): ModelServingMetrics =>
  r.models.find(m => m.model === name)!;

describe('health verdicts against a real Prometheus', () => {
  let response: EntityMetricsResponse;
  beforeAll(async () => {
    response = await get(service());
  });

  it('finds a model inside every threshold ok', () => {
    expect(byName(response, 'steady').health).toEqual({
      state: 'ok',
      reasons: [],
      degradedSince: null,
      degradedThroughoutRange: false,
    });
  });

  it('dates a latency incident to within one rate window of its start', () => {
    const { health } = byName(response, 'slow');
    const { rateWindow, step } = response.range;
    expect(health.state).toBe('degraded');
    expect(health.degradedThroughoutRange).toBe(false);
    expect(health.degradedSince).toBeGreaterThan(INCIDENT_FROM);
    expect(health.degradedSince).toBeLessThanOrEqual(
      INCIDENT_FROM + rateWindow + step,
    );
    const ttft = health.reasons.find(r => r.kind === 'timeToFirstToken')!;
    // 8 x 0.16 s = 1.3 s: histogram_quantile answers inside (1, 2.5].
    expect(ttft.value).toBeGreaterThan(1);
    expect(ttft.value).toBeLessThanOrEqual(2.5);
    expect(ttft).toMatchObject({ model: 'slow', threshold: 1 });
    expect(ttft.message).toMatch(/^p95 TTFT [12](\.\d)? s > 1 s$/);
    // Inter-token latency went from 58 ms to 460 ms with it.
    expect(health.reasons.map(r => r.kind).sort()).toEqual([
      'interTokenLatency',
      'timeToFirstToken',
    ]);
  });

  it('says a model degraded for the whole range began before it', () => {
    const { health } = byName(response, 'full');
    expect(health.state).toBe('degraded');
    expect(health.degradedSince).toBeNull();
    expect(health.degradedThroughoutRange).toBe(true);
    const kinds = Object.fromEntries(health.reasons.map(r => [r.kind, r]));
    // Mean of 0.95 and 0.96 over the two engines.
    expect(kinds.kvCacheUsage.value).toBeCloseTo(0.955, 3);
    expect(kinds.kvCacheUsage.message).toMatch(/^KV cache 9[56] % > 90 %$/);
    // 2 pods x 0.8 requests/s x 0.5 preemptions per request.
    expect(kinds.preemptions.value).toBeGreaterThan(0.6);
    expect(kinds.preemptions.value).toBeLessThan(1);
  });

  it('dates a growing waiting queue', () => {
    const { health } = byName(response, 'queued');
    expect(health.state).toBe('degraded');
    expect(health.reasons.map(r => r.kind)).toEqual(['waitingQueueGrowing']);
    // 4 requests per minute in all: the growth over 5 min reaches 5 in the
    // second minute (samples every 30 s, floors per pod).
    expect(health.degradedSince).toBeGreaterThanOrEqual(RAMP_FROM + 60);
    expect(health.degradedSince).toBeLessThanOrEqual(RAMP_FROM + 120);
    // 15 min of ramp: 2 x 30 requests more than at the start, 20 of them in
    // the last 5 min.
    expect(health.reasons[0].value).toBe(20);
    expect(health.reasons[0].message).toBe(
      'waiting queue grew by 20 in 5 min (limit 5)',
    );
  });

  it('makes the total degraded whenever a model is, naming the models', () => {
    const { health } = response.total;
    expect(health.state).toBe('degraded');
    // 'full' has been degraded since before the range.
    expect(health.degradedThroughoutRange).toBe(true);
    expect([...new Set(health.reasons.map(r => r.model))].sort()).toEqual([
      'full',
      'queued',
      'slow',
    ]);
  });

  it('gives the total of one model that model’s start', async () => {
    const slow = await get(service(), { model: 'slow' });
    expect(slow.total.health.degradedSince).toBe(
      byName(response, 'slow').health.degradedSince,
    );
  });

  it('has no verdict for a named model with no series, and says why', async () => {
    const r = await get(service(), { modelNames: ['steady', 'ghost'] });
    const ghost = byName(r, 'ghost').health;
    expect(ghost.state).toBe('noData');
    expect(ghost.message).toMatch(/ghost/);
    expect(r.total.health.state).toBe('ok');
  });

  it('reads its thresholds from config', async () => {
    const r = await get(
      service({
        timeToFirstTokenP95: '3s',
        interTokenLatencyP95: { seconds: 1 },
        kvCacheUsage: 0.99,
        preemptionsPerSecond: 2,
        waitingQueueGrowth: { requests: 100, within: '10m' },
      }),
    );
    for (const m of r.models) expect(m.health.state).toBe('ok');
    expect(r.total.health.state).toBe('ok');
  });
});

describe('readHealthThresholds', () => {
  it('defaults every key', () => {
    expect(readHealthThresholds(undefined)).toEqual(DEFAULT_HEALTH_THRESHOLDS);
    expect(
      readHealthThresholds(new ConfigReader({ kvCacheUsage: 0.8 })),
    ).toEqual({ ...DEFAULT_HEALTH_THRESHOLDS, kvCacheUsage: 0.8 });
  });

  it('refuses values outside their range, naming the key', () => {
    expect(() =>
      readHealthThresholds(new ConfigReader({ kvCacheUsage: 1.5 })),
    ).toThrow(/health\.kvCacheUsage must be a number above 0 and at most 1/);
    expect(() =>
      readHealthThresholds(
        new ConfigReader({ waitingQueueGrowth: { within: 'soon' } }),
      ),
    ).toThrow(/waitingQueueGrowth\.within/);
  });
});

describe('formatSeconds', () => {
  it('writes milliseconds below a second and two digits above', () => {
    expect(formatSeconds(0.2)).toBe('200 ms');
    expect(formatSeconds(0.0456)).toBe('46 ms');
    expect(formatSeconds(2.14)).toBe('2.1 s');
    expect(formatSeconds(1)).toBe('1 s');
  });
});

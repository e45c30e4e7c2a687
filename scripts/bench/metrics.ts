// Benchmark of the latency panel: a naive panel of 15 PromQL queries (nine of
// them histogram_quantile, one per quantile and histogram) against LLM
// Platform's metrics service (one bucket-rate fetch per histogram, quantiles
// computed in the backend, plus throughput, load and per-GPU series), in one
// run, against the same Prometheus, over the same 24 h.
//
//   node --require @backstage/cli/config/nodeTransform.cjs \
//     scripts/bench/metrics.ts [--pods 64,256] [--rounds 7]
//
// Needs Debian's prometheus package (apt-get install -y prometheus). Prints a
// markdown report; docs/benchmarks.md ("Latency panel") records one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { createMetricsService } from '../../plugins/llm-platform-backend/src/metrics';
import { PrometheusClient } from '../../plugins/llm-platform-backend/src/metrics/PrometheusClient';
import {
  buildQueries,
  buildSeriesLookup,
  planRangeQueries,
  resolveScope,
} from '../../plugins/llm-platform-backend/src/metrics/queries';
import { resolveTimeRange } from '../../plugins/llm-platform-backend/src/metrics/range';
import {
  Scenario,
  defaultScenario,
  modelProfile,
} from '../../plugins/llm-platform-backend/src/metrics/testing/generator';
import { startPrometheus } from '../../plugins/llm-platform-backend/src/metrics/testing/prometheusHarness';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const POD_COUNTS = arg('pods', '64,256').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '7'));
/** Keeps each TSDB in <dir>/<pods> and reuses it on the next run. */
const KEEP_DATA = arg('keep-data', '');
/** End of the 24 h (unix seconds); default the last full hour. A fixed end
 * lets --keep-data reuse its TSDB across hours while iterating. */
const END = Number(arg('end', '0'));
const NAMESPACE = 'llm-serving';
const MODELS = ['mistral-7b', 'llama-3.1-8b'];

function scenarioFor(pods: number, end: number): Scenario {
  const base = defaultScenario(end, 24);
  return {
    ...base,
    models: [
      modelProfile({ name: MODELS[0], namespace: NAMESPACE, pods: pods / 2 }),
      modelProfile({
        name: MODELS[1],
        namespace: NAMESPACE,
        pods: pods / 2,
        e2e: { median: 12, sigma: 0.5 },
        requestsPerSecondPerPod: 0.3,
      }),
      // A neighbour the entity must not see.
      modelProfile({
        name: 'other-model',
        namespace: 'other-team',
        podPrefix: 'vllm-other',
        pods: 8,
      }),
    ],
    // 20,000 series no panel query touches; sampled every 10 min because
    // only their presence in the index matters to these queries.
    unrelatedSeries: 20_000,
    unrelatedIntervalSeconds: 600,
  };
}

/** The panel a dashboard author would write first: one query per number. */
function naivePanel(sel: string, w: string): string[] {
  const hq = (q: number, m: string) =>
    `histogram_quantile(${q}, sum by (le) (rate(${m}_bucket${sel}${w})))`;
  return [
    hq(0.5, 'vllm:e2e_request_latency_seconds'),
    hq(0.95, 'vllm:e2e_request_latency_seconds'),
    hq(0.99, 'vllm:e2e_request_latency_seconds'),
    hq(0.5, 'vllm:time_to_first_token_seconds'),
    hq(0.95, 'vllm:time_to_first_token_seconds'),
    hq(0.99, 'vllm:time_to_first_token_seconds'),
    hq(0.5, 'vllm:inter_token_latency_seconds'),
    hq(0.95, 'vllm:inter_token_latency_seconds'),
    hq(0.95, 'vllm:request_queue_time_seconds'),
    `sum(rate(vllm:request_success_total${sel}${w}))`,
    `sum by (finished_reason) (rate(vllm:request_success_total${sel}${w}))`,
    `sum(rate(vllm:prompt_tokens_total${sel}${w}))`,
    `sum(rate(vllm:generation_tokens_total${sel}${w}))`,
    `sum(vllm:num_requests_running${sel})`,
    `sum(vllm:num_requests_waiting${sel})`,
  ];
}

/** Keeps the service's own timing (its debug log) and drops the rest. */
const timings: Array<{
  queryMs: number;
  processMs: number;
  queries: number;
}> = [];
const quietLogger: LoggerService = {
  error: () => {},
  warn: (message, meta) =>
    process.stderr.write(`[service] ${message} ${JSON.stringify(meta)}\n`),
  info: () => {},
  debug: (_message, meta) => {
    if (meta && 'processMs' in meta) timings.push(meta as any);
  },
  child: () => quietLogger,
};

function memoryCache(store: Map<string, unknown>): CacheService {
  const cache: CacheService = {
    get: async (key: string) => store.get(key) as any,
    set: async (key: string, value: unknown) => {
      store.set(key, value);
    },
    delete: async (key: string) => {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

async function benchmark(pods: number) {
  const end = END || Math.floor(Date.now() / 1000 / 3600) * 3600;
  const scenario = scenarioFor(pods, end);
  process.stderr.write(
    `[bench] ${pods} pods: generating and backfilling 24 h...\n`,
  );
  const prom = await startPrometheus(scenario, {
    maxBlockDuration: '24h',
    ...(KEEP_DATA ? { keepDataIn: path.join(KEEP_DATA, String(pods)) } : {}),
  });
  // CPU seconds Prometheus spends on a batch: robust to other load on the box.
  const cpuSeconds = () => {
    const fields = fs
      .readFileSync(`/proc/${prom.pid}/stat`, 'utf8')
      .split(') ')[1]
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const withCpu = async <T>(fn: () => Promise<T>) => {
    const before = cpuSeconds();
    const [wall] = await timed(fn);
    return { wall, cpu: cpuSeconds() - before };
  };
  process.stderr.write(
    `[bench] ${prom.samples} samples loaded in ${prom.loadSeconds.toFixed(
      0,
    )} s\n`,
  );
  try {
    const instance = {
      name: 'bench',
      url: prom.url,
      clusters: [],
      timeoutMs: 120_000,
      headers: {},
      scrapeIntervalSeconds: 30,
    };
    const config = new ConfigReader({
      llmPlatform: {
        prometheus: {
          instances: [{ name: 'bench', url: prom.url, timeout: '120s' }],
        },
      },
    });
    const nowMs = () => end * 1000;
    const request = {
      entityRef: 'component:default/bench',
      range: '24h',
      scope: { namespaces: [NAMESPACE], modelNames: MODELS },
    };
    const range = resolveTimeRange(
      { range: '24h' },
      { nowSeconds: end, scrapeIntervalSeconds: 30 },
    );
    const scope = resolveScope(request.scope);
    const naive = naivePanel(scope.vllm, `[${range.rateWindow}s]`);
    const client = new PrometheusClient(instance);
    // The queries as the service sends them after its series lookup.
    const lookup = buildSeriesLookup(scope);
    const lookupRange = {
      start: range.start - range.rateWindow,
      end: range.end,
    };
    const has = async (matcher: string) =>
      (await client.series([matcher], lookupRange)).length > 0;
    const legacySent = await has(lookup.legacyItl);
    const ourQueries = buildQueries(scope, range.rateWindow, {
      oldKvName: await has(lookup.oldKv),
    });
    const runNaive = () =>
      Promise.all(naive.map(q => client.queryRange(q, range)));
    const uncached = () =>
      createMetricsService({
        config,
        logger: quietLogger,
        now: nowMs,
      }).getEntityMetrics(request);

    const store = new Map<string, unknown>();
    const cache = memoryCache(store);
    const cachedService = createMetricsService({
      config,
      logger: quietLogger,
      cache,
      now: nowMs,
    });

    // Warm the page cache and check that both panels see data.
    const warmNaive = await runNaive();
    const warmOurs = await uncached();
    if (
      warmNaive[0].length === 0 ||
      warmOurs.total.e2eLatency.p95.points.length === 0
    ) {
      throw new Error(
        'no data: the backfill did not cover the benchmark range',
      );
    }
    const failed = Object.entries(warmOurs.panels).filter(
      ([, p]) => p.state !== 'ok',
    );
    if (failed.length)
      throw new Error(`panels not ok: ${JSON.stringify(failed)}`);

    // Solo cost of each query, to show where the time goes: a query split
    // at a block boundary counts all its pieces, sent one at a time.
    const solo: Array<[string, number]> = [];
    for (const q of naive.slice(0, 1))
      solo.push([
        'naive: one histogram_quantile',
        (await timed(() => client.queryRange(q, range)))[0],
      ]);
    const planned = planRangeQueries(ourQueries, range);
    for (const id of Object.keys(ourQueries)) {
      const pieces = planned.filter(p => p.id === id);
      const notSent = id === 'itlLegacy' && !legacySent;
      solo.push([
        `ours: ${id}${pieces.length > 1 ? ` (${pieces.length} pieces)` : ''}${
          notSent ? ', not sent: no pod has the old name' : ''
        }`,
        (
          await timed(async () => {
            for (const p of pieces) await client.queryRange(p.query, p.range);
          })
        )[0],
      ]);
    }
    solo.push([
      'ours: series lookup (pods, old ITL and KV names)',
      (
        await timed(() =>
          client.series(
            [lookup.pods, lookup.legacyItl, lookup.oldKv],
            lookupRange,
          ),
        )
      )[0],
    ]);

    timings.length = 0;
    const naiveTimes: number[] = [];
    const oursTimes: number[] = [];
    const naiveCpu: number[] = [];
    const oursCpu: number[] = [];
    const cachedTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate the order so neither side always runs on a warmer machine.
      const order = i % 2 ? ['ours', 'naive'] : ['naive', 'ours'];
      for (const which of order) {
        if (which === 'naive') {
          const run = await withCpu(runNaive);
          naiveTimes.push(run.wall);
          naiveCpu.push(run.cpu);
        } else {
          const run = await withCpu(uncached);
          oursTimes.push(run.wall);
          oursCpu.push(run.cpu);
        }
      }
      store.clear();
      await cachedService.getEntityMetrics(request);
      cachedTimes.push(
        (await timed(() => cachedService.getEntityMetrics(request)))[0],
      );
    }
    // The uncached runs log their timing; the cached reads compute nothing.
    const ourTimings = timings
      .slice(0, ROUNDS * 2)
      .filter((_, i) => i % 2 === 0);

    // A refresh: the same service asked again once the range has moved on
    // by one step (5 minutes at 24 h), so that the points its first answer
    // had settled are reused and only the newer ones are asked for.
    timings.length = 0;
    const refreshTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let clock = nowMs() - range.step * 1000;
      const svc = createMetricsService({
        config,
        logger: quietLogger,
        now: () => clock,
      });
      await svc.getEntityMetrics(request);
      clock = nowMs();
      refreshTimes.push((await timed(() => svc.getEntityMetrics(request)))[0]);
    }
    const refreshTimings = timings.filter((_, i) => i % 2 === 1);
    const ratio = median(oursTimes) / median(naiveTimes);
    return {
      pods,
      samples: prom.samples,
      loadSeconds: prom.loadSeconds,
      naive: median(naiveTimes),
      ours: median(oursTimes),
      prometheusMs: median(ourTimings.map(t => t.queryMs)),
      processMs: median(ourTimings.map(t => t.processMs)),
      cached: median(cachedTimes),
      refresh: median(refreshTimes),
      refreshQueries: median(refreshTimings.map(t => t.queries)),
      naiveCpu: median(naiveCpu),
      oursCpu: median(oursCpu),
      ratio,
      gpus: warmOurs.gpus.length,
      // As the service counted them: range query pieces and the lookup.
      ourQueryCount: median(ourTimings.map(t => t.queries)),
      solo,
      all: { naiveTimes, oursTimes, naiveCpu, oursCpu },
    };
  } finally {
    await prom.stop();
  }
}

async function main() {
  const results = [];
  for (const pods of POD_COUNTS) results.push(await benchmark(pods));
  const lines = [
    `Machine: ${os.cpus().length} cores, ${Math.round(
      os.totalmem() / 2 ** 30,
    )} GiB, Node ${process.version}; ${ROUNDS} rounds, medians.`,
    '',
    '| vLLM pods | GPUs | samples | naive panel (15 queries) | ours, uncached | ours / naive | Prometheus CPU, naive | Prometheus CPU, ours | CPU ours / naive | ours, cached | ours, one step later (queries) | our queries | waiting on Prometheus | backend processing |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results
      .map(r =>
        [
          r.pods,
          r.gpus,
          `${(r.samples / 1e6).toFixed(1)} M`,
          ms(r.naive),
          ms(r.ours),
          r.ratio.toFixed(2),
          `${r.naiveCpu.toFixed(2)} s`,
          `${r.oursCpu.toFixed(2)} s`,
          (r.oursCpu / r.naiveCpu).toFixed(2),
          `${r.cached.toFixed(1)} ms`,
          `${ms(r.refresh)} (${r.refreshQueries})`,
          r.ourQueryCount,
          ms(r.prometheusMs),
          ms(r.processMs),
        ].join(' | '),
      )
      .map(row => `| ${row} |`),
    '',
    'Solo time of each query (one at a time):',
    '',
    `| query | ${results.map(r => `${r.pods} pods`).join(' | ')} |`,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
    ...results[0].solo.map(
      ([name], i) =>
        `| ${name} | ${results.map(r => ms(r.solo[i][1])).join(' | ')} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stderr.write(
    `${JSON.stringify(
      results.map(r => ({ pods: r.pods, gpus: r.gpus, ...r.all })),
    )}\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});

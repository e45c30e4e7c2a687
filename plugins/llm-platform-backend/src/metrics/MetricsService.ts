import { createHash } from 'node:crypto';
import {
  CacheService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  EntityMetricsResponse,
  GpuMetrics,
  GpuTotals,
  MetricSeries,
  MetricsPanelId,
  MetricsPanelStatus,
  MetricsTimeRange,
  ModelServingMetrics,
  ServingHealth,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  PrometheusConfig,
  readPrometheusConfig,
  selectInstance,
} from './config';
import { assessHealth } from './health';
import { parseLe, sortedBucketQuantiles } from './histogram';
import {
  PrometheusClient,
  PrometheusQueryError,
  GridSeries,
} from './PrometheusClient';
import {
  DCGM_FIELDS,
  QueryId,
  ResolvedScope,
  buildDiagnosisQuery,
  HISTOGRAMS,
  OLD_KV_NAME,
  buildSeriesLookup,
  planRangeQueries,
  buildQueries,
  resolveScope,
} from './queries';
import { createResponseCache } from '../service/coalesce';
import { resolveTimeRange } from './range';
import { SettledPoints } from './settledPoints';
import { Grid, Timeline, combine, sumTimelines } from './timeline';
import { EntityMetricsRequest, MetricsService } from './types';

/** Without a CacheService, answers are still coalesced and kept in process. */
const noCache: CacheService = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  withOptions: () => noCache,
};

/** GPUs beyond this count keep their "now" values but not their series. */
export const MAX_GPU_SERIES = 64;
const CACHE_TTL_MS = 15_000;
const CACHE_VERSION = 'metrics-v2';

type FetchId = QueryId | 'gpuHolders';

const PANEL_QUERIES: Record<MetricsPanelId, FetchId[]> = {
  e2eLatency: ['e2e'],
  timeToFirstToken: ['ttft'],
  interTokenLatency: ['itl', 'itlLegacy'],
  queueTime: ['queue'],
  throughput: ['throughput'],
  load: ['load'],
  gpu: ['gpuExported', 'gpuDirect', 'gpuNodes', 'gpuHolders'],
};

const TOTAL = '\u0000total';

/** Bucket rates per model (and TOTAL), per le, on the grid. */
type HistogramRates = Map<string, Map<number, Timeline>>;

function collectBuckets(grid: Grid, results: GridSeries[][]): HistogramRates {
  const rates: HistogramRates = new Map();
  const column = (model: string, le: number) => {
    let byLe = rates.get(model);
    if (!byLe) rates.set(model, (byLe = new Map()));
    let timeline = byLe.get(le);
    if (!timeline) byLe.set(le, (timeline = grid.empty()));
    return timeline;
  };
  for (const series of results.flat()) {
    const le = parseLe(series.labels.le ?? '');
    if (Number.isNaN(le)) continue;
    // The total sums buckets across models first, then takes quantiles.
    grid.addInto(column(series.labels.model_name ?? '', le), series.values);
    grid.addInto(column(TOTAL, le), series.values);
  }
  return rates;
}

function quantileSeries(
  grid: Grid,
  byLe: Map<number, Timeline> | undefined,
  qs: number[],
  end: number,
): MetricSeries[] {
  const timelines = qs.map(() => grid.empty());
  if (byLe) {
    const sorted = [...byLe.keys()].sort((a, b) => a - b);
    const columns = sorted.map(le => byLe.get(le)!);
    const les = new Float64Array(sorted.length);
    const counts = new Float64Array(sorted.length);
    for (let i = 0; i < grid.size; i++) {
      let n = 0;
      columns.forEach((timeline, c) => {
        const count = timeline[i];
        if (!Number.isNaN(count)) {
          les[n] = sorted[c];
          counts[n++] = count;
        }
      });
      if (n === 0) continue;
      sortedBucketQuantiles(qs, les, counts, n).forEach((v, j) => {
        timelines[j][i] = v;
      });
    }
  }
  return timelines.map(t => grid.series(t, end));
}

function emptyModel(model: string | null): ModelServingMetrics {
  const empty = (): MetricSeries => ({ points: [], now: null });
  return {
    model,
    e2eLatency: { p50: empty(), p95: empty(), p99: empty() },
    timeToFirstToken: { p50: empty(), p95: empty(), p99: empty() },
    interTokenLatency: { p50: empty(), p95: empty() },
    queueTime: { p95: empty() },
    requestRate: empty(),
    finishedByReason: {},
    promptTokensRate: empty(),
    generationTokensRate: empty(),
    running: empty(),
    waiting: empty(),
    kvCacheUsage: empty(),
    preemptionRate: empty(),
    health: {
      state: 'noData',
      reasons: [],
      degradedSince: null,
      degradedThroughoutRange: false,
    },
  };
}

/** The panels whose series the health verdict reads. */
const HEALTH_PANELS: Partial<Record<MetricsPanelId, string>> = {
  timeToFirstToken: 'time to first token',
  interTokenLatency: 'inter-token latency',
  throughput: 'preemptions',
  load: 'waiting queue and KV cache',
};

function hasPoints(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  if (Array.isArray((value as MetricSeries).points)) {
    return (value as MetricSeries).points.length > 0;
  }
  return Object.values(value).some(hasPoints);
}

interface Diagnosis {
  vllm: Array<{ namespace: string; model: string }>;
  dcgmAll: number;
  dcgmNamespace: number;
}

function describeList(values: string[]): string {
  return values.map(v => `"${v}"`).join(', ');
}

function noDataMessage(
  panel: MetricsPanelId,
  instance: string,
  scope: ResolvedScope,
  range: MetricsTimeRange,
  diagnosis: Diagnosis | undefined,
): string {
  const ns = `namespace${scope.namespaces.length > 1 ? 's' : ''} ${describeList(
    scope.namespaces,
  )}`;
  if (!diagnosis) {
    return `no data from Prometheus "${instance}" for ${ns}`;
  }
  if (panel === 'gpu') {
    if (diagnosis.dcgmAll === 0) {
      return `no dcgm-exporter metrics on Prometheus "${instance}": is dcgm-exporter running on the GPU nodes and scraped (port 9400)?`;
    }
    if (diagnosis.dcgmNamespace === 0) {
      return `dcgm-exporter reports ${diagnosis.dcgmAll} GPUs, none labelled with a pod in ${ns}: does dcgm-exporter mount the kubelet pod-resources socket, which it needs to tell which pod holds a GPU?`;
    }
    return `GPUs are held by pods in ${ns}, but by none of the entity's vLLM pods: are the vLLM pods scraped?`;
  }
  if (diagnosis.vllm.length === 0) {
    const models = scope.models.length
      ? ` for model ${describeList(scope.models)}`
      : '';
    return `no vLLM metrics${models} in ${ns} on Prometheus "${instance}": is the pod scraped?`;
  }
  const seen = [...new Set(diagnosis.vllm.map(v => v.model))].sort();
  const matching = scope.models.filter(m => seen.includes(m));
  if (scope.models.length > 0 && matching.length === 0) {
    return `no vLLM metrics for model ${describeList(
      scope.models,
    )} in ${ns}; vLLM there serves ${describeList(
      seen,
    )}: check the llm-platform.io/model-names annotation or the --served-model-name argument`;
  }
  if (panel === 'load') {
    return `vLLM in ${ns} exposes no request or KV-cache gauges in this range: is it an older vLLM version?`;
  }
  const from = new Date(range.start * 1000).toISOString();
  const to = new Date(range.end * 1000).toISOString();
  return `no requests finished between ${from} and ${to}: the model received no traffic in this range`;
}

/** Turns the GPU query's series into per-GPU metrics and totals. */
function buildGpus(
  fetched: {
    exported: GridSeries[];
    direct: GridSeries[];
    nodes: GridSeries[];
  },
  holders: Set<string>,
  scope: ResolvedScope,
  range: MetricsTimeRange,
  grid: Grid,
  notes: string[],
): { gpus: GpuMetrics[]; totals: GpuTotals } {
  type Entry = {
    labels: Record<string, string>;
    attribution: 'pod' | 'node';
    pod?: string;
    namespace?: string;
    fields: Map<string, Timeline>;
  };
  const byGpu = new Map<string, Entry>();
  const add = (s: GridSeries, entry: Omit<Entry, 'fields' | 'labels'>) => {
    const l = s.labels;
    const key = l.UUID || `${l.Hostname ?? l.instance}/${l.gpu}`;
    let existing = byGpu.get(key);
    // A GPU found both through its pod and its node is the pod's.
    if (existing && existing.attribution !== entry.attribution) {
      if (existing.attribution === 'pod') return;
      existing = undefined;
    }
    if (!existing) {
      existing = { ...entry, labels: l, fields: new Map() };
      byGpu.set(key, existing);
    }
    // A query split by time answers each GPU once per piece.
    const field = existing.fields.get(l.__name__);
    if (field) grid.fillInto(field, s.values);
    else existing.fields.set(l.__name__, s.values);
  };
  const holderOf = (namespace: string | undefined, pod: string | undefined) =>
    namespace && pod && holders.has(`${namespace}/${pod}`)
      ? { namespace, pod }
      : undefined;
  for (const s of fetched.exported) {
    const holder = holderOf(s.labels.exported_namespace, s.labels.exported_pod);
    if (holder) add(s, { attribution: 'pod', ...holder });
  }
  for (const s of fetched.direct) {
    const holder = holderOf(s.labels.namespace, s.labels.pod);
    if (holder) add(s, { attribution: 'pod', ...holder });
  }
  for (const s of fetched.nodes) {
    // Found through its node: a `pod` label outside the entity's namespaces
    // is the exporter's own target label, not a holder.
    const own =
      scope.namespaces.includes(s.labels.namespace ?? '') && s.labels.pod;
    add(s, {
      attribution: 'node',
      ...(own ? { pod: s.labels.pod, namespace: s.labels.namespace } : {}),
    });
  }
  const entries = [...byGpu.values()].sort((a, b) =>
    `${a.labels.Hostname ?? ''}/${a.labels.gpu?.padStart(
      3,
      '0',
    )}`.localeCompare(
      `${b.labels.Hostname ?? ''}/${b.labels.gpu?.padStart(3, '0')}`,
    ),
  );
  const end = range.end;
  const gpus = entries.map((e, i): GpuMetrics => {
    const l = e.labels;
    const used = e.fields.get(DCGM_FIELDS.memoryUsed);
    const free = e.fields.get(DCGM_FIELDS.memoryFree);
    const total =
      used && free ? combine(used, free, (u, f) => u + f) : undefined;
    const limited = (t: Timeline | undefined) =>
      i < MAX_GPU_SERIES
        ? grid.series(t, end)
        : { points: [], now: grid.valueAt(t, end) };
    return {
      uuid: l.UUID ?? '',
      index: l.gpu ?? '',
      ...(l.modelName ? { productName: l.modelName } : {}),
      ...(l.Hostname ? { node: l.Hostname } : {}),
      ...(e.pod ? { pod: e.pod, namespace: e.namespace } : {}),
      attribution: e.attribution,
      utilization: limited(e.fields.get(DCGM_FIELDS.utilization)),
      memoryUsedMiB: limited(used),
      memoryTotalMiB: limited(total),
      powerWatts: limited(e.fields.get(DCGM_FIELDS.power)),
      temperatureCelsius: limited(e.fields.get(DCGM_FIELDS.temperature)),
    };
  });
  if (entries.length > MAX_GPU_SERIES) {
    notes.push(
      `${entries.length} GPUs: only the first ${MAX_GPU_SERIES} carry time series; the others show their current values and count in the totals.`,
    );
  }
  const field = (name: string) =>
    entries.map(e => e.fields.get(name)).filter((t): t is Timeline => !!t);
  const utilizations = field(DCGM_FIELDS.utilization);
  const utilSum = sumTimelines(utilizations);
  const utilCount = sumTimelines(
    utilizations.map(t => t.map(v => (Number.isNaN(v) ? NaN : 1))),
  );
  const utilization =
    utilSum && utilCount && combine(utilSum, utilCount, (s, c) => s / c);
  const usedSum = sumTimelines(field(DCGM_FIELDS.memoryUsed));
  const freeSum = sumTimelines(field(DCGM_FIELDS.memoryFree));
  const totalSum =
    usedSum &&
    freeSum &&
    usedSum.map((v, i) => (!Number.isNaN(freeSum[i]) ? v + freeSum[i] : v));
  const temperatures = field(DCGM_FIELDS.temperature);
  let maxTemp: Timeline | undefined;
  if (temperatures.length > 0) {
    maxTemp = grid.empty();
    for (const t of temperatures) {
      for (let i = 0; i < t.length; i++) {
        if (!Number.isNaN(t[i]) && !(t[i] <= maxTemp[i])) maxTemp[i] = t[i];
      }
    }
  }
  return {
    gpus,
    totals: {
      count: gpus.filter(g => g.utilization.now !== null).length,
      utilization: grid.series(utilization, end),
      memoryUsedMiB: grid.series(usedSum, end),
      memoryTotalMiB: grid.series(totalSum, end),
      powerWatts: grid.series(sumTimelines(field(DCGM_FIELDS.power)), end),
      maxTemperatureCelsius: grid.series(maxTemp, end),
    },
  };
}

export interface MetricsServiceOptions {
  config: RootConfigService;
  logger: LoggerService;
  /** The plugin's CacheService, as the workload view's; responses live 15 s. */
  cache?: CacheService;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

/**
 * Creates the metrics service. It reads `llmPlatform.prometheus` once; with no
 * such section every call throws NotFoundError naming the missing key.
 */
export function createMetricsService(
  options: MetricsServiceOptions,
): MetricsService {
  const { logger, cache } = options;
  const now = options.now ?? Date.now;
  const prometheus: PrometheusConfig | undefined = readPrometheusConfig(
    options.config,
  );
  const clients = new Map(
    prometheus?.instances.map(i => [i.name, new PrometheusClient(i)]),
  );
  // The workload view's mechanism: in-process answers, identical requests
  // coalesced, and the CacheService shared between backend instances.
  const responses = createResponseCache({
    cache: cache ?? noCache,
    logger,
  });

  // Range-query points that can no longer change, shared by every entity's
  // requests (llmPlatform.prometheus.settledPointsCacheMegabytes).
  const settledPoints = new SettledPoints({
    maxBytes: (prometheus?.settledPointsCacheMegabytes ?? 0) * 1024 * 1024,
    now,
  });

  async function compute(
    client: PrometheusClient,
    scope: ResolvedScope,
    range: MetricsTimeRange,
    entityRef: string,
    settleAfterSeconds: number,
  ): Promise<EntityMetricsResponse> {
    // The old ITL query and the load query wait for the series lookup,
    // which decides whether the first is sent and the form of the second.
    const {
      itlLegacy,
      load: _later,
      ...first
    } = buildQueries(scope, range.rateWindow);
    const grid = new Grid(range);
    const results = new Map<QueryId, GridSeries[]>();
    const failures = new Map<FetchId, string>();
    const reasonOf = (error: unknown) =>
      error instanceof PrometheusQueryError ? error.reason : String(error);
    let sent = 0;
    let lastAnswer = 0;
    /**
     * Sends the planned pieces of each query; a query fails with any piece.
     * Each query's promise settles once all its pieces are recorded.
     */
    // Points settled before this time are kept for the next request.
    const settledUntil = now() / 1000 - settleAfterSeconds;
    const run = (which: Partial<Record<QueryId, string>>) => {
      const ids = Object.keys(which) as QueryId[];
      const keys = new Map(
        ids.map(id => [
          id,
          JSON.stringify([client.name, range.rateWindow, which[id]]),
        ]),
      );
      // Only the points not settled in an earlier answer are asked for.
      const cached = new Map(
        ids.map(id => [id, settledPoints.take(keys.get(id)!, grid)]),
      );
      const planned = ids.flatMap(id => {
        const from = cached.get(id)!.next;
        return from > range.end
          ? []
          : planRangeQueries({ [id]: which[id] }, { ...range, start: from });
      });
      sent += planned.length;
      const answers = planned.map(p =>
        client.queryRangeOnGrid(p.query, p.range, grid).then(
          value => {
            lastAnswer = performance.now();
            return { ok: true as const, value };
          },
          reason => {
            lastAnswer = performance.now();
            return { ok: false as const, reason };
          },
        ),
      );
      const done = new Map<QueryId, Promise<void>>();
      for (const id of ids) {
        const mine = answers.filter((_, i) => planned[i].id === id);
        done.set(
          id,
          Promise.all(mine).then(settled => {
            const failed = settled.find(r => !r.ok);
            if (failed && !failed.ok) {
              failures.set(id, reasonOf(failed.reason));
              return;
            }
            const all = [
              ...cached.get(id)!.series,
              ...settled.flatMap(r => (r.ok ? r.value : [])),
            ];
            results.set(id, all);
            settledPoints.put(keys.get(id)!, grid, all, settledUntil);
          }),
        );
      }
      return done;
    };
    const lookup = buildSeriesLookup(scope);
    const started = performance.now();
    sent += 1;
    const holders = new Set<string>();
    const runs = run(first);
    const lookedUp = client
      .series([lookup.pods, lookup.legacyItl, lookup.oldKv], {
        start: range.start - range.rateWindow,
        end: range.end,
      })
      .then(
        series => {
          lastAnswer = performance.now();
          const found = { legacyItl: false, oldKv: false };
          for (const labels of series) {
            if (labels.__name__ === `${HISTOGRAMS.itlLegacy}_count`) {
              found.legacyItl = true;
            } else if (labels.__name__ === OLD_KV_NAME) found.oldKv = true;
            else holders.add(`${labels.namespace}/${labels.pod}`);
          }
          return found;
        },
        reason => {
          lastAnswer = performance.now();
          failures.set('gpuHolders', reasonOf(reason));
          return { legacyItl: true, oldKv: true };
        },
      );
    // The queries that depend on the lookup: the old ITL name's only when
    // some pod has it, the load query without the old KV name when none has.
    const later = lookedUp.then(found =>
      run({
        ...(found.legacyItl ? { itlLegacy } : {}),
        load: buildQueries(scope, range.rateWindow, {
          oldKvName: found.oldKv,
        }).load,
      }),
    );
    const end = range.end;
    const notes = [...scope.notes];

    // Each panel is computed as soon as its answers are in, while the
    // slower queries still run.
    const histogram = (ids: QueryId[], qs: number[]) =>
      Promise.all([
        ...ids.map(id => runs.get(id)),
        ...(ids.includes('itlLegacy')
          ? [later.then(r => r.get('itlLegacy'))]
          : []),
      ]).then(() => {
        const rates = collectBuckets(
          grid,
          ids.map(id => results.get(id) ?? []),
        );
        const series = new Map<string, MetricSeries[]>();
        rates.forEach((byLe, key) =>
          series.set(key, quantileSeries(grid, byLe, qs, end)),
        );
        return { rates, series };
      });
    const [e2e, ttft, itl, queue, gpu] = await Promise.all([
      histogram(['e2e'], [0.5, 0.95, 0.99]),
      histogram(['ttft'], [0.5, 0.95, 0.99]),
      histogram(['itl', 'itlLegacy'], [0.5, 0.95]),
      histogram(['queue'], [0.95]),
      Promise.all([
        lookedUp,
        runs.get('gpuExported'),
        runs.get('gpuDirect'),
        runs.get('gpuNodes'),
      ]).then(() =>
        buildGpus(
          {
            exported: results.get('gpuExported') ?? [],
            direct: results.get('gpuDirect') ?? [],
            nodes: results.get('gpuNodes') ?? [],
          },
          holders,
          scope,
          range,
          grid,
          notes,
        ),
      ),
      runs.get('throughput'),
      later.then(r => r.get('load')),
    ]);
    const queriesDone = lastAnswer;
    if (failures.size > 0) {
      logger.warn('Prometheus queries failed', {
        entityRef,
        instance: client.name,
        queries: [...failures.keys()].join(','),
        reason: [...new Set(failures.values())].join('; '),
      });
    }

    const models = new Set(scope.models);
    const perModel = new Map<string, ModelServingMetrics>();
    const modelEntry = (name: string) => {
      let m = perModel.get(name);
      if (!m) perModel.set(name, (m = emptyModel(name)));
      return m;
    };
    const total = emptyModel(null);
    for (const h of [e2e, ttft, itl, queue]) {
      h.rates.forEach((_, m) => m !== TOTAL && models.add(m));
    }

    const rates = new Map<string, Map<string, Timeline>>();
    const rateFor = (series: string) => {
      let m = rates.get(series);
      if (!m) rates.set(series, (m = new Map()));
      return m;
    };
    for (const s of [
      ...(results.get('throughput') ?? []),
      ...(results.get('load') ?? []),
    ]) {
      const model = s.labels.model_name ?? '';
      models.add(model);
      const key =
        s.labels.series === 'finished'
          ? `finished:${s.labels.finished_reason ?? ''}`
          : s.labels.series;
      const byModel = rateFor(key);
      const timeline = byModel.get(model);
      if (timeline) grid.addInto(timeline, s.values);
      else byModel.set(model, s.values);
    }

    const fill = (target: ModelServingMetrics, key: string) => {
      const none = () =>
        quantileSeries(grid, undefined, [0.5, 0.95, 0.99], end);
      const [e50, e95, e99] = e2e.series.get(key) ?? none();
      target.e2eLatency = { p50: e50, p95: e95, p99: e99 };
      const [t50, t95, t99] = ttft.series.get(key) ?? none();
      target.timeToFirstToken = { p50: t50, p95: t95, p99: t99 };
      const [i50, i95] = itl.series.get(key) ?? none();
      target.interTokenLatency = { p50: i50, p95: i95 };
      target.queueTime = { p95: (queue.series.get(key) ?? none())[0] };
      const pick = (series: string): Timeline | undefined => {
        const byModel = rates.get(series);
        if (!byModel) return undefined;
        return key === TOTAL
          ? sumTimelines([...byModel.values()])
          : byModel.get(key);
      };
      const reasons = [...rates.keys()].filter(k => k.startsWith('finished:'));
      const finished = reasons
        .map(r => pick(r))
        .filter((t): t is Timeline => !!t);
      target.finishedByReason = Object.fromEntries(
        reasons.flatMap(r => {
          const t = pick(r);
          return t ? [[r.slice('finished:'.length), grid.series(t, end)]] : [];
        }),
      );
      target.requestRate = grid.series(sumTimelines(finished), end);
      target.promptTokensRate = grid.series(pick('prompt_tokens'), end);
      target.generationTokensRate = grid.series(pick('generation_tokens'), end);
      target.preemptionRate = grid.series(pick('preemptions'), end);
      target.running = grid.series(pick('running'), end);
      target.waiting = grid.series(pick('waiting'), end);
      const kvSum = pick('kv_sum');
      const kvCount = pick('kv_count');
      if (kvSum && kvCount) {
        const mean = combine(kvSum, kvCount, (v, c) => (c ? v / c : NaN));
        target.kvCacheUsage = grid.series(mean, end);
      }
    };
    fill(total, TOTAL);
    for (const model of [...models].sort()) fill(modelEntry(model), model);

    const panels = {} as Record<MetricsPanelId, MetricsPanelStatus>;
    const panelData: Record<MetricsPanelId, unknown> = {
      e2eLatency: total.e2eLatency,
      timeToFirstToken: total.timeToFirstToken,
      interTokenLatency: total.interTokenLatency,
      queueTime: total.queueTime,
      throughput: [
        total.requestRate,
        total.promptTokensRate,
        total.generationTokensRate,
      ],
      load: [total.running, total.waiting, total.kvCacheUsage],
      gpu: gpu.gpus.map(g => g.utilization).concat(gpu.totals.utilization),
    };
    const empty: MetricsPanelId[] = [];
    for (const [panel, queryIds] of Object.entries(PANEL_QUERIES) as Array<
      [MetricsPanelId, FetchId[]]
    >) {
      const failed = queryIds.map(id => failures.get(id)).find(Boolean);
      if (failed)
        panels[panel] = {
          state: 'error',
          instance: client.name,
          message: failed,
        };
      else if (
        !hasPoints(panelData[panel]) &&
        !(panel === 'gpu' && gpu.gpus.length > 0)
      )
        empty.push(panel);
      else panels[panel] = { state: 'ok' };
    }
    if (empty.length > 0) {
      let diagnosis: Diagnosis | undefined;
      try {
        const samples = await client.query(buildDiagnosisQuery(scope), end);
        diagnosis = {
          vllm: samples
            .filter(s => s.labels.series === 'vllm')
            .map(s => ({
              namespace: s.labels.namespace ?? '',
              model: s.labels.model_name ?? '',
            })),
          dcgmAll:
            samples.find(s => s.labels.series === 'dcgm_all')?.value ?? 0,
          dcgmNamespace:
            samples.find(s => s.labels.series === 'dcgm_namespace')?.value ?? 0,
        };
      } catch (error) {
        logger.warn('Prometheus diagnosis query failed', {
          entityRef,
          instance: client.name,
          reason: String(error),
        });
      }
      for (const panel of empty) {
        panels[panel] = {
          state: 'noData',
          message: noDataMessage(panel, client.name, scope, range, diagnosis),
        };
      }
    }

    const modelList = [...models].sort().map(modelEntry);
    const failed = (Object.keys(HEALTH_PANELS) as MetricsPanelId[]).filter(
      p => panels[p].state === 'error',
    );
    const health = assessHealth({
      total,
      models: modelList,
      thresholds: prometheus!.health,
      range,
      noDataMessage: model => {
        const load = panels.load;
        if (load.state !== 'ok') return load.message;
        const at = new Date(range.end * 1000).toISOString();
        return `no vLLM samples${
          model !== null ? ` for model "${model}"` : ''
        } at ${at}, the end of the range: has the server stopped reporting?`;
      },
    });
    const partial = failed.length
      ? `judged without ${failed
          .map(p => HEALTH_PANELS[p])
          .join(', ')}: Prometheus "${client.name}" failed`
      : undefined;
    const withPartial = (h: ServingHealth): ServingHealth =>
      partial ? { ...h, message: h.message ?? partial } : h;
    total.health = withPartial(health.total);
    modelList.forEach((m, i) => {
      m.health = withPartial(health.models[i]);
    });

    logger.debug('computed inference metrics', {
      entityRef,
      instance: client.name,
      queries: sent,
      queryMs: Math.round(queriesDone - started),
      processMs: Math.round(performance.now() - queriesDone),
    });
    return {
      instance: client.name,
      range,
      scope: { namespaces: scope.namespaces, models: scope.models },
      panels,
      total,
      models: modelList,
      gpus: gpu.gpus,
      gpuTotals: gpu.totals,
      notes,
      generatedAt: new Date(now()).toISOString(),
    };
  }

  return {
    async getEntityMetrics(
      request: EntityMetricsRequest,
    ): Promise<EntityMetricsResponse> {
      if (!prometheus) {
        throw new NotFoundError(
          'No Prometheus is configured: add llmPlatform.prometheus.instances to app-config to see inference metrics',
        );
      }
      const instance = selectInstance(prometheus, {
        annotation: request.instance,
        clusters: request.clusters,
      });
      const range = resolveTimeRange(
        { range: request.range, start: request.start, end: request.end },
        {
          nowSeconds: now() / 1000,
          scrapeIntervalSeconds: instance.scrapeIntervalSeconds,
        },
      );
      const scope = resolveScope(request.scope, request.model);
      const key = `${CACHE_VERSION}:${createHash('sha256')
        .update(
          JSON.stringify([
            instance.name,
            range,
            scope.vllm,
            scope.nodeMatcher ?? '',
          ]),
        )
        .digest('hex')}`;
      return responses.get(key, {
        ttlMs: CACHE_TTL_MS,
        compute: () =>
          compute(
            clients.get(instance.name)!,
            scope,
            range,
            request.entityRef,
            instance.settleSeconds,
          ),
        // A response with a failed panel is not reused: the next request
        // retries Prometheus.
        keep: response =>
          Object.values(response.panels).every(p => p.state !== 'error'),
      });
    },
  };
}

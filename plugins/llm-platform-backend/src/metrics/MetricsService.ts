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
  LatencyQuantiles,
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
import { Bucket, histogramQuantiles, parseLe } from './histogram';
import {
  PrometheusClient,
  PrometheusQueryError,
  RangeSeries,
} from './PrometheusClient';
import {
  DCGM_FIELDS,
  QueryId,
  ResolvedScope,
  buildDiagnosisQuery,
  buildGpuHolderQuery,
  buildQueries,
  resolveScope,
} from './queries';
import { createResponseCache } from '../service/coalesce';
import { resolveTimeRange } from './range';
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

type Timeline = Map<number, number>;

function toSeries(timeline: Timeline | undefined, end: number): MetricSeries {
  if (!timeline) return { points: [], now: null };
  const points: Array<[number, number]> = [];
  let sorted = true;
  timeline.forEach((v, t) => {
    if (!Number.isFinite(v)) return;
    if (points.length && points[points.length - 1][0] > t) sorted = false;
    points.push([t, v]);
  });
  // Timelines are filled in time order; sums over models may not be.
  if (!sorted) points.sort((a, b) => a[0] - b[0]);
  const last = points[points.length - 1];
  return { points, now: last && last[0] === end ? last[1] : null };
}

function addTo(
  target: Map<string, Timeline>,
  key: string,
  t: number,
  v: number,
) {
  if (!Number.isFinite(v)) return;
  let timeline = target.get(key);
  if (!timeline) target.set(key, (timeline = new Map()));
  timeline.set(t, (timeline.get(t) ?? 0) + v);
}

const TOTAL = '\u0000total';

/** Bucket rates per model (and TOTAL), per le, per timestamp. */
type HistogramRates = Map<string, Map<number, Map<number, number>>>;

function collectBuckets(results: RangeSeries[][]): HistogramRates {
  const rates: HistogramRates = new Map();
  const add = (model: string, le: number, t: number, v: number) => {
    let byLe = rates.get(model);
    if (!byLe) rates.set(model, (byLe = new Map()));
    let timeline = byLe.get(le);
    if (!timeline) byLe.set(le, (timeline = new Map()));
    timeline.set(t, (timeline.get(t) ?? 0) + v);
  };
  for (const series of results.flat()) {
    const le = parseLe(series.labels.le ?? '');
    if (Number.isNaN(le)) continue;
    const model = series.labels.model_name ?? '';
    for (const [t, v] of series.points) {
      if (Number.isNaN(v)) continue;
      add(model, le, t, v);
      // The total sums buckets across models first, then takes quantiles.
      add(TOTAL, le, t, v);
    }
  }
  return rates;
}

function quantileSeries(
  byLe: Map<number, Map<number, number>> | undefined,
  qs: number[],
  end: number,
): MetricSeries[] {
  const timelines = qs.map(() => new Map<number, number>());
  if (byLe) {
    const times = new Set<number>();
    byLe.forEach(timeline => timeline.forEach((_, t) => times.add(t)));
    const les = [...byLe.keys()].sort((a, b) => a - b);
    const columns = les.map(le => byLe.get(le)!);
    for (const t of times) {
      const buckets: Bucket[] = [];
      columns.forEach((timeline, i) => {
        const count = timeline.get(t);
        if (count !== undefined) buckets.push({ le: les[i], count });
      });
      histogramQuantiles(qs, buckets).forEach((v, i) => timelines[i].set(t, v));
    }
  }
  return timelines.map(t => toSeries(t, end));
}

function quantiles(
  byLe: Map<number, Map<number, number>> | undefined,
  end: number,
): LatencyQuantiles {
  const [p50, p95, p99] = quantileSeries(byLe, [0.5, 0.95, 0.99], end);
  return { p50, p95, p99 };
}

function sumTimelines(timelines: Timeline[]): Timeline | undefined {
  if (timelines.length === 0) return undefined;
  const out: Timeline = new Map();
  for (const timeline of timelines) {
    timeline.forEach((v, t) => out.set(t, (out.get(t) ?? 0) + v));
  }
  return out;
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
    exported: RangeSeries[];
    direct: RangeSeries[];
    nodes: RangeSeries[];
  },
  holders: Set<string>,
  scope: ResolvedScope,
  range: MetricsTimeRange,
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
  const add = (s: RangeSeries, entry: Omit<Entry, 'fields' | 'labels'>) => {
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
    existing.fields.set(l.__name__, new Map(s.points));
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
    let total: Timeline | undefined;
    if (used && free) {
      total = new Map();
      used.forEach((v, t) => {
        const f = free.get(t);
        if (f !== undefined) total!.set(t, v + f);
      });
    }
    const limited = (t: Timeline | undefined) => {
      const full = toSeries(t, end);
      return i < MAX_GPU_SERIES ? full : { points: [], now: full.now };
    };
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
  const utilSum = sumTimelines(field(DCGM_FIELDS.utilization));
  const utilCount = sumTimelines(
    field(DCGM_FIELDS.utilization).map(
      t => new Map([...t].map(([k]) => [k, 1])),
    ),
  );
  const utilization =
    utilSum &&
    new Map([...utilSum].map(([t, v]) => [t, v / utilCount!.get(t)!]));
  const usedSum = sumTimelines(field(DCGM_FIELDS.memoryUsed));
  const freeSum = sumTimelines(field(DCGM_FIELDS.memoryFree));
  const totalSum =
    usedSum &&
    freeSum &&
    new Map([...usedSum].map(([t, v]) => [t, v + (freeSum.get(t) ?? 0)]));
  const maxTemp: Timeline = new Map();
  for (const t of field(DCGM_FIELDS.temperature)) {
    t.forEach((v, ts) =>
      maxTemp.set(ts, Math.max(v, maxTemp.get(ts) ?? -Infinity)),
    );
  }
  const utilizationSeries = toSeries(utilization, end);
  return {
    gpus,
    totals: {
      count: gpus.filter(g => g.utilization.now !== null).length,
      utilization: utilizationSeries,
      memoryUsedMiB: toSeries(usedSum, end),
      memoryTotalMiB: toSeries(totalSum, end),
      powerWatts: toSeries(sumTimelines(field(DCGM_FIELDS.power)), end),
      maxTemperatureCelsius: toSeries(maxTemp.size ? maxTemp : undefined, end),
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

  async function compute(
    client: PrometheusClient,
    scope: ResolvedScope,
    range: MetricsTimeRange,
    entityRef: string,
  ): Promise<EntityMetricsResponse> {
    const queries = buildQueries(scope, range.rateWindow);
    const ids = Object.keys(queries) as QueryId[];
    const started = performance.now();
    const [settled, holderResult] = await Promise.all([
      Promise.allSettled(ids.map(id => client.queryRange(queries[id]!, range))),
      client
        .query(
          buildGpuHolderQuery(
            scope,
            range.end - range.start + range.rateWindow,
          ),
          range.end,
        )
        .then(
          value => ({ ok: true as const, value }),
          reason => ({ ok: false as const, reason }),
        ),
    ]);
    const queriesDone = performance.now();
    const results = new Map<QueryId, RangeSeries[]>();
    const failures = new Map<FetchId, string>();
    const reasonOf = (error: unknown) =>
      error instanceof PrometheusQueryError ? error.reason : String(error);
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') results.set(ids[i], r.value);
      else failures.set(ids[i], reasonOf(r.reason));
    });
    if (!holderResult.ok)
      failures.set('gpuHolders', reasonOf(holderResult.reason));
    const holders = new Set(
      (holderResult.ok ? holderResult.value : []).map(
        s => `${s.labels.namespace}/${s.labels.pod}`,
      ),
    );
    if (failures.size > 0) {
      logger.warn('Prometheus queries failed', {
        entityRef,
        instance: client.name,
        queries: [...failures.keys()].join(','),
        reason: [...new Set(failures.values())].join('; '),
      });
    }

    const end = range.end;
    const notes = [...scope.notes];
    const models = new Set(scope.models);
    const perModel = new Map<string, ModelServingMetrics>();
    const modelEntry = (name: string) => {
      let m = perModel.get(name);
      if (!m) perModel.set(name, (m = emptyModel(name)));
      return m;
    };
    const total = emptyModel(null);
    const seeModels = (rates: Map<string, unknown>) =>
      rates.forEach((_, m) => m !== TOTAL && models.add(m));

    const e2e = collectBuckets([results.get('e2e') ?? []]);
    const ttft = collectBuckets([results.get('ttft') ?? []]);
    const itl = collectBuckets([
      results.get('itl') ?? [],
      results.get('itlLegacy') ?? [],
    ]);
    const queue = collectBuckets([results.get('queue') ?? []]);
    [e2e, ttft, itl, queue].forEach(seeModels);

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
      for (const [t, v] of s.points) addTo(rateFor(key), model, t, v);
    }

    const fill = (target: ModelServingMetrics, key: string) => {
      target.e2eLatency = quantiles(e2e.get(key), end);
      target.timeToFirstToken = quantiles(ttft.get(key), end);
      const [p50, p95] = quantileSeries(itl.get(key), [0.5, 0.95], end);
      target.interTokenLatency = { p50, p95 };
      target.queueTime = {
        p95: quantileSeries(queue.get(key), [0.95], end)[0],
      };
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
          return t ? [[r.slice('finished:'.length), toSeries(t, end)]] : [];
        }),
      );
      target.requestRate = toSeries(sumTimelines(finished), end);
      target.promptTokensRate = toSeries(pick('prompt_tokens'), end);
      target.generationTokensRate = toSeries(pick('generation_tokens'), end);
      target.preemptionRate = toSeries(pick('preemptions'), end);
      target.running = toSeries(pick('running'), end);
      target.waiting = toSeries(pick('waiting'), end);
      const kvSum = pick('kv_sum');
      const kvCount = pick('kv_count');
      if (kvSum && kvCount) {
        const mean: Timeline = new Map();
        kvSum.forEach((v, t) => {
          const c = kvCount.get(t);
          if (c) mean.set(t, v / c);
        });
        target.kvCacheUsage = toSeries(mean, end);
      }
    };
    fill(total, TOTAL);
    for (const model of [...models].sort()) fill(modelEntry(model), model);

    const gpu = buildGpus(
      {
        exported: results.get('gpuExported') ?? [],
        direct: results.get('gpuDirect') ?? [],
        nodes: results.get('gpuNodes') ?? [],
      },
      holders,
      scope,
      range,
      notes,
    );

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
      queries: ids.length + 1,
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
          compute(clients.get(instance.name)!, scope, range, request.entityRef),
        // A response with a failed panel is not reused: the next request
        // retries Prometheus.
        keep: response =>
          Object.values(response.panels).every(p => p.state !== 'error'),
      });
    },
  };
}

import { InputError } from '@backstage/errors';
import { matchAny, selector } from './promql';
import { SubRange, splitAtBlocks } from './split';
import { MAX_POD_MATCHERS, MetricsScope } from './types';

/** The vLLM histograms behind the latency panels. */
export const HISTOGRAMS = {
  e2e: 'vllm:e2e_request_latency_seconds',
  ttft: 'vllm:time_to_first_token_seconds',
  itl: 'vllm:inter_token_latency_seconds',
  /** Name of inter-token latency before vLLM 0.11 (hidden from 0.12). */
  itlLegacy: 'vllm:time_per_output_token_seconds',
  queue: 'vllm:request_queue_time_seconds',
} as const;

/** Name of the KV-cache gauge before vLLM 0.11. */
export const OLD_KV_NAME = 'vllm:gpu_cache_usage_perc';

export const DCGM_FIELDS = {
  utilization: 'DCGM_FI_DEV_GPU_UTIL',
  memoryUsed: 'DCGM_FI_DEV_FB_USED',
  memoryFree: 'DCGM_FI_DEV_FB_FREE',
  power: 'DCGM_FI_DEV_POWER_USAGE',
  temperature: 'DCGM_FI_DEV_GPU_TEMP',
} as const;

export type QueryId =
  | keyof typeof HISTOGRAMS
  | 'throughput'
  | 'load'
  | 'gpuExported'
  | 'gpuDirect'
  | 'gpuNodes';

/** The matchers an entity's queries are built from, every value escaped. */
export interface ResolvedScope {
  namespaces: string[];
  models: string[];
  /** Selector of the entity's vLLM series, `{namespace=...,model_name=...}`. */
  vllm: string;
  namespaceMatcher: string;
  exportedNamespaceMatcher: string;
  nodeMatcher?: string;
  notes: string[];
}

const MAX_NODE_MATCHERS = 100;

export function resolveScope(
  scope: MetricsScope,
  model?: string,
): ResolvedScope {
  const namespaces = [...new Set(scope.namespaces ?? [])].sort();
  if (namespaces.length === 0) {
    throw new InputError('the entity has no namespace to read metrics from');
  }
  const namedModels = [...new Set(scope.modelNames ?? [])].sort();
  let models = namedModels;
  if (model !== undefined) {
    if (namedModels.length > 0 && !namedModels.includes(model)) {
      throw new InputError(
        `model "${model.slice(
          0,
          128,
        )}" is not served by this entity; its models are ${namedModels.join(
          ', ',
        )}`,
      );
    }
    models = [model];
  }
  const notes: string[] = [];
  const namespaceMatcher = matchAny('namespace', namespaces, 'namespace');
  const matchers = [namespaceMatcher];
  if (models.length > 0)
    matchers.push(matchAny('model_name', models, 'model name'));
  const pods = [...new Set(scope.pods ?? [])];
  if (pods.length > 0 && pods.length <= MAX_POD_MATCHERS) {
    matchers.push(matchAny('pod', pods, 'pod name'));
  } else if (pods.length > MAX_POD_MATCHERS && models.length === 0) {
    notes.push(
      `The entity has ${pods.length} pods, too many to match one by one, and names no model: series are scoped by namespace only. Name the served models with the llm-platform.io/model-names annotation.`,
    );
  }
  const nodes = [...new Set(scope.nodes ?? [])];
  return {
    namespaces,
    models,
    vllm: selector(matchers),
    namespaceMatcher,
    exportedNamespaceMatcher: matchAny(
      'exported_namespace',
      namespaces,
      'namespace',
    ),
    nodeMatcher:
      nodes.length > 0 && nodes.length <= MAX_NODE_MATCHERS
        ? matchAny('Hostname', nodes, 'node name')
        : undefined,
    notes,
  };
}

/** Adds a constant `series` label so several results share one query. */
function tag(expr: string, name: string): string {
  return `label_replace(${expr}, "series", "${name}", "", "")`;
}

/**
 * The queries of one response: one `sum by (le, model_name)` bucket-rate
 * fetch per histogram (every quantile, per model and in total, is computed
 * from it), one each for throughput and load, and plain selectors for the
 * GPUs.
 */
export function buildQueries(
  scope: ResolvedScope,
  rateWindowSeconds: number,
  options: {
    /** False when no pod has the pre-0.11 KV-cache name: the new one alone. */
    oldKvName?: boolean;
  } = {},
): Partial<Record<QueryId, string>> {
  const w = `[${rateWindowSeconds}s]`;
  const sel = scope.vllm;
  const buckets = (name: string) =>
    `sum by (le, model_name) (rate(${name}_bucket${sel}${w}))`;
  const rateOf = (name: string, by = 'model_name') =>
    `sum by (${by}) (rate(${name}${sel}${w}))`;
  // The KV-cache gauge was renamed; `or` keeps the new name where a pod
  // exposes both (vLLM 0.11), and the old one for older pods. Without old
  // pods the `or` is left out: it costs a third of the query.
  const kv =
    options.oldKvName === false
      ? `(vllm:kv_cache_usage_perc${sel})`
      : `(vllm:kv_cache_usage_perc${sel} or ${OLD_KV_NAME}${sel})`;

  // Plain selectors only: label_replace, `or` and `and` would be evaluated
  // per step and series, which costs as much as a histogram at 64 GPUs. The
  // join of GPUs to the entity's pods happens in the backend instead.
  const fields = `__name__=~"${Object.values(DCGM_FIELDS).join('|')}"`;
  return {
    e2e: buckets(HISTOGRAMS.e2e),
    ttft: buckets(HISTOGRAMS.ttft),
    itl: buckets(HISTOGRAMS.itl),
    // Only pods without the new name: a pod exposing both is counted once.
    itlLegacy: `sum by (le, model_name) (rate(${HISTOGRAMS.itlLegacy}_bucket${sel}${w}) unless on (namespace, pod, instance, engine, model_name) ${HISTOGRAMS.itl}_count${sel})`,
    queue: buckets(HISTOGRAMS.queue),
    throughput: [
      tag(
        rateOf('vllm:request_success_total', 'model_name, finished_reason'),
        'finished',
      ),
      tag(rateOf('vllm:prompt_tokens_total'), 'prompt_tokens'),
      tag(rateOf('vllm:generation_tokens_total'), 'generation_tokens'),
      tag(rateOf('vllm:num_preemptions_total'), 'preemptions'),
    ].join(' or '),
    load: [
      tag(`sum by (model_name) (vllm:num_requests_running${sel})`, 'running'),
      tag(`sum by (model_name) (vllm:num_requests_waiting${sel})`, 'waiting'),
      tag(`sum by (model_name) ${kv}`, 'kv_sum'),
      tag(`count by (model_name) ${kv}`, 'kv_count'),
    ].join(' or '),
    // Behind a target with its own `pod` label, the GPU's pod and namespace
    // become exported_pod/exported_namespace; with honor_labels they stay.
    gpuExported: `{${fields},${scope.exportedNamespaceMatcher}}`,
    gpuDirect: `{${fields},${scope.namespaceMatcher},exported_namespace=""}`,
    ...(scope.nodeMatcher
      ? { gpuNodes: `{${fields},${scope.nodeMatcher},exported_pod=""}` }
      : {}),
  };
}

/**
 * Selectors for one lookup of the series API (the index only, no samples):
 * the entity's vLLM pods over the range, which the backend ties GPUs to, and
 * whether any of its pods still exposes the pre-0.11 inter-token latency
 * histogram or KV-cache gauge, so the queries for those names run only when
 * they can find something.
 */
export function buildSeriesLookup(scope: ResolvedScope): {
  pods: string;
  legacyItl: string;
  oldKv: string;
} {
  return {
    pods: `vllm:num_requests_running${scope.vllm}`,
    legacyItl: `${HISTOGRAMS.itlLegacy}_count${scope.vllm}`,
    oldKv: `${OLD_KV_NAME}${scope.vllm}`,
  };
}

/** The bucket queries: each reads every bucket series of every pod. */
export const HISTOGRAM_QUERIES: QueryId[] = [
  'e2e',
  'ttft',
  'itl',
  'itlLegacy',
  'queue',
];

export interface PlannedQuery {
  id: QueryId;
  query: string;
  range: SubRange;
}

/** Queries with plain selectors, which read back the lookback delta. */
const PLAIN_SELECTOR_QUERIES: QueryId[] = [
  'load',
  'gpuExported',
  'gpuDirect',
  'gpuNodes',
];
/** Prometheus's default lookback delta (`--query.lookback-delta`). */
const LOOKBACK_SECONDS = 300;

/**
 * The range queries of one response, each split at TSDB block boundaries
 * ({@link splitAtBlocks}). A bucket query is split at up to two boundaries,
 * the points whose window crosses one asked for in a query of their own; a
 * cheap query at one at most, those points joining its shorter piece.
 */
export function planRangeQueries(
  queries: Partial<Record<QueryId, string>>,
  range: SubRange & { rateWindow: number },
): PlannedQuery[] {
  const whole = { start: range.start, end: range.end, step: range.step };
  return (Object.keys(queries) as QueryId[]).flatMap(id => {
    const query = queries[id]!;
    const heavy = HISTOGRAM_QUERIES.includes(id);
    const window = PLAIN_SELECTOR_QUERIES.includes(id)
      ? Math.max(range.rateWindow, LOOKBACK_SECONDS)
      : range.rateWindow;
    // A cheap query is split at one boundary at most: two pieces.
    const split = splitAtBlocks(
      whole,
      window,
      heavy ? {} : { attach: true, maxBoundaries: 1 },
    );
    return [...split.pieces, ...split.straddles].map(r => ({
      id,
      query,
      range: r,
    }));
  });
}

/**
 * One instant query, run only when a panel came back empty, whose answer
 * tells why: are there vLLM series in the namespaces at all, and for which
 * models; does dcgm-exporter report any GPU, and any in these namespaces.
 */
export function buildDiagnosisQuery(scope: ResolvedScope): string {
  const util = DCGM_FIELDS.utilization;
  return [
    tag(
      `count by (namespace, model_name) ({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting",${scope.namespaceMatcher}})`,
      'vllm',
    ),
    tag(`count(${util})`, 'dcgm_all'),
    tag(
      `count(${util}{${scope.exportedNamespaceMatcher}} or ${util}{${scope.namespaceMatcher}})`,
      'dcgm_namespace',
    ),
  ].join(' or ');
}

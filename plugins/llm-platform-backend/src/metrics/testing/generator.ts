import fs from 'node:fs';

// Deterministic OpenMetrics history of vLLM engines and dcgm-exporter, for
// backfilling a real Prometheus with `promtool tsdb create-blocks-from
// openmetrics`. Names, labels and bucket boundaries are those of vLLM's V1
// engine and NVIDIA dcgm-exporter. Tests, the local sandbox and the benchmark
// all use it, so their numbers describe the same data.

/** vLLM's `request_latency_buckets` (e2e, queue, prefill, decode). */
export const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0,
  60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0,
];
/** vLLM's time-to-first-token buckets. */
export const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5,
  5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0,
];
/** vLLM's inter-token latency buckets. */
export const ITL_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0,
  7.5, 10.0, 20.0, 40.0, 80.0,
];

/** A log-normal distribution given by its median (seconds) and sigma. */
export interface LogNormal {
  median: number;
  sigma: number;
}

/**
 * Which names a vLLM version exposes: `new` (0.12+), `old` (before 0.9.2 for
 * the KV cache, before 0.11 for inter-token latency) or `both` (0.11, which
 * still shows the deprecated names next to the new ones).
 */
export type VllmMetricNames = 'new' | 'old' | 'both';

/** One served model and the pods that serve it. */
export interface ModelProfile {
  name: string;
  namespace: string;
  pods: number;
  /** Pod name prefix; pods are `<prefix>-<index>`. */
  podPrefix: string;
  metricNames: VllmMetricNames;
  /** Finished requests per second per pod. */
  requestsPerSecondPerPod: number;
  /** Share of finished requests per finish reason; sums to 1. */
  finishReasons: Record<string, number>;
  promptTokensPerRequest: number;
  generationTokensPerRequest: number;
  preemptionsPerRequest: number;
  e2e: LogNormal;
  ttft: LogNormal;
  itl: LogNormal;
  queue: LogNormal;
  runningPerPod: number;
  waitingPerPod: number;
  /** From `from` (unix seconds) the queue of each pod grows this fast. */
  waitingRamp?: { from: number; perMinutePerPod: number };
  /** KV-cache usage of the first pod; pod i adds `i * kvCacheStepPerPod`. */
  kvCacheUsage: number;
  kvCacheStepPerPod: number;
  /** GPU utilisation of the pod's GPU, percent. */
  gpuUtilization: number;
  gpuMemoryUsedMiB: number;
}

/** How the Prometheus that scrapes dcgm-exporter labels its series. */
export type DcgmLabelling =
  /** Target labels win: the GPU's pod becomes `exported_pod`. */
  | 'exported'
  /** `honor_labels: true`: the exporter's `pod`/`namespace` are kept. */
  | 'honor';

export interface Scenario {
  /** Unix seconds of the first sample. */
  start: number;
  /** Unix seconds of the last sample. */
  end: number;
  scrapeIntervalSeconds: number;
  models: ModelProfile[];
  /**
   * Latency multiplier in a time window, to make "since when not?" visible.
   * Applies to every latency of the models it names (default all).
   */
  incident?: {
    from: number;
    to: number;
    latencyFactor: number;
    /** Only these models; default every model. */
    models?: string[];
  };
  gpu: {
    labelling: DcgmLabelling;
    /** GPUs per node; vLLM pods fill nodes in order, one GPU each. */
    gpusPerNode: number;
    /** GPUs per node held by no pod (reported without pod labels). */
    idleGpusPerNode: number;
    productName: string;
    memoryTotalMiB: number;
  };
  /** Series that no query of the panel should touch. */
  unrelatedSeries: number;
  /** Sample interval of the unrelated series (they only need to exist). */
  unrelatedIntervalSeconds: number;
}

/** Realistic profile of a 7B/8B model served on one GPU. */
export function modelProfile(
  overrides: Partial<ModelProfile> & { name: string },
): ModelProfile {
  return {
    namespace: 'llm-serving',
    pods: 2,
    podPrefix: `vllm-${overrides.name
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()}`,
    metricNames: 'new',
    requestsPerSecondPerPod: 0.8,
    finishReasons: { stop: 0.85, length: 0.12, abort: 0.03 },
    promptTokensPerRequest: 600,
    generationTokensPerRequest: 180,
    preemptionsPerRequest: 0.01,
    e2e: { median: 4, sigma: 0.6 },
    ttft: { median: 0.12, sigma: 0.7 },
    itl: { median: 0.03, sigma: 0.4 },
    queue: { median: 0.05, sigma: 1.0 },
    runningPerPod: 6,
    waitingPerPod: 1,
    kvCacheUsage: 0.35,
    kvCacheStepPerPod: 0.01,
    gpuUtilization: 70,
    gpuMemoryUsedMiB: 14000,
    ...overrides,
  };
}

/** Two models, mixed vLLM versions, a neighbour team and a hostile name. */
export function defaultScenario(end: number, hours = 6): Scenario {
  return {
    start: end - hours * 3600,
    end,
    scrapeIntervalSeconds: 30,
    models: [
      modelProfile({ name: 'mistral-7b', pods: 3, metricNames: 'new' }),
      modelProfile({
        name: 'llama-3.1-8b',
        pods: 2,
        metricNames: 'old',
        requestsPerSecondPerPod: 0.3,
        e2e: { median: 12, sigma: 0.5 },
        ttft: { median: 0.4, sigma: 0.5 },
        itl: { median: 0.06, sigma: 0.3 },
        kvCacheUsage: 0.6,
        gpuUtilization: 85,
      }),
      modelProfile({
        name: 'qwen2.5-7b',
        pods: 1,
        metricNames: 'both',
        requestsPerSecondPerPod: 0.5,
      }),
      modelProfile({
        name: 'other-model',
        namespace: 'other-team',
        podPrefix: 'vllm-other',
        pods: 2,
        requestsPerSecondPerPod: 5,
      }),
      modelProfile({
        name: 'evil"} or vector(1) # .*|\\\n',
        namespace: 'other-team',
        podPrefix: 'vllm-evil',
        pods: 1,
        requestsPerSecondPerPod: 7,
      }),
    ],
    gpu: {
      labelling: 'exported',
      gpusPerNode: 4,
      idleGpusPerNode: 0,
      productName: 'NVIDIA A10G',
      memoryTotalMiB: 23028,
    },
    unrelatedSeries: 200,
    unrelatedIntervalSeconds: 600,
  };
}

/** The pods of a model, in the order the generator creates them. */
export function podNames(model: ModelProfile): string[] {
  return Array.from(
    { length: model.pods },
    (_, i) => `${model.podPrefix}-${String(i).padStart(4, '0')}`,
  );
}

/** The latency multiplier in force at time `t`. */
export function latencyFactorAt(
  scenario: Scenario,
  t: number,
  model?: string,
): number {
  const incident = scenario.incident;
  return incident &&
    t > incident.from &&
    t <= incident.to &&
    (!incident.models || model === undefined || incident.models.includes(model))
    ? incident.latencyFactor
    : 1;
}

/** Waiting requests of one pod at time `t`, ramp included. */
export function waitingAt(model: ModelProfile, t: number): number {
  const ramp = model.waitingRamp;
  return (
    model.waitingPerPod +
    (ramp && t > ramp.from
      ? Math.floor(((t - ramp.from) / 60) * ramp.perMinutePerPod)
      : 0)
  );
}

function erf(x: number): number {
  // Abramowitz and Stegun 7.1.26; absolute error below 1.5e-7.
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) *
      t +
      0.254829592) *
      t *
      Math.exp(-ax * ax);
  return sign * y;
}

/** P(X <= x) for a log-normal distribution. */
export function logNormalCdf(d: LogNormal, x: number): number {
  if (x <= 0) return 0;
  return 0.5 * (1 + erf(Math.log(x / d.median) / (d.sigma * Math.SQRT2)));
}

function hash(text: string): number {
  // FNV-1a: a stable per-series phase so counters do not all tick together.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function phase(text: string): number {
  return hash(text) / 2 ** 32;
}

function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

/** Labels as the exposition formats write them, values escaped. */
export function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',');
}

/** Buffered synchronous writer: large files, little garbage. */
class OutputFile {
  private chunks: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  write(text: string) {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush() {
    if (this.chunks.length) fs.writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }
}

interface PodInfo {
  model: ModelProfile;
  pod: string;
  index: number;
  node: string;
  gpuIndex: number;
  ip: string;
}

/** Where each vLLM pod runs: pods fill GPU nodes in order, one GPU each. */
export function podPlacement(scenario: Scenario): PodInfo[] {
  const pods = scenario.models.flatMap(model =>
    podNames(model).map((pod, index) => ({ model, pod, index })),
  );
  return pods.map(({ model, pod, index }, slot) => ({
    model,
    pod,
    index,
    node: `ip-10-0-${Math.floor(
      slot / scenario.gpu.gpusPerNode,
    )}-7.ec2.internal`,
    gpuIndex: slot % scenario.gpu.gpusPerNode,
    ip: `10.1.${Math.floor(slot / 250)}.${(slot % 250) + 2}`,
  }));
}

function timestamps(scenario: Scenario): number[] {
  const out: number[] = [];
  for (
    let t = scenario.start;
    t <= scenario.end;
    t += scenario.scrapeIntervalSeconds
  ) {
    out.push(t);
  }
  return out;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

/**
 * Writes the scenario as one OpenMetrics file (family by family, series by
 * series, samples in time order, as promtool's backfill wants) and returns
 * the number of samples written.
 */
export function writeOpenMetrics(scenario: Scenario, file: string): number {
  const fd = fs.openSync(file, 'w');
  const out = new OutputFile(fd);
  let samples = 0;
  const ts = timestamps(scenario);
  const pods = podPlacement(scenario);

  const series = (
    name: string,
    labels: Record<string, string>,
    values: ArrayLike<number>,
  ) => {
    const prefix = `${name}{${labelText(labels)}} `;
    for (let i = 0; i < ts.length; i++) {
      out.write(`${prefix}${formatNumber(values[i])} ${ts[i]}\n`);
    }
    samples += ts.length;
  };

  const vllmLabels = (p: PodInfo) => ({
    namespace: p.model.namespace,
    pod: p.pod,
    container: 'vllm',
    job: 'vllm',
    instance: `${p.ip}:8000`,
    model_name: p.model.name,
    engine: '0',
  });

  // Cumulative request count of a pod: floor(rate * elapsed + phase), so the
  // rate over any window is the configured rate within one request.
  const counter = (perSecond: number, key: string) => {
    const values = new Float64Array(ts.length);
    const ph = phase(key);
    for (let i = 0; i < ts.length; i++) {
      values[i] = Math.floor(perSecond * (ts[i] - scenario.start) + ph);
    }
    return values;
  };

  const has = (p: PodInfo, which: 'new' | 'old') =>
    p.model.metricNames === which || p.model.metricNames === 'both';

  const histogram = (
    family: string,
    buckets: number[],
    pick: (m: ModelProfile) => LogNormal,
    observations: (p: PodInfo) => Float64Array,
    include: (p: PodInfo) => boolean,
  ) => {
    out.write(`# TYPE ${family} histogram\n`);
    for (const p of pods.filter(include)) {
      const dist = pick(p.model);
      const counts = observations(p);
      const labels = vllmLabels(p);
      const cumulative = [...buckets, Infinity].map(
        () => new Float64Array(ts.length),
      );
      const acc = new Float64Array(buckets.length);
      const sum = new Float64Array(ts.length);
      let accSum = 0;
      for (let i = 0; i < ts.length; i++) {
        const delta = i === 0 ? counts[0] : counts[i] - counts[i - 1];
        const factor = latencyFactorAt(scenario, ts[i], p.model.name);
        const scaled = { median: dist.median * factor, sigma: dist.sigma };
        for (let b = 0; b < buckets.length; b++) {
          acc[b] += delta * logNormalCdf(scaled, buckets[b]);
          // The tiny epsilon keeps floor() from losing a whole observation to
          // floating-point error, which would break monotonicity across le.
          cumulative[b][i] = Math.min(Math.floor(acc[b] + 1e-9), counts[i]);
        }
        cumulative[buckets.length][i] = counts[i];
        accSum +=
          delta * scaled.median * Math.exp((dist.sigma * dist.sigma) / 2);
        sum[i] = accSum;
      }
      [...buckets, Infinity].forEach((le, b) => {
        series(
          `${family}_bucket`,
          { ...labels, le: le === Infinity ? '+Inf' : String(le) },
          cumulative[b],
        );
      });
      series(`${family}_count`, labels, counts);
      series(`${family}_sum`, labels, sum);
    }
  };

  const requests = new Map<PodInfo, Float64Array>();
  const generated = new Map<PodInfo, Float64Array>();
  for (const p of pods) {
    requests.set(p, counter(p.model.requestsPerSecondPerPod, `req/${p.pod}`));
    generated.set(
      p,
      counter(
        p.model.requestsPerSecondPerPod * p.model.generationTokensPerRequest,
        `gen/${p.pod}`,
      ),
    );
  }
  const all = () => true;

  histogram(
    'vllm:e2e_request_latency_seconds',
    E2E_BUCKETS,
    m => m.e2e,
    p => requests.get(p)!,
    all,
  );
  histogram(
    'vllm:time_to_first_token_seconds',
    TTFT_BUCKETS,
    m => m.ttft,
    p => requests.get(p)!,
    all,
  );
  histogram(
    'vllm:request_queue_time_seconds',
    E2E_BUCKETS,
    m => m.queue,
    p => requests.get(p)!,
    all,
  );
  // vLLM observes inter-token latency once per generated token.
  histogram(
    'vllm:inter_token_latency_seconds',
    ITL_BUCKETS,
    m => m.itl,
    p => generated.get(p)!,
    p => has(p, 'new'),
  );
  histogram(
    'vllm:time_per_output_token_seconds',
    ITL_BUCKETS,
    m => m.itl,
    p => generated.get(p)!,
    p => has(p, 'old'),
  );

  out.write('# TYPE vllm:request_success counter\n');
  for (const p of pods) {
    for (const [reason, share] of Object.entries(p.model.finishReasons)) {
      series(
        'vllm:request_success_total',
        { ...vllmLabels(p), finished_reason: reason },
        counter(
          p.model.requestsPerSecondPerPod * share,
          `fin/${reason}/${p.pod}`,
        ),
      );
    }
  }
  out.write('# TYPE vllm:prompt_tokens counter\n');
  for (const p of pods) {
    series(
      'vllm:prompt_tokens_total',
      vllmLabels(p),
      counter(
        p.model.requestsPerSecondPerPod * p.model.promptTokensPerRequest,
        `prompt/${p.pod}`,
      ),
    );
  }
  out.write('# TYPE vllm:generation_tokens counter\n');
  for (const p of pods)
    series('vllm:generation_tokens_total', vllmLabels(p), generated.get(p)!);
  out.write('# TYPE vllm:num_preemptions counter\n');
  for (const p of pods) {
    series(
      'vllm:num_preemptions_total',
      vllmLabels(p),
      counter(
        p.model.requestsPerSecondPerPod * p.model.preemptionsPerRequest,
        `pre/${p.pod}`,
      ),
    );
  }

  const gauge = (
    family: string,
    value: (p: PodInfo) => number,
    include: (p: PodInfo) => boolean,
  ) => {
    out.write(`# TYPE ${family} gauge\n`);
    for (const p of pods.filter(include)) {
      series(family, vllmLabels(p), new Float64Array(ts.length).fill(value(p)));
    }
  };
  gauge('vllm:num_requests_running', p => p.model.runningPerPod, all);
  out.write('# TYPE vllm:num_requests_waiting gauge\n');
  for (const p of pods) {
    series(
      'vllm:num_requests_waiting',
      vllmLabels(p),
      ts.map(t => waitingAt(p.model, t)),
    );
  }
  const kv = (p: PodInfo) =>
    p.model.kvCacheUsage + p.index * p.model.kvCacheStepPerPod;
  gauge('vllm:kv_cache_usage_perc', kv, p => has(p, 'new'));
  gauge('vllm:gpu_cache_usage_perc', kv, p => has(p, 'old'));

  writeDcgm(scenario, pods, series, out);

  out.write('# TYPE node_network_receive_bytes counter\n');
  const unrelatedTs = timestamps({
    ...scenario,
    scrapeIntervalSeconds: scenario.unrelatedIntervalSeconds,
  });
  for (let i = 0; i < scenario.unrelatedSeries; i++) {
    const prefix = `node_network_receive_bytes_total{${labelText({
      job: 'node-exporter',
      instance: `10.2.${Math.floor(i / 64) % 250}.${(i % 64) + 2}:9100`,
      device: `veth${i.toString(16).padStart(6, '0')}`,
    })}} `;
    unrelatedTs.forEach((t, k) =>
      out.write(`${prefix}${(k + 1) * 1000 + i} ${t}\n`),
    );
    samples += unrelatedTs.length;
  }

  out.write('# EOF\n');
  out.flush();
  fs.closeSync(fd);
  return samples;
}

/** The values dcgm-exporter reports for a GPU held by a vLLM pod. */
export function gpuValues(
  scenario: Scenario,
  p: { model: ModelProfile; gpuIndex: number },
) {
  const util = Math.min(100, p.model.gpuUtilization + p.gpuIndex);
  return {
    util,
    fbUsed: p.model.gpuMemoryUsedMiB,
    fbFree: scenario.gpu.memoryTotalMiB - p.model.gpuMemoryUsedMiB,
    power: Math.round(40 + util * 1.2),
    temp: Math.round(35 + util * 0.3),
  };
}

/** The values dcgm-exporter reports for an idle GPU. */
export function idleGpuValues(scenario: Scenario) {
  return {
    util: 0,
    fbUsed: 0,
    fbFree: scenario.gpu.memoryTotalMiB,
    power: 18,
    temp: 31,
  };
}

export function gpuUuid(node: string, index: number): string {
  const h = hash(`${node}/${index}`).toString(16).padStart(8, '0');
  return `GPU-${h}-0000-4000-8000-${h}${h.slice(0, 4)}`;
}

function writeDcgm(
  scenario: Scenario,
  pods: PodInfo[],
  series: (
    name: string,
    labels: Record<string, string>,
    values: ArrayLike<number>,
  ) => void,
  out: OutputFile,
) {
  const ts = timestamps(scenario);
  const nodes = [...new Set(pods.map(p => p.node))];
  type Gpu = {
    node: string;
    index: number;
    holder?: PodInfo;
    values: ReturnType<typeof gpuValues>;
  };
  const gpus: Gpu[] = pods.map(p => ({
    node: p.node,
    index: p.gpuIndex,
    holder: p,
    values: gpuValues(scenario, p),
  }));
  for (const node of nodes) {
    const used = gpus.filter(g => g.node === node).length;
    for (let k = 0; k < scenario.gpu.idleGpusPerNode; k++) {
      gpus.push({ node, index: used + k, values: idleGpuValues(scenario) });
    }
  }
  const labelsOf = (g: Gpu) => {
    const exporterPod = `dcgm-exporter-${hash(g.node)
      .toString(36)
      .slice(0, 5)}`;
    const base: Record<string, string> = {
      job: 'dcgm-exporter',
      instance: `${g.node}:9400`,
      gpu: String(g.index),
      UUID: gpuUuid(g.node, g.index),
      device: `nvidia${g.index}`,
      modelName: scenario.gpu.productName,
      Hostname: g.node,
      DCGM_FI_DRIVER_VERSION: '535.183.01',
    };
    if (scenario.gpu.labelling === 'exported') {
      // Scraped through the exporter pod's own target labels.
      Object.assign(base, {
        namespace: 'gpu-operator',
        pod: exporterPod,
        container: 'nvidia-dcgm-exporter',
      });
      if (g.holder) {
        Object.assign(base, {
          exported_namespace: g.holder.model.namespace,
          exported_pod: g.holder.pod,
          exported_container: 'vllm',
        });
      }
    } else if (g.holder) {
      Object.assign(base, {
        namespace: g.holder.model.namespace,
        pod: g.holder.pod,
        container: 'vllm',
      });
    }
    return base;
  };
  const fields: [string, keyof Gpu['values']][] = [
    ['DCGM_FI_DEV_GPU_UTIL', 'util'],
    ['DCGM_FI_DEV_FB_USED', 'fbUsed'],
    ['DCGM_FI_DEV_FB_FREE', 'fbFree'],
    ['DCGM_FI_DEV_POWER_USAGE', 'power'],
    ['DCGM_FI_DEV_GPU_TEMP', 'temp'],
  ];
  for (const [family, key] of fields) {
    out.write(`# TYPE ${family} gauge\n`);
    for (const g of gpus) {
      series(
        family,
        labelsOf(g),
        new Float64Array(ts.length).fill(g.values[key]),
      );
    }
  }
}

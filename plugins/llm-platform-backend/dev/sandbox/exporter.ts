import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  E2E_BUCKETS,
  ITL_BUCKETS,
  LogNormal,
  ModelProfile,
  Scenario,
  TTFT_BUCKETS,
  gpuUuid,
  labelText,
  logNormalCdf,
  podPlacement,
} from '../../src/metrics/testing/generator';

// A live vLLM and dcgm-exporter for the sandbox: the same pods, names, labels
// and buckets as the backfilled history, driven by a load that swings over ten
// minutes so the charts move while someone watches.

type Histogram = {
  buckets: number[];
  counts: number[];
  count: number;
  sum: number;
};

interface PodState {
  model: ModelProfile;
  pod: string;
  node: string;
  gpuIndex: number;
  ip: string;
  index: number;
  requests: number;
  promptTokens: number;
  generationTokens: number;
  preemptions: number;
  finished: Record<string, number>;
  e2e: Histogram;
  ttft: Histogram;
  queue: Histogram;
  itl: Histogram;
  load: number;
}

const newHistogram = (buckets: number[]): Histogram => ({
  buckets,
  counts: buckets.map(() => 0),
  count: 0,
  sum: 0,
});

function observe(h: Histogram, n: number, d: LogNormal) {
  h.buckets.forEach((le, b) => {
    h.counts[b] += n * logNormalCdf(d, le);
  });
  h.count += n;
  h.sum += n * d.median * Math.exp((d.sigma * d.sigma) / 2);
}

/** Load multiplier at time t: a ten-minute swing between 0.6 and 1.4. */
export function loadAt(t: number, phase: number): number {
  return 1 + 0.4 * Math.sin((2 * Math.PI * t) / 600 + phase);
}

export class LiveExporter {
  private pods: PodState[] = [];
  private last: number;
  private server?: http.Server;

  constructor(private scenario: Scenario, now = Date.now() / 1000) {
    this.last = now;
    this.setScenario(scenario);
  }

  /**
   * Serves the models of `scenario`; pods already served keep their counters,
   * so adding a model is not a counter reset for the others.
   */
  setScenario(scenario: Scenario): void {
    this.scenario = scenario;
    const known = new Map(this.pods.map(p => [p.pod, p]));
    this.pods = podPlacement(scenario).map(
      p => known.get(p.pod) ?? this.newPod(p),
    );
  }

  private newPod(p: ReturnType<typeof podPlacement>[number]): PodState {
    return {
      ...p,
      requests: 0,
      promptTokens: 0,
      generationTokens: 0,
      preemptions: 0,
      finished: Object.fromEntries(
        Object.keys(p.model.finishReasons).map(r => [r, 0]),
      ),
      e2e: newHistogram(E2E_BUCKETS),
      ttft: newHistogram(TTFT_BUCKETS),
      queue: newHistogram(E2E_BUCKETS),
      itl: newHistogram(ITL_BUCKETS),
      load: 1,
    };
  }

  /** Advances every counter and histogram from the last tick to `now`. */
  tick(now = Date.now() / 1000): void {
    const dt = Math.max(0, now - this.last);
    this.last = now;
    for (const p of this.pods) {
      const m = p.model;
      p.load = loadAt(now, p.index);
      const requests = m.requestsPerSecondPerPod * p.load * dt;
      // Latency grows with load: queueing is what users feel first.
      const slow = 1 + Math.max(0, p.load - 1) * 1.5;
      const scaled = (d: LogNormal) => ({
        median: d.median * slow,
        sigma: d.sigma,
      });
      p.requests += requests;
      p.promptTokens += requests * m.promptTokensPerRequest;
      p.generationTokens += requests * m.generationTokensPerRequest;
      p.preemptions += requests * m.preemptionsPerRequest * slow;
      for (const [reason, share] of Object.entries(m.finishReasons)) {
        p.finished[reason] += requests * share;
      }
      observe(p.e2e, requests, scaled(m.e2e));
      observe(p.ttft, requests, scaled(m.ttft));
      observe(p.queue, requests, {
        median: m.queue.median * slow * slow,
        sigma: m.queue.sigma,
      });
      observe(p.itl, requests * m.generationTokensPerRequest, scaled(m.itl));
    }
  }

  /** The Prometheus text exposition of every vLLM pod and GPU. */
  render(): string {
    const out: string[] = [];
    const has = (p: PodState, which: 'new' | 'old') =>
      p.model.metricNames === which || p.model.metricNames === 'both';
    const labels = (p: PodState) => ({
      namespace: p.model.namespace,
      pod: p.pod,
      container: 'vllm',
      model_name: p.model.name,
      engine: '0',
    });
    const line = (name: string, l: Record<string, string>, v: number) =>
      out.push(
        `${name}{${labelText(l)}} ${Number.isInteger(v) ? v : v.toFixed(6)}`,
      );
    const histogram = (
      family: string,
      pick: (p: PodState) => Histogram,
      include: (p: PodState) => boolean = () => true,
    ) => {
      out.push(`# TYPE ${family} histogram`);
      for (const p of this.pods.filter(include)) {
        const h = pick(p);
        const count = Math.floor(h.count);
        h.buckets.forEach((le, b) =>
          line(
            `${family}_bucket`,
            { ...labels(p), le: String(le) },
            Math.min(Math.floor(h.counts[b] + 1e-9), count),
          ),
        );
        line(`${family}_bucket`, { ...labels(p), le: '+Inf' }, count);
        line(`${family}_count`, labels(p), count);
        line(`${family}_sum`, labels(p), h.sum);
      }
    };
    const counter = (family: string, value: (p: PodState) => number) => {
      out.push(`# TYPE ${family} counter`);
      for (const p of this.pods)
        line(`${family}_total`, labels(p), Math.floor(value(p)));
    };
    const gauge = (
      family: string,
      value: (p: PodState) => number,
      include: (p: PodState) => boolean = () => true,
    ) => {
      out.push(`# TYPE ${family} gauge`);
      for (const p of this.pods.filter(include))
        line(family, labels(p), value(p));
    };

    histogram('vllm:e2e_request_latency_seconds', p => p.e2e);
    histogram('vllm:time_to_first_token_seconds', p => p.ttft);
    histogram('vllm:request_queue_time_seconds', p => p.queue);
    histogram(
      'vllm:inter_token_latency_seconds',
      p => p.itl,
      p => has(p, 'new'),
    );
    histogram(
      'vllm:time_per_output_token_seconds',
      p => p.itl,
      p => has(p, 'old'),
    );
    out.push('# TYPE vllm:request_success counter');
    for (const p of this.pods) {
      for (const [reason, n] of Object.entries(p.finished)) {
        line(
          'vllm:request_success_total',
          { ...labels(p), finished_reason: reason },
          Math.floor(n),
        );
      }
    }
    counter('vllm:prompt_tokens', p => p.promptTokens);
    counter('vllm:generation_tokens', p => p.generationTokens);
    counter('vllm:num_preemptions', p => p.preemptions);
    gauge('vllm:num_requests_running', p =>
      Math.round(p.model.runningPerPod * p.load),
    );
    gauge('vllm:num_requests_waiting', p =>
      Math.max(0, Math.round(p.model.waitingPerPod * (p.load - 0.8) * 4)),
    );
    const kv = (p: PodState) =>
      Math.min(
        0.98,
        (p.model.kvCacheUsage + p.index * p.model.kvCacheStepPerPod) * p.load,
      );
    gauge('vllm:kv_cache_usage_perc', kv, p => has(p, 'new'));
    gauge('vllm:gpu_cache_usage_perc', kv, p => has(p, 'old'));

    const gpu = (p: PodState) => {
      const util = Math.min(100, Math.round(p.model.gpuUtilization * p.load));
      return {
        DCGM_FI_DEV_GPU_UTIL: util,
        DCGM_FI_DEV_FB_USED: p.model.gpuMemoryUsedMiB,
        DCGM_FI_DEV_FB_FREE:
          this.scenario.gpu.memoryTotalMiB - p.model.gpuMemoryUsedMiB,
        DCGM_FI_DEV_POWER_USAGE: Math.round(40 + util * 1.2),
        DCGM_FI_DEV_GPU_TEMP: Math.round(35 + util * 0.3),
      };
    };
    for (const field of Object.keys(gpu(this.pods[0])) as (keyof ReturnType<
      typeof gpu
    >)[]) {
      out.push(`# TYPE ${field} gauge`);
      for (const p of this.pods) {
        line(
          field,
          {
            gpu: String(p.gpuIndex),
            UUID: gpuUuid(p.node, p.gpuIndex),
            device: `nvidia${p.gpuIndex}`,
            modelName: this.scenario.gpu.productName,
            Hostname: p.node,
            namespace: p.model.namespace,
            pod: p.pod,
            container: 'vllm',
          },
          gpu(p)[field],
        );
      }
    }
    return `${out.join('\n')}\n`;
  }

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.tick();
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(this.render());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

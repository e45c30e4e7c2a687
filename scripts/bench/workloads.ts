// Benchmark of the workload view: LLM Platform's backend against the official
// kubernetes-backend's /resources/workloads/query, side by side in one run, on
// the same simulated clusters, entity and (mocked) Backstage authentication.
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
//     scripts/bench/workloads.ts [--scenario benchmark-fleet] [--runs 5]
//
// Prints a markdown report; docs/benchmarks.md ("Workload view") records one.
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { podsOf } from '../../plugins/llm-platform-common/src';
import type { SimulatorRequest } from '../../plugins/llm-platform-backend/src/testing';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const SCENARIO = arg('scenario', 'benchmark-fleet');
const RUNS = Number(arg('runs', '5'));
const CONCURRENCY = 20;
const ENTITIES = 100;
const AUTH = mockCredentials.user.header('user:default/bench');

const entity = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-llm', lifecycle: 'production' },
});

/** The simulated clusters, served by workloads-simulator.ts in its own process. */
interface Upstream {
  child: ChildProcess;
  control: number;
  entityId: string;
  pods: number;
  entityPods: number;
  gpuNodes: number;
  apps: string[];
  clusters: Array<{ name: string; url: string; token: string }>;
}

async function startUpstream(scenario: string): Promise<Upstream> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=8192',
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      path.join(__dirname, 'workloads-simulator.ts'),
      scenario,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise<Upstream>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', chunk => {
      out += chunk;
      const m = /READY (.*)\n/.exec(out);
      if (m) resolve({ child, ...JSON.parse(m[1]) });
    });
    child.on('exit', code =>
      reject(new Error(`simulator exited with ${code}`)),
    );
  });
}

async function controlCall(running: Upstream, what: string): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${running.control}/${what}`);
  return res.json();
}

interface Backend {
  label: string;
  kind: 'ours' | 'official';
  port: number;
  child: ChildProcess;
}

async function startBackend(
  label: string,
  kind: 'ours' | 'official',
  running: Upstream,
  entities: object[],
  llmPlatform?: object,
): Promise<Backend> {
  const args = JSON.stringify({
    backend: kind,
    clusters: running.clusters.map(c => ({
      name: c.name,
      url: c.url,
      token: c.token,
    })),
    entities,
    llmPlatform,
  });
  const child = spawn(
    process.execPath,
    [
      // The official backend needs several GB at this scale.
      '--max-old-space-size=12288',
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      path.join(__dirname, 'workloads-backend.ts'),
      args,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'error' },
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', chunk => {
      out += chunk;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', code =>
      reject(new Error(`${label} backend exited with ${code}`)),
    );
  });
  return { label, kind, port, child };
}

/** Peak RSS of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Resets VmHWM so the next reading is the peak of one phase. */
function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const rawAgent = new http.Agent({ keepAlive: true });

/** A call that keeps the body as sent (gzip), as a browser receives it before decoding. */
function rawCall(
  b: Backend,
  name: string,
): Promise<{ ms: number; body: Buffer }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(
        {
          host: '127.0.0.1',
          port: b.port,
          path: `/api/llm-platform/v1/entities/component/default/${name}/workloads`,
          agent: rawAgent,
          headers: { authorization: AUTH, 'accept-encoding': 'gzip' },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            if (
              res.statusCode !== 200 ||
              res.headers['content-encoding'] !== 'gzip'
            ) {
              reject(new Error(`${b.label}: not a gzip 200 answer`));
              return;
            }
            resolve({
              ms: performance.now() - started,
              body: Buffer.concat(chunks),
            });
          });
        },
      )
      .on('error', reject);
  });
}

async function call(
  b: Backend,
  name: string,
  headers: Record<string, string> = {},
): Promise<{
  ms: number;
  decodedMs: number;
  bytes: number;
  status: number;
  serverMs?: number;
  etag?: string;
}> {
  const started = performance.now();
  const res =
    b.kind === 'ours'
      ? await fetch(
          `http://127.0.0.1:${b.port}/api/llm-platform/v1/entities/component/default/${name}/workloads`,
          {
            headers: { authorization: AUTH, ...headers },
          },
        )
      : await fetch(
          `http://127.0.0.1:${b.port}/api/kubernetes/resources/workloads/query`,
          {
            method: 'POST',
            headers: {
              authorization: AUTH,
              'content-type': 'application/json',
            },
            body: JSON.stringify({
              entityRef: `component:default/${name}`,
              auth: {},
            }),
          },
        );
  // Time to last byte (gzip already undone by fetch), then with JSON decoding.
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  if (res.status === 200) JSON.parse(body.toString('utf8'));
  const decodedMs = performance.now() - started;
  if (res.status !== 200 && res.status !== 304) {
    throw new Error(
      `${b.label}: HTTP ${res.status} ${body.toString().slice(0, 300)}`,
    );
  }
  // LLM Platform reports its own handler time; transfer and decoding of the
  // answer are the rest of `ms`.
  const timing = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
  return {
    ms,
    decodedMs,
    bytes: body.length,
    status: res.status,
    serverMs: timing ? Number(timing[1]) : undefined,
    etag: res.headers.get('etag') ?? undefined,
  };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const mb = (bytes: number) =>
  `${(bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1)} MB`;
const ms = (v: number) =>
  v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 2 : 0)} ms`;

function upstream(running: Upstream): Promise<SimulatorRequest[]> {
  return controlCall(running, 'requests');
}
async function resetUpstream(running: Upstream) {
  await controlCall(running, 'reset');
}

interface Sequential {
  p50: number;
  p95: number;
  responseBytes: number;
  upstreamCalls: number;
  upstreamBytes: number;
  perKind: Record<string, { calls: number; bytes: number }>;
  overheadP95: number;
  serverOverheadP50?: number;
  serverOverheadP95?: number;
  serverBeyondSpanP50?: number;
  serverBeyondSpanP95?: number;
}

/** Sequential uncached calls: latency, response size, upstream calls and bytes of one call. */
async function sequential(
  b: Backend,
  running: Upstream,
  name: string,
  runs: number,
): Promise<Sequential> {
  await call(b, name); // warm-up: JIT, connection pools (and, when kept, the cluster snapshot)
  const latencies: number[] = [];
  const overheads: number[] = [];
  const serverOverheads: number[] = [];
  const beyondSpan: number[] = [];
  let last: { bytes: number } = { bytes: 0 };
  let calls: SimulatorRequest[] = [];
  for (let i = 0; i < runs; i++) {
    await resetUpstream(running);
    const r = await call(b, name);
    latencies.push(r.ms);
    last = r;
    calls = await upstream(running);
    const slowest = Math.max(0, ...calls.map(c => c.durationMs ?? 0));
    overheads.push(r.ms - slowest);
    if (r.serverMs !== undefined) serverOverheads.push(r.serverMs - slowest);
    // The clusters answer one request at a time per process, so the last
    // answer can end well after the slowest call began: the upstream span is
    // from the first call's arrival to the last answer, on the clusters' clock.
    if (r.serverMs !== undefined && calls.length > 0) {
      const span =
        Math.max(...calls.map(c => c.startedAt + (c.durationMs ?? 0))) -
        Math.min(...calls.map(c => c.startedAt));
      beyondSpan.push(r.serverMs - span);
    }
  }
  const perKind: Sequential['perKind'] = {};
  for (const c of calls) {
    const k = (perKind[
      `${c.resource ?? c.path}${c.verb === 'list' ? '' : ` (${c.verb})`}`
    ] ??= { calls: 0, bytes: 0 });
    k.calls++;
    k.bytes += c.bytes;
  }
  return {
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    responseBytes: last.bytes,
    upstreamCalls: calls.length,
    upstreamBytes: calls.reduce((n, c) => n + c.bytes, 0),
    perKind,
    overheadP95: quantile(overheads, 0.95),
    serverOverheadP50: serverOverheads.length
      ? quantile(serverOverheads, 0.5)
      : undefined,
    serverOverheadP95: serverOverheads.length
      ? quantile(serverOverheads, 0.95)
      : undefined,
    serverBeyondSpanP50: beyondSpan.length
      ? quantile(beyondSpan, 0.5)
      : undefined,
    serverBeyondSpanP95: beyondSpan.length
      ? quantile(beyondSpan, 0.95)
      : undefined,
  };
}

async function concurrent(b: Backend, running: Upstream, names: string[]) {
  await resetUpstream(running);
  const reset = resetPeakRss(b.child.pid!);
  const started = performance.now();
  const results = await Promise.all(names.map(n => call(b, n)));
  const wall = performance.now() - started;
  const calls = await upstream(running);
  return {
    wall,
    p95: quantile(
      results.map(r => r.ms),
      0.95,
    ),
    upstreamCalls: calls.length,
    upstreamBytes: calls.reduce((n, c) => n + c.bytes, 0),
    peakRss: peakRssMb(b.child.pid!),
    peakIsPhase: reset,
  };
}

async function quiet(running: Upstream) {
  let last = -1;
  for (;;) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    const count = (await upstream(running)).length;
    if (count === last) return;
    last = count;
  }
}

async function main() {
  const generated = performance.now();
  const running = await startUpstream(SCENARIO);
  const { entityId: id, pods, entityPods, gpuNodes } = running;
  process.stderr.write(
    `scenario ${SCENARIO} ready in ${ms(performance.now() - generated)}\n`,
  );
  const deployments = new Set(running.apps);
  const many = [...deployments].slice(0, ENTITIES);
  const entities = [
    entity('main', { 'backstage.io/kubernetes-id': id }),
    ...many.map(app =>
      entity(app, { 'backstage.io/kubernetes-label-selector': `app=${app}` }),
    ),
  ];
  const uncached = {
    workloads: {
      cacheTtl: { milliseconds: 1 },
      clusterCacheTtl: { minutes: 30 },
    },
  };

  const official = await startBackend(
    'official',
    'official',
    running,
    entities,
  );
  const oursUncached = await startBackend(
    'ours (result cache off)',
    'ours',
    running,
    entities,
    uncached,
  );
  // Let start-up reads finish, so that each measured window holds only the
  // calls it causes; then measure one LLM Platform backend's own start-up.
  await quiet(running);
  await resetUpstream(running);
  // Result cache on, with a TTL longer than the run so the cached phase
  // measures hits only.
  const ours = await startBackend(
    'ours (cache on)',
    'ours',
    running,
    entities,
    {
      workloads: { cacheTtl: { minutes: 30 } },
    },
  );
  await quiet(running);
  const startup = await upstream(running);
  const startupMs =
    Math.max(...startup.map(c => c.startedAt + (c.durationMs ?? 0))) -
    Math.min(...startup.map(c => c.startedAt));
  const backends = [official, oursUncached, ours];
  try {
    process.stderr.write('concurrency (uncached) ...\n');
    const concOfficial = await concurrent(
      official,
      running,
      Array(CONCURRENCY).fill('main'),
    );
    const concOurs = await concurrent(
      ours,
      running,
      Array(CONCURRENCY).fill('main'),
    );

    process.stderr.write('sequential uncached ...\n');
    const seqOfficial = await sequential(official, running, 'main', RUNS);
    const seqOurs = await sequential(oursUncached, running, 'main', RUNS * 4);

    process.stderr.write('cached ...\n');
    const { etag } = await call(ours, 'main');
    const cached: number[] = [];
    const cachedDecoded: number[] = [];
    await resetUpstream(running);
    const cachedServer: number[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await call(ours, 'main');
      cached.push(r.ms);
      cachedDecoded.push(r.decodedMs);
      cachedServer.push(r.serverMs ?? NaN);
    }
    // The same answers taken apart: the gzip bytes as they arrive (what a
    // browser's network stack receives before decoding), then gunzip, JSON
    // parsing and the pod tables turned into objects, each timed alone.
    const parts = {
      transfer: [] as number[],
      gunzip: [] as number[],
      parse: [] as number[],
      pods: [] as number[],
    };
    // Transfers first, decoding after, so that one's garbage collection
    // does not land in the other's timings.
    const bodies: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await rawCall(ours, 'main');
      parts.transfer.push(r.ms);
      bodies.push(r.body);
    }
    const gzipBytes = bodies[0].length;
    for (const body of bodies) {
      let t = performance.now();
      const text = gunzipSync(body).toString('utf8');
      parts.gunzip.push(performance.now() - t);
      t = performance.now();
      const answer = JSON.parse(text);
      parts.parse.push(performance.now() - t);
      t = performance.now();
      for (const c of answer.clusters) podsOf(c);
      parts.pods.push(performance.now() - t);
    }
    // What a polling client pays for an unchanged answer: a revalidation.
    const revalidated: number[] = [];
    let notModified = 0;
    for (let i = 0; i < 200; i++) {
      const r = await call(ours, 'main', { 'if-none-match': etag ?? '' });
      revalidated.push(r.ms);
      if (r.status === 304) notModified++;
    }
    const cachedUpstream = (await upstream(running)).length;

    process.stderr.write('many entities ...\n');
    const manyOfficial = await concurrent(official, running, many);
    const manyOurs = await concurrent(ours, running, many);

    const informer = await controlCall(running, 'footprint');

    const out: string[] = [];
    const row = (...cells: Array<string | number>) =>
      out.push(`| ${cells.join(' | ')} |`);
    out.push(
      `Scenario \`${SCENARIO}\`: ${
        running.clusters.length
      } simulated clusters, ${pods.toLocaleString(
        'en',
      )} pods of which ${entityPods.toLocaleString(
        'en',
      )} belong to the entity, ${gpuNodes} GPU nodes per cluster. Node ${
        process.version
      }; ${RUNS} official and ${
        RUNS * 4
      } LLM Platform sequential calls after one warm-up call each.`,
      '',
      '| per uncached call | official kubernetes-backend | LLM Platform | ratio |',
      '| --- | --- | --- | --- |',
    );
    const ratio = (a: number, b: number) =>
      b > 0 ? `1/${(a / b).toFixed(a / b < 10 ? 1 : 0)}` : '–';
    row(
      'upstream requests (all clusters)',
      seqOfficial.upstreamCalls,
      seqOurs.upstreamCalls,
      ratio(seqOfficial.upstreamCalls, seqOurs.upstreamCalls),
    );
    row(
      'upstream bytes',
      mb(seqOfficial.upstreamBytes),
      mb(seqOurs.upstreamBytes),
      ratio(seqOfficial.upstreamBytes, seqOurs.upstreamBytes),
    );
    row(
      'response size',
      mb(seqOfficial.responseBytes),
      mb(seqOurs.responseBytes),
      ratio(seqOfficial.responseBytes, seqOurs.responseBytes),
    );
    row(
      'p50 latency',
      ms(seqOfficial.p50),
      ms(seqOurs.p50),
      ratio(seqOfficial.p50, seqOurs.p50),
    );
    row(
      'p95 latency',
      ms(seqOfficial.p95),
      ms(seqOurs.p95),
      ratio(seqOfficial.p95, seqOurs.p95),
    );
    row(
      'time beyond the slowest upstream call, p95 (client-measured)',
      ms(seqOfficial.overheadP95),
      ms(seqOurs.overheadP95),
      '',
    );
    row(
      'handler time beyond the slowest upstream call, p50 / p95 (Server-Timing)',
      '–',
      seqOurs.serverOverheadP95 === undefined
        ? '–'
        : `${ms(seqOurs.serverOverheadP50!)} / ${ms(
            seqOurs.serverOverheadP95,
          )}`,
      '',
    );
    row(
      'handler time beyond the upstream span (first call in to last answer out), p50 / p95',
      '–',
      seqOurs.serverBeyondSpanP95 === undefined
        ? '–'
        : `${ms(seqOurs.serverBeyondSpanP50!)} / ${ms(
            seqOurs.serverBeyondSpanP95,
          )}`,
      '',
    );
    out.push(
      '',
      '| upstream per call, by kind | official: calls / bytes | LLM Platform: calls / bytes |',
      '| --- | --- | --- |',
    );
    const kinds = [
      ...new Set([
        ...Object.keys(seqOfficial.perKind),
        ...Object.keys(seqOurs.perKind),
      ]),
    ].sort();
    const cell = (s: Sequential, k: string) =>
      s.perKind[k] ? `${s.perKind[k].calls} / ${mb(s.perKind[k].bytes)}` : '–';
    for (const k of kinds) row(k, cell(seqOfficial, k), cell(seqOurs, k));
    const startupBytes = startup.reduce((n, c) => n + c.bytes, 0);
    out.push(
      '',
      `Start-up of an LLM Platform backend, before any request: ${
        startup.length
      } upstream requests (per cluster: the pod list in pages of 500, a pod watch, nodes, storageclasses), ${mb(
        startupBytes,
      )} read in ${ms(
        startupMs,
      )} (every pod of every cluster once; then only watch events, and the node list once per clusterCacheTtl).`,
      '',
      `| ${CONCURRENCY} concurrent identical uncached calls | official | LLM Platform (defaults) | ratio |`,
      '| --- | --- | --- | --- |',
    );
    row(
      'wall time',
      ms(concOfficial.wall),
      ms(concOurs.wall),
      ratio(concOfficial.wall, concOurs.wall),
    );
    row(
      'upstream requests',
      concOfficial.upstreamCalls,
      concOurs.upstreamCalls,
      '',
    );
    row(
      'upstream bytes',
      mb(concOfficial.upstreamBytes),
      mb(concOurs.upstreamBytes),
      '',
    );
    row(
      `peak RSS of the backend process${
        concOfficial.peakIsPhase ? ' (this phase)' : ' (whole run so far)'
      }`,
      `${concOfficial.peakRss.toFixed(0)} MB`,
      `${concOurs.peakRss.toFixed(0)} MB`,
      ratio(concOfficial.peakRss, concOurs.peakRss),
    );
    out.push(
      '',
      `Cached (LLM Platform, result cache on), ${mb(
        seqOurs.responseBytes,
      )} answer sent as ${(gzipBytes / 1000).toFixed(
        0,
      )} KB of gzip; 200 sequential calls for each line, ${cachedUpstream} upstream requests in all:`,
      '',
      '| cached answer | p50 | p95 |',
      '| --- | --- | --- |',
    );
    const p = (values: number[]) => [
      ms(quantile(values, 0.5)),
      ms(quantile(values, 0.95)),
    ];
    row('handler alone (Server-Timing)', ...p(cachedServer));
    row(
      'server and transfer: gzip bytes to the last byte, not decoded',
      ...p(parts.transfer),
    );
    row('client: gunzip', ...p(parts.gunzip));
    row('client: JSON.parse', ...p(parts.parse));
    row('client: pod tables to objects (podsOf)', ...p(parts.pods));
    row('fetch, gunzip included: time to last byte', ...p(cached));
    row('fetch, gunzip and JSON.parse', ...p(cachedDecoded));
    row(
      `revalidation with the ETag: ${notModified} of 200 answered 304, time to last byte`,
      ...p(revalidated),
    );
    out.push(
      '',
      `| ${many.length} different entities at once (one Deployment each) | official | LLM Platform (defaults) |`,
      '| --- | --- | --- |',
    );
    row('wall time', ms(manyOfficial.wall), ms(manyOurs.wall));
    row('p95 latency', ms(manyOfficial.p95), ms(manyOurs.p95));
    row(
      'upstream requests',
      manyOfficial.upstreamCalls,
      manyOurs.upstreamCalls,
    );
    row(
      'upstream bytes',
      mb(manyOfficial.upstreamBytes),
      mb(manyOurs.upstreamBytes),
    );
    row(
      'peak RSS (this phase)',
      `${manyOfficial.peakRss.toFixed(0)} MB`,
      `${manyOurs.peakRss.toFixed(0)} MB`,
    );
    out.push(
      '',
      `Pod informer memory, measured on one cluster: its ${informer.pods.toLocaleString(
        'en',
      )} pods trimmed to the fields the view reads take ${informer.heapMb.toFixed(
        0,
      )} MB of heap (${informer.trimmedJsonMb.toFixed(
        1,
      )} MB as JSON; the full objects are ${informer.fullJsonMb.toFixed(
        1,
      )} MB).`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    for (const b of backends) b.child.kill();
    running.child.kill();
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

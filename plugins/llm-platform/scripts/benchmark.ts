// Benchmark of the LLM Platform tab in headless Chromium: a production build of
// the plugin's dev app, the real API client, and a backend that serves 2,000
// pods and 24 h of metrics over HTTP with ETags, as Express does.
//
//   yarn benchmark [--pods 2000] [--range 24h] [--runs 5] [--refreshes 20] \
//     [--chromium /usr/bin/chromium] [--skip-build] [--write] [--profile FILE]
//
// --profile FILE writes DevTools CPU profiles of the last load (FILE) and of
// the refresh whose metrics moved (FILE-refresh.cpuprofile, with a timeline
// trace FILE-refresh.trace.json beside it).
//
// Prints a markdown report; with --write it replaces the results of the
// "LLM Platform tab" section of docs/benchmarks.md (between its markers).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, Page } from 'playwright-core';
import {
  roundMetricValue,
  withLatestGpuValues,
  type MetricsRange,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { largeWorkloads } from '../src/__fixtures__/workloads';
import { METRICS_END, makeMetrics } from '../src/__fixtures__/metrics';
// A repository script shared by the benchmarks, not part of any package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchmarkSection } from '../../../scripts/bench/docSection';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const PODS = Number(arg('pods', '2000'));
const RANGE = arg('range', '24h') as MetricsRange;
const RUNS = Number(arg('runs', '5'));
const REFRESHES = Number(arg('refreshes', '20'));
const REFRESH_MS = 2000;
/** Writes a CPU profile (`.cpuprofile`, for DevTools) of the last load. */
const PROFILE = process.argv.includes('--profile')
  ? arg('profile', 'tab.cpuprofile')
  : undefined;
const CHROMIUM = arg('chromium', '/usr/bin/chromium');
const PACKAGE_DIR = path.resolve(__dirname, '..');
const DIST = path.join(PACKAGE_DIR, 'dist-dev-app');
// The ports of dev/app-config.dev.yaml, which the build bakes into the app.
const APP_PORT = 3100;
const API_PORT = 7107;
const ENTITY_PATH =
  '/api/llm-platform/v1/entities/component/default/llama-3-8b-instruct';

/** Replaces the llm-platform-tab results in docs/benchmarks.md. */
function writeDoc(text: string) {
  writeBenchmarkSection('llm-platform-tab', text);
}

async function buildDevApp() {
  // The bundler `backstage-cli package build` uses for apps, pointed at dev/.
  // The CLI's own bundler, reached through @backstage/cli, which declares it.
  const {
    buildBundle,
    // eslint-disable-next-line @backstage/no-undeclared-imports
  } = require('@backstage/cli-module-build/dist/lib/bundler/bundle.cjs.js');
  const {
    loadCliConfig,
    // eslint-disable-next-line @backstage/no-undeclared-imports
  } = require('@backstage/cli-module-build/dist/lib/config.cjs.js');
  const cwd = process.cwd();
  process.chdir(PACKAGE_DIR);
  process.env.NODE_ENV = 'production';
  // The bundler's report goes to stderr: stdout is the benchmark's report.
  /* eslint-disable no-console */
  const consoleLog = console.log;
  console.log = console.error;
  /* eslint-enable no-console */
  try {
    await buildBundle({
      targetDir: PACKAGE_DIR,
      entry: 'dev/index',
      dist: 'dist-dev-app',
      statsJsonEnabled: false,
      ...(await loadCliConfig({
        args: [
          path.resolve(PACKAGE_DIR, '../../app-config.yaml'),
          path.resolve(PACKAGE_DIR, 'dev/app-config.dev.yaml'),
        ],
        fromPackage: require(path.join(PACKAGE_DIR, 'package.json')).name,
      })),
    });
  } finally {
    console.log = consoleLog; // eslint-disable-line no-console
    process.chdir(cwd);
  }
}

interface Served {
  status: number;
  bytes: number;
  path: string;
}

const models = ['llama-3-8b-instruct', 'mistral-7b-instruct'];
const gpuNodes = Array.from({ length: 16 }, (_, i) => ({
  node: `ip-10-0-${i}-10.ec2.internal`,
  pod: `llama-3-8b-vllm-${String(i * 8).padStart(4, '0')}`,
}));

/** The backend's two endpoints, each body serialised once, with ETag and 304. */
/** What the tab asks for: each GPU's value now, not its history. */
const metricsPath = (range: MetricsRange) =>
  `${ENTITY_PATH}/metrics?range=${range}&gpuSeries=latest`;

function startApi() {
  const bodies = new Map<string, { body: Buffer; etag: string }>();
  const put = (key: string, value: unknown) => {
    // Numbers rounded as the backend sends them.
    const body = Buffer.from(JSON.stringify(value, roundMetricValue));
    const etag = `W/"${crypto
      .createHash('sha1')
      .update(body)
      .digest('base64')}"`;
    bodies.set(key, { body, etag });
  };
  put(`${ENTITY_PATH}/workloads`, largeWorkloads(PODS));
  for (const range of ['15m', '1h', '6h', '24h', '7d'] as MetricsRange[]) {
    put(
      metricsPath(range),
      withLatestGpuValues(makeMetrics({ range, models, gpuNodes })),
    );
  }
  const served: Served[] = [];
  const server = http.createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', 'ETag');
    res.setHeader('Timing-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader(
        'Access-Control-Allow-Headers',
        req.headers['access-control-request-headers'] ?? '',
      );
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return;
    }
    const entry = bodies.get(req.url ?? '');
    if (!entry) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    res.setHeader('ETag', entry.etag);
    if (req.headers['if-none-match'] === entry.etag) {
      served.push({ status: 304, bytes: 0, path: req.url! });
      res.writeHead(304).end();
      return;
    }
    served.push({ status: 200, bytes: entry.body.length, path: req.url! });
    res
      .writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' })
      .end(entry.body);
  });
  return new Promise<{
    server: http.Server;
    served: Served[];
    bodies: typeof bodies;
    put: typeof put;
  }>(resolve =>
    server.listen(API_PORT, '127.0.0.1', () =>
      resolve({ server, served, bodies, put }),
    ),
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The built app, gzip-compressed as a production server sends it. */
function startStatic() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let file = path.join(DIST, path.normalize(url.pathname));
    if (
      !file.startsWith(DIST) ||
      !fs.existsSync(file) ||
      fs.statSync(file).isDirectory()
    ) {
      file = path.join(DIST, 'index.html');
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip' });
    res.end(zlib.gzipSync(fs.readFileSync(file)));
  });
  return new Promise<http.Server>(resolve =>
    server.listen(APP_PORT, '127.0.0.1', () => resolve(server)),
  );
}

/** True once summary, every chart, the GPU bars and the first pod rows are drawn. */
const FULLY_DRAWN = `(() => {
  const tile = name => document.querySelector('section[aria-label="' + name + '"]');
  const ready = ['Pods ready', 'GPUs in use', 'p95 end-to-end latency', 'KV-cache usage']
    .every(name => tile(name) && !tile(name).hasAttribute('aria-busy'));
  const charts = [...document.querySelectorAll('figure[role=figure]')];
  const drawn = charts.length === 7 && charts.every(f => f.querySelector('svg path[class*=MuiLineElement]'));
  const bars = document.querySelectorAll('[role=progressbar][aria-valuetext]').length > 0;
  const rows = document.querySelectorAll('table[aria-label=Pods] th[scope=row]').length > 0;
  return ready && drawn && bars && rows;
})()`;

const PODS_SHOWN = `(() => {
  const tile = document.querySelector('section[aria-label="Pods ready"]');
  return !!tile && !tile.hasAttribute('aria-busy');
})()`;

async function timeToDrawn(page: Page, url: string, profileFile?: string) {
  await page.addInitScript(`
    window.__marks = {};
    const check = () => {
      if (!window.__marks.pods && ${PODS_SHOWN}) window.__marks.pods = performance.now();
      if (${FULLY_DRAWN}) { window.__marks.drawn = performance.now(); return; }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
    window.__longtasks = [];
    new PerformanceObserver(list => window.__longtasks.push(
      ...list.getEntries().map(e => ({ start: e.startTime, duration: e.duration })),
    )).observe({ type: 'longtask', buffered: true });
  `);
  const cdp = profileFile
    ? await page.context().newCDPSession(page)
    : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await page.goto(url);
  await page.waitForFunction('window.__marks && window.__marks.drawn', null, {
    timeout: 120_000,
  });
  if (cdp && profileFile) {
    const { profile } = await cdp.send('Profiler.stop');
    fs.writeFileSync(profileFile, JSON.stringify(profile));
  }
  return page.evaluate(`({
    ...window.__marks,
    // When the tab's first request left: what the app and the lazy chunks cost before it.
    request: performance.getEntriesByType('resource')
      .find(e => e.name.endsWith('/workloads')).startTime,
    // Every script the page loaded, in order, to find the tab's lazy chunks.
    scripts: performance.getEntriesByType('resource')
      .filter(e => e.name.endsWith('.js'))
      .map(e => ({ file: e.name.split('/').pop(), start: e.startTime })),
  })`) as Promise<{
    pods: number;
    drawn: number;
    request: number;
    scripts: { file: string; start: number }[];
  }>;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** When the page requested the chunk that holds the tab. */
function tabChunkStart(scripts: { file: string; start: number }[]) {
  return scripts.find(({ file }) =>
    fs
      .readFileSync(path.join(DIST, 'static', file))
      .includes('Inference latency and throughput'),
  )!.start;
}

/** Size of a built chunk, minified and gzip-compressed. */
function chunkSize(file: string) {
  const text = fs.readFileSync(path.join(DIST, 'static', file));
  return { file, raw: text.length, gzip: zlib.gzipSync(text).length };
}

async function main() {
  if (!process.argv.includes('--skip-build')) {
    await buildDevApp();
  }
  const api = await startApi();
  const app = await startStatic();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const loadBefore = os.loadavg()[0];
  const chromiumVersion = browser.version();
  const url = `http://localhost:${APP_PORT}/?api=http&range=${RANGE}`;
  try {
    // 1. From navigation to the tab fully drawn, each run in a fresh profile.
    const loads: Awaited<ReturnType<typeof timeToDrawn>>[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const context = await browser.newContext({
        viewport: { width: 1440, height: 1000 },
      });
      const page = await context.newPage();
      const marks = await timeToDrawn(
        page,
        `${url}&refresh=600000`,
        run === RUNS ? PROFILE : undefined,
      );
      if (run > 0) loads.push(marks); // the first run warms the OS file cache
      await context.close();
    }

    // 2. Refreshes every 2 s with unchanged data.
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await timeToDrawn(page, `${url}&refresh=${REFRESH_MS}`);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await page.waitForTimeout(1000);
    const heapAfterLoad = await heap();
    const drawnAt = (await page.evaluate('performance.now()')) as number;
    await page.evaluate(`
      window.__mutations = 0;
      new MutationObserver(records => { window.__mutations += records.length; })
        .observe(document.querySelector('table[aria-label=Pods] tbody'),
          { subtree: true, childList: true, characterData: true, attributes: true });
    `);
    const servedBefore = api.served.length;
    const workloadCalls = () =>
      api.served.slice(servedBefore).filter(s => s.path.endsWith('/workloads'))
        .length;
    // No forced GC until the end: it would show up as a long task.
    while (workloadCalls() < REFRESHES) {
      await page.waitForTimeout(REFRESH_MS);
    }
    await page.waitForTimeout(500);
    const longTasksJson = await page.evaluate(
      'JSON.stringify(window.__longtasks)',
    );
    const heapAfter = await heap();
    const refreshServed = api.served.slice(servedBefore);
    const longTasks = (
      JSON.parse(longTasksJson as string) as {
        start: number;
        duration: number;
      }[]
    ).filter(t => t.start > drawnAt);
    const mutations = (await page.evaluate('window.__mutations')) as number;

    // 3. One refresh in which one pod on the first page restarted.
    const changed = largeWorkloads(PODS);
    if (changed.status === 'ok') {
      const pod = changed.clusters[0].pods.find(
        p => p.name === 'llama-3-8b-vllm-0004',
      )!;
      pod.restarts = (pod.restarts ?? 0) + 1;
      const container = pod.containers?.[0];
      if (container) container.restartCount = (container.restartCount ?? 0) + 1;
    }
    api.put(`${ENTITY_PATH}/workloads`, changed);
    await page.evaluate('window.__mutations = 0; window.__longtasks = []');
    const changedFrom = api.served.length;
    while (
      !api.served.slice(changedFrom).some(s => s.path.endsWith('/workloads'))
    ) {
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(1000);
    const changedServed = api.served
      .slice(changedFrom)
      .filter(s => s.path.endsWith('/workloads'))[0];
    const changedMutations = (await page.evaluate(
      'window.__mutations',
    )) as number;
    const changedLongTasks = JSON.parse(
      (await page.evaluate('JSON.stringify(window.__longtasks)')) as string,
    ) as { duration: number }[];

    // 4. One refresh in which the metrics moved on by 15 s (as every poll
    // of a live range does): every series is new.
    api.put(
      metricsPath(RANGE),
      withLatestGpuValues(
        makeMetrics({ range: RANGE, models, gpuNodes, end: METRICS_END + 15 }),
      ),
    );
    const profiler = PROFILE ? await context.newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
    }
    if (PROFILE) {
      await browser.startTracing(page, {
        path: PROFILE.replace(/(\.cpuprofile)?$/, '-refresh.trace.json'),
        categories: ['devtools.timeline', 'v8.execute'],
      });
    }
    await page.evaluate('window.__longtasks = []');
    const movedFrom = api.served.length;
    while (
      !api.served.slice(movedFrom).some(s => s.path.includes('/metrics?'))
    ) {
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(1000);
    if (PROFILE) await browser.stopTracing();
    if (profiler && PROFILE) {
      const { profile } = await profiler.send('Profiler.stop');
      fs.writeFileSync(
        PROFILE.replace(/(\.cpuprofile)?$/, '-refresh$1'),
        JSON.stringify(profile),
      );
    }
    const movedLongTasks = JSON.parse(
      (await page.evaluate('JSON.stringify(window.__longtasks)')) as string,
    ) as { duration: number }[];

    // 5. As many refreshes again, each with the metrics moved on by 15 s more.
    const heapBeforeMoving = await heap();
    let heapMidMoving = heapBeforeMoving;
    for (let i = 2; i <= REFRESHES + 1; i++) {
      if (i === Math.ceil(REFRESHES / 2) + 2) heapMidMoving = await heap();
      api.put(
        metricsPath(RANGE),
        withLatestGpuValues(
          makeMetrics({
            range: RANGE,
            models,
            gpuNodes,
            end: METRICS_END + 15 * i,
          }),
        ),
      );
      const from = api.served.length;
      while (
        !api.served
          .slice(from)
          .some(s => s.path.includes('/metrics?') && s.status === 200)
      ) {
        await page.waitForTimeout(200);
      }
    }
    await page.waitForTimeout(1000);
    const heapAfterMoving = await heap();
    await context.close();

    const workloadsBytes = api.bodies.get(`${ENTITY_PATH}/workloads`)!.body
      .length;
    const metricsBytes = api.bodies.get(metricsPath(RANGE))!.body.length;
    // The tab's chunks: the one that holds the tab, and every script loaded after it.
    const scripts = loads[0].scripts;
    const tabIndex = scripts.findIndex(({ file }) =>
      fs
        .readFileSync(path.join(DIST, 'static', file))
        .includes('Inference latency and throughput'),
    );
    const chunks = scripts.slice(tabIndex).map(({ file }) => chunkSize(file));
    const command = `yarn --cwd plugins/llm-platform benchmark --pods ${PODS} --range ${RANGE} --runs ${RUNS} --refreshes ${REFRESHES}`;
    const lines = [
      `Command: \`${command}\`. Chromium ${chromiumVersion}, Node ${
        process.version
      }, ${os.cpus().length} cores, load average ${loadBefore.toFixed(
        1,
      )} before and ${os.loadavg()[0].toFixed(1)} after the run (1 min).`,
      '',
      `Measured ${new Date()
        .toISOString()
        .slice(
          0,
          16,
        )}Z, headless Chromium, production build of the plugin's dev app,`,
      `${PODS} pods on ${Math.ceil(
        PODS / 8,
      )} GPU nodes, ${RANGE} of metrics for two models and 16 GPUs`,
      `(workloads ${mb(workloadsBytes)}, metrics ${mb(
        metricsBytes,
      )} of JSON), ${RUNS} runs after one warm-up.`,
      '',
      '| measure | result |',
      '| --- | --- |',
      `| navigation → the tab's lazy chunk is requested (the app has started), median | ${median(
        loads.map(l => tabChunkStart(l.scripts)),
      ).toFixed(0)} ms |`,
      `| navigation → the tab's first request leaves (app and lazy chunks loaded), median | ${median(
        loads.map(l => l.request),
      ).toFixed(0)} ms |`,
      `| navigation → pod count shown, median | ${median(
        loads.map(l => l.pods),
      ).toFixed(0)} ms (runs: ${loads
        .map(l => l.pods.toFixed(0))
        .join(', ')}) |`,
      `| navigation → tab fully drawn (summary, 7 charts, GPU bars, first rows), median | ${median(
        loads.map(l => l.drawn),
      ).toFixed(0)} ms (runs: ${loads
        .map(l => l.drawn.toFixed(0))
        .join(', ')}) |`,
      `| ${REFRESHES} refreshes, unchanged data: responses | ${
        refreshServed.filter(s => s.status === 304).length
      } × 304, ${
        refreshServed.filter(s => s.status === 200).length
      } × 200, ${kb(
        refreshServed.reduce((sum, s) => sum + s.bytes, 0),
      )} of bodies |`,
      `| long tasks (> 50 ms) during those refreshes | ${longTasks.length}${
        longTasks.length
          ? ` (longest ${Math.max(...longTasks.map(t => t.duration)).toFixed(
              0,
            )} ms)`
          : ''
      } |`,
      `| DOM mutations in the pod table during those refreshes | ${mutations} |`,
      `| one refresh where one pod on the first page restarted | ${
        changedServed.status
      }, ${kb(
        changedServed.bytes,
      )}; ${changedMutations} DOM mutation(s) in the pod table; ${
        changedLongTasks.length
      } long task(s)${
        changedLongTasks.length
          ? ` (longest ${Math.max(
              ...changedLongTasks.map(t => t.duration),
            ).toFixed(0)} ms)`
          : ''
      } |`,
      `| one refresh where the metrics moved on by 15 s (every series new) | ${
        movedLongTasks.length
      } long task(s)${
        movedLongTasks.length
          ? ` (longest ${Math.max(
              ...movedLongTasks.map(t => t.duration),
            ).toFixed(0)} ms)`
          : ''
      } |`,
      `| JS heap after GC over ${REFRESHES} refreshes whose metrics moved on (each a 200 with every series new): before → after ${Math.ceil(
        REFRESHES / 2,
      )} → after ${REFRESHES} | ${mb(heapBeforeMoving)} → ${mb(
        heapMidMoving,
      )} → ${mb(heapAfterMoving)} |`,
      `| JS heap after GC: after load → after ${REFRESHES} refreshes | ${mb(
        heapAfterLoad,
      )} → ${mb(heapAfter)} |`,
      `| scripts loaded lazily for the tab (${chunks.length} chunks: ${chunks
        .map(c => kb(c.gzip))
        .join(' + ')}) | ${kb(
        chunks.reduce((n, c) => n + c.gzip, 0),
      )} gzip, ${kb(chunks.reduce((n, c) => n + c.raw, 0))} minified |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (process.argv.includes('--write')) writeDoc(lines.join('\n'));
  } finally {
    await browser.close();
    app.close();
    api.server.close();
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

// Benchmark of the real portal in headless Chromium: the official Kubernetes
// tab and the LLM Platform tab, for the same entity, in the same run.
//
//   yarn workspace app benchmark:portal [--pods 200,2000] [--runs 5] [--polls 5]
//     [--chromium /usr/bin/chromium] [--skip-build] [--write] [--timeline]
//
// --timeline prints, instead of the report, where one full load of each tab
// spends its time (every request, long tasks, paints), in a new browser and
// as a returning visitor, and writes a CPU profile of each to the temporary
// directory, for Chromium's DevTools.
//
// The production build of this package is served by the real backend
// (packages/backend, started without a file watcher), which runs the official
// kubernetes-backend and LLM Platform's backend side by side. Both read one
// simulated cluster (the repository's KubernetesSimulator, loaded by the fleet
// generator of the workload benchmark) through the same cluster config, and
// LLM Platform reads 24 h of vLLM and DCGM history from Debian's Prometheus,
// backfilled by the metrics tests' generator. Prints a markdown report; with
// --write it replaces the "Portal" results in docs/benchmarks.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
/* eslint-disable @backstage/no-relative-monorepo-imports */
import {
  generateFleet,
  startScenario,
} from '../../../plugins/llm-platform-backend/src/testing';
import { modelProfile } from '../../../plugins/llm-platform-backend/src/metrics/testing/generator';
import { startPrometheus } from '../../../plugins/llm-platform-backend/src/metrics/testing/prometheusHarness';
// A repository script shared by the benchmarks, not part of any package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchmarkSection } from '../../../scripts/bench/docSection';
import { freePort, waitForUrl } from '../src/e2e/__testUtils__/portal';
/* eslint-enable @backstage/no-relative-monorepo-imports */

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const POD_COUNTS = arg('pods', '2000').split(',').map(Number);
const RUNS = Number(arg('runs', '5'));
const POLLS = Number(arg('polls', '5'));
const CHROMIUM = arg('chromium', '/usr/bin/chromium');
const WRITE = process.argv.includes('--write');
// Print each tab's full-load timelines (new browser, returning visitor) instead of the report.
const TIMELINE = process.argv.includes('--timeline');
const REPO = path.resolve(__dirname, '../../..');
const APP_DIST = path.resolve(__dirname, '../dist');
const ENTITY = 'vllm-fleet';
const ENTITY_PATH = `/catalog/default/component/${ENTITY}`;
// What the fleet generator's vLLM containers serve (their --model argument).
const MODEL = 'TheBloke/Mistral-7B-Instruct-v0.2-AWQ';
const NAMESPACE = 'serving';
const POLL_SECONDS = 10; // both tabs' default refresh interval

/** What to stop if the benchmark is interrupted, newest first. */
const running = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    for (const stop of [...running].reverse()) {
      await stop().catch(() => undefined);
    }
    process.exit(130);
  });
}

const log = (message: string) =>
  process.stderr.write(
    `[${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );

/** The real backend, without a file watcher, serving the built app. */
async function startBackend(options: {
  dir: string;
  clusterUrl: string;
  clusterToken: string;
  prometheusUrl: string;
}) {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const entityFile = path.join(options.dir, 'entity.yaml');
  fs.writeFileSync(
    entityFile,
    JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: ENTITY,
        title: 'vLLM fleet',
        annotations: {
          'backstage.io/kubernetes-id': ENTITY,
          'backstage.io/kubernetes-namespace': NAMESPACE,
          'llm-platform.io/model-names': MODEL,
        },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'guest' },
    }),
  );
  const config = path.join(options.dir, 'app-config.benchmark.yaml');
  fs.writeFileSync(
    config,
    JSON.stringify({
      app: {
        baseUrl,
        extensions: [
          { 'page:catalog': { config: { path: '/' } } },
          // The issue's measure is at 24 h; both tabs poll every 10 s.
          {
            'entity-content:llm-platform': {
              config: {
                defaultRange: '24h',
                refreshIntervalSeconds: POLL_SECONDS,
              },
            },
          },
        ],
      },
      backend: {
        baseUrl,
        listen: { port },
        cors: { origin: baseUrl },
      },
      catalog: { locations: [{ type: 'file', target: entityFile }] },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'bench',
                url: options.clusterUrl,
                authProvider: 'serviceAccount',
                serviceAccountToken: options.clusterToken,
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
      llmPlatform: {
        localPublisher: { baseDir: path.join(options.dir, 'repos') },
        prometheus: {
          instances: [
            {
              name: 'bench',
              url: options.prometheusUrl,
              clusters: ['bench'],
              scrapeInterval: '60s',
            },
          ],
        },
      },
    }),
  );
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.join(REPO, 'app-config.yaml'),
      '--config',
      config,
    ],
    {
      cwd: path.join(REPO, 'packages/backend'),
      detached: true,
      env: { ...process.env, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', d => output.push(String(d)));
  child.stderr!.on('data', d => output.push(String(d)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(
      () => process.kill(-child.pid!, 'SIGKILL'),
      15_000,
    );
    await exited;
    clearTimeout(timer);
    running.delete(stop);
  };
  running.add(stop);
  try {
    await waitForUrl(`${baseUrl}/api/llm-platform/health`, child, output);
    await waitForUrl(baseUrl, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop, output };
}

// Conditions checked in every animation frame, in the page.

/** The official tab's cluster summary shows the pod count. */
const officialPodsShown = (pods: number) => `(() => document.evaluate(
  "//main//*[text()[normalize-space(.)='${pods} pods']]", document, null,
  XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue !== null)()`;

/** LLM Platform's pod count tile has its value. */
const OURS_PODS_SHOWN = `(() => {
  const tile = document.querySelector('section[aria-label="Pods ready"]');
  return !!tile && !tile.hasAttribute('aria-busy');
})()`;

/** Summary, every chart, the GPU bars and the first pod rows are drawn. */
const OURS_FULLY_DRAWN = `(() => {
  const tile = name => document.querySelector('section[aria-label="' + name + '"]');
  const ready = ['Pods ready', 'GPUs in use', 'p95 end-to-end latency', 'KV-cache usage']
    .every(name => tile(name) && !tile(name).hasAttribute('aria-busy'));
  const charts = [...document.querySelectorAll('figure[role=figure]')];
  const drawn = charts.length === 7 && charts.every(f => f.querySelector('svg path[class*=MuiLineElement]'));
  const bars = document.querySelectorAll('[role=progressbar][aria-valuetext]').length > 0;
  const rows = document.querySelectorAll('table[aria-label=Pods] th[scope=row]').length > 0;
  return ready && drawn && bars && rows;
})()`;

/** The charts' lines, to see that a range change redrew them. */
const CHART_LINES = `[...document.querySelectorAll('figure[role=figure] svg path[class*=MuiLineElement]')]
  .map(p => p.getAttribute('d')).join('|')`;

/**
 * Installed before the page's own scripts: long tasks, a large resource
 * timing buffer, and a frame loop that stamps `window.__marks[name]` the
 * first frame each condition of `window.__watch` holds.
 */
const INIT = `
  performance.setResourceTimingBufferSize(100000);
  window.__longtasks = [];
  new PerformanceObserver(list => window.__longtasks.push(
    ...list.getEntries().map(e => ({ start: e.startTime, duration: e.duration })),
  )).observe({ type: 'longtask', buffered: true });
  window.__marks = {};
  window.__watch = window.__watch || {};
  const loop = () => {
    for (const [name, check] of Object.entries(window.__watch)) {
      if (window.__marks[name] === undefined && check()) window.__marks[name] = performance.now();
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  document.addEventListener('click', e => { window.__clickAt = e.timeStamp; }, true);
`;

type Tab = 'official' | 'ours';
const TAB_LINK: Record<Tab, string> = {
  official: 'Kubernetes',
  ours: 'LLM Platform',
};
const TAB_PATH: Record<Tab, string> = {
  official: 'kubernetes',
  ours: 'llm-platform',
};

function watches(tab: Tab, pods: number): Record<string, string> {
  return tab === 'official'
    ? { pods: officialPodsShown(pods) }
    : { pods: OURS_PODS_SHOWN, drawn: OURS_FULLY_DRAWN };
}

const watchScript = (conditions: Record<string, string>) =>
  `window.__watch = { ${Object.entries(conditions)
    .map(([name, check]) => `${name}: () => ${check}`)
    .join(', ')} };`;

const done = (tab: Tab) => (tab === 'official' ? 'pods' : 'drawn');

interface Sample {
  pods: number;
  drawn?: number;
  scripts: { file: string; start: number }[];
  /** When each of the tab's API requests left and its response finished, by endpoint. */
  responses: Record<string, ResponseTiming>;
}

/** The endpoint an API request went to, as the report names it. */
function endpointOf(url: string) {
  // The entity page asks the catalog for its entity before it draws any tab.
  if (url.includes('/api/catalog/entities/by-name/')) return 'entity';
  if (url.includes('/api/kubernetes/services/')) return 'services';
  if (url.includes('/api/llm-platform/') && url.includes('/workloads')) {
    return 'workloads';
  }
  if (url.includes('/api/llm-platform/') && url.includes('/metrics')) {
    return 'metrics';
  }
  return undefined;
}
/** The same, to run in the page. */
const ENDPOINT = `(${endpointOf.toString()})`;

/** One API request, in ms from the click or navigation; `server` from its `Server-Timing`. */
interface ResponseTiming {
  start: number;
  end: number;
  server?: number;
}

/** Start and end of the first request of each endpoint after `since`, from `since`. */
async function responsesSince(page: Page, since: number) {
  return JSON.parse(
    (await page.evaluate(`JSON.stringify(Object.fromEntries(
      performance.getEntriesByType('resource')
        .filter(e => e.startTime >= ${since} && ${ENDPOINT}(e.name))
        .reverse()
        .map(e => [${ENDPOINT}(e.name), {
          start: e.startTime - ${since},
          end: e.responseEnd - ${since},
          server: (e.serverTiming.find(t => t.name === 'app') || {}).duration,
        }])))`)) as string,
  ) as Record<string, ResponseTiming>;
}

async function newPage(browser: Browser, storageState: any) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    storageState,
  });
  const page = await context.newPage();
  await page.addInitScript(INIT);
  return { context, page };
}

async function waitMark(page: Page, name: string) {
  await page.waitForFunction(
    `window.__marks && window.__marks.${name} !== undefined`,
    null,
    { timeout: 180_000, polling: 100 },
  );
}

async function scriptsSince(page: Page, since: number) {
  return (await page.evaluate(`performance.getEntriesByType('resource')
    .filter(e => e.name.endsWith('.js') && e.startTime >= ${since})
    .map(e => ({ file: e.name.split('/').pop(), start: e.startTime }))`)) as {
    file: string;
    start: number;
  }[];
}

/** From the entity's overview (app booted), click the tab. Times from the click. */
async function inApp(
  page: Page,
  appUrl: string,
  tab: Tab,
  pods: number,
): Promise<Sample> {
  await page.goto(`${appUrl}${ENTITY_PATH}`);
  const link = page.getByRole('link', { name: TAB_LINK[tab], exact: true });
  await link.waitFor({ timeout: 120_000 });
  await page
    .getByRole('heading', { name: 'About' })
    .waitFor({ timeout: 120_000 });
  await page.waitForTimeout(500);
  await page.evaluate(
    `window.__clickAt = undefined; window.__marks = {}; ${watchScript(
      watches(tab, pods),
    )}`,
  );
  await link.click();
  await waitMark(page, done(tab));
  const m = (await page.evaluate(
    'JSON.stringify({ clickAt: window.__clickAt, marks: window.__marks })',
  )) as string;
  const { clickAt, marks } = JSON.parse(m);
  return {
    pods: marks.pods - clickAt,
    drawn: marks.drawn === undefined ? undefined : marks.drawn - clickAt,
    scripts: await scriptsSince(page, clickAt),
    responses: await responsesSince(page, clickAt),
  };
}

/**
 * A full page load of the tab's URL. Times from navigation start. With
 * `visitsBefore`, the same browser has loaded the URL that many times before
 * (a returning visitor: the portal's scripts in the HTTP cache, and from the
 * third load V8's code cache), and the last load is timed.
 */
async function fullLoad(
  page: Page,
  appUrl: string,
  tab: Tab,
  pods: number,
  visitsBefore = 0,
): Promise<Sample> {
  await page.addInitScript(watchScript(watches(tab, pods)));
  for (let visit = 0; visit <= visitsBefore; visit++) {
    await page.goto(`${appUrl}${ENTITY_PATH}/${TAB_PATH[tab]}`);
    await waitMark(page, done(tab));
  }
  const marks = JSON.parse(
    (await page.evaluate('JSON.stringify(window.__marks)')) as string,
  );
  return {
    pods: marks.pods,
    drawn: marks.drawn,
    scripts: await scriptsSince(page, 0),
    responses: await responsesSince(page, 0),
  };
}

/**
 * Where a full load of each tab spends its time: every request (start → end,
 * from navigation start), long tasks, paints and the tab's marks, from the
 * third load of each (two warm-ups): in a new browser context each time, and
 * as a returning visitor (all three in one context, caches warm).
 */
async function timelines(
  browser: Browser,
  storageState: any,
  appUrl: string,
  pods: number,
): Promise<string[]> {
  const lines: string[] = [];
  const kinds = [
    { kind: 'full load', file: 'cold', sameBrowser: false },
    { kind: 'returning visitor', file: 'returning', sameBrowser: true },
  ];
  for (const tab of ['official', 'ours'] as const) {
    for (const { kind, file: fileKind, sameBrowser } of kinds) {
      // The returning visitor's three loads share one browser context.
      let shared: Awaited<ReturnType<typeof newPage>> | undefined;
      for (let i = 0; i < 3; i++) {
        const { context, page } = sameBrowser
          ? (shared ??= await newPage(browser, storageState))
          : await newPage(browser, storageState);
        try {
          const cdp = i === 2 ? await context.newCDPSession(page) : undefined;
          if (cdp) {
            await cdp.send('Profiler.enable');
            await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
            await cdp.send('Profiler.start');
          }
          await fullLoad(page, appUrl, tab, pods);
          if (!cdp) continue;
          const { profile } = await cdp.send('Profiler.stop');
          const file = path.join(
            os.tmpdir(),
            `llmp-portal-${tab}-${fileKind}.cpuprofile`,
          );
          fs.writeFileSync(file, JSON.stringify(profile));
          log(`${tab}: CPU profile of the ${kind} in ${file}`);
          const t = JSON.parse(
            (await page.evaluate(`JSON.stringify({
                marks: window.__marks,
                longtasks: window.__longtasks,
                nav: performance.getEntriesByType('navigation').map(e => ({
                  ttfb: e.responseStart, domInteractive: e.domInteractive,
                  domContentLoaded: e.domContentLoadedEventEnd, load: e.loadEventEnd })),
                paints: performance.getEntriesByType('paint').map(e => [e.name, e.startTime]),
                resources: performance.getEntriesByType('resource').map(e => ({
                  name: e.name.replace(location.origin, ''), start: e.startTime,
                  end: e.responseEnd, bytes: e.transferSize, body: e.decodedBodySize })),
              })`)) as string,
          );
          const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;
          lines.push(`## ${tab}, ${pods} pods: ${kind}`, '');
          lines.push(`marks: ${JSON.stringify(t.marks)}`);
          lines.push(`navigation: ${JSON.stringify(t.nav)}`);
          lines.push(`paints: ${JSON.stringify(t.paints)}`);
          for (const r of t.resources) {
            lines.push(
              `${ms(r.start)} → ${ms(r.end)}  ${(r.bytes / 1024)
                .toFixed(1)
                .padStart(7)} kB (${(r.body / 1024).toFixed(
                1,
              )} kB)  ${r.name.slice(0, 120)}`,
            );
          }
          for (const l of t.longtasks) {
            lines.push(`long task at ${ms(l.start)} for ${ms(l.duration)}`);
          }
          lines.push('');
        } finally {
          if (!sameBrowser || i === 2) await context.close();
        }
      }
    }
  }
  return lines;
}

/** Click "Last 6h" (or back to "Last 24h") and time until the charts are redrawn. */
async function rangeChange(page: Page, to: '6h' | '24h') {
  const before = JSON.stringify(await page.evaluate(CHART_LINES));
  await page.evaluate(
    `window.__clickAt = undefined; window.__marks = {}; window.__watch = { redrawn: () =>
      !document.querySelector('[aria-label="Loading metrics"]') && ${OURS_FULLY_DRAWN}
      && (${CHART_LINES}) !== ${before} };`,
  );
  await page.getByRole('button', { name: `Last ${to}` }).click();
  await waitMark(page, 'redrawn');
  return (await page.evaluate(
    'window.__marks.redrawn - window.__clickAt',
  )) as number;
}

interface PollResult {
  responses: {
    endpoint: string;
    status: number;
    transfer: number;
    decoded: number;
  }[];
  longTasks: { duration: number; after: string }[];
  mutations?: number;
  heapBefore: number;
  /** After GC once half the polls have come back. */
  heapHalfway: number;
  heapAfter: number;
}

/** Opens the tab, lets it poll POLLS times, and reads what each poll cost. */
async function polls(
  browser: Browser,
  storageState: any,
  appUrl: string,
  tab: Tab,
  pods: number,
): Promise<PollResult> {
  const { context, page } = await newPage(browser, storageState);
  try {
    await fullLoad(page, appUrl, tab, pods);
    const cdp = await context.newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    // Bytes as the network layer counts them: on the wire (headers and the
    // compressed body) and the decoded body.
    const network = new Map<
      string,
      { url: string; status: number; encoded: number; decoded: number }
    >();
    let counting = false;
    cdp.on('Network.responseReceived', e => {
      if (counting) {
        network.set(e.requestId, {
          url: e.response.url,
          status: e.response.status,
          encoded: 0,
          decoded: 0,
        });
      }
    });
    cdp.on('Network.dataReceived', e => {
      const r = network.get(e.requestId);
      if (r) r.decoded += e.dataLength;
    });
    cdp.on('Network.loadingFinished', e => {
      const r = network.get(e.requestId);
      if (r) r.encoded = e.encodedDataLength;
    });
    await cdp.send('Network.enable');
    await page.waitForTimeout(1500);
    const heapBefore = await heap();
    const since = (await page.evaluate('performance.now()')) as number;
    counting = true;
    if (tab === 'ours') {
      await page.evaluate(`
        window.__mutations = 0;
        new MutationObserver(records => { window.__mutations += records.length; })
          .observe(document.querySelector('table[aria-label=Pods] tbody'),
            { subtree: true, childList: true, characterData: true, attributes: true });
      `);
    }
    const api =
      tab === 'official' ? '/api/kubernetes/services/' : '/api/llm-platform/';
    const pollUrl = tab === 'official' ? api : '/workloads';
    const entries = async () =>
      JSON.parse(
        (await page.evaluate(`JSON.stringify(performance.getEntriesByType('resource')
          .filter(e => e.name.includes('${api}') && e.startTime > ${since} && e.responseEnd > 0)
          .map(e => ({ name: e.name, endpoint: ${ENDPOINT}(e.name), status: e.responseStatus,
            end: e.responseEnd })))`)) as string,
      ) as { name: string; endpoint: string; status: number; end: number }[];
    // One forced GC halfway and one at the end, to see whether the heap
    // still grows between them; the long task the first makes is left out.
    let heapHalfway: number | undefined;
    let gcWindow: [number, number] | undefined;
    for (;;) {
      const polled = (await entries()).filter(e =>
        e.name.includes(pollUrl),
      ).length;
      if (polled >= POLLS) break;
      if (heapHalfway === undefined && polled >= Math.ceil(POLLS / 2)) {
        const from = (await page.evaluate('performance.now()')) as number;
        heapHalfway = await heap();
        gcWindow = [from, (await page.evaluate('performance.now()')) as number];
      }
      await page.waitForTimeout(1000);
    }
    await page.waitForTimeout(2000); // the last poll's render
    const timings = await entries();
    const tasks = (
      JSON.parse(
        (await page.evaluate(
          `JSON.stringify(window.__longtasks.filter(t => t.start > ${since}))`,
        )) as string,
      ) as { start: number; duration: number }[]
    ).filter(
      t => !gcWindow || t.start < gcWindow[0] - 5 || t.start > gcWindow[1],
    );
    // Each long task, with the response that had arrived last before it.
    const longTasks = tasks.map(t => {
      const before = timings
        .filter(r => r.end <= t.start + 5)
        .sort((a, b) => b.end - a.end)[0];
      return {
        duration: t.duration,
        after: before ? `${before.endpoint} ${before.status}` : 'other',
      };
    });
    const responses = [...network.values()]
      .filter(r => r.url.includes(api))
      .map(r => ({
        endpoint: endpointOf(r.url) ?? 'other',
        status: r.status,
        transfer: r.encoded,
        decoded: r.decoded,
      }));
    const mutations =
      tab === 'ours'
        ? ((await page.evaluate('window.__mutations')) as number)
        : undefined;
    const heapAfter = await heap();
    return {
      responses,
      longTasks,
      mutations,
      heapBefore,
      heapHalfway: heapHalfway ?? heapAfter,
      heapAfter,
    };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (v: number) => `${v.toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const size = (bytes: number) => (bytes >= 1024 * 1024 ? mb(bytes) : kb(bytes));
const runsOf = (values: number[]) =>
  `${ms(median(values))} (runs: ${values.map(v => v.toFixed(0)).join(', ')})`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}`;

/** Size of the scripts a tab loaded lazily, from the built files. */
function chunkSizes(scripts: { file: string }[]) {
  const files = [...new Set(scripts.map(s => s.file))];
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.join(APP_DIST, 'static', file));
    raw += text.length;
    gzip += zlib.gzipSync(text).length;
  }
  return { count: files.length, raw, gzip };
}

function pollSummary(result: PollResult) {
  const endpoints = [...new Set(result.responses.map(r => r.endpoint))];
  const statuses = endpoints
    .map(endpoint => {
      const byStatus = new Map<number, number>();
      result.responses
        .filter(r => r.endpoint === endpoint)
        .forEach(r =>
          byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1),
        );
      return `${endpoint}: ${[...byStatus.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${n} × ${status}`)
        .join(', ')}`;
    })
    .join('; ');
  // Mean size of a response, per endpoint and status.
  const groups = [
    ...new Set(result.responses.map(r => `${r.endpoint} ${r.status}`)),
  ].sort();
  const bytes = groups
    .map(group => {
      const rs = result.responses.filter(
        r => `${r.endpoint} ${r.status}` === group,
      );
      const mean = (f: (r: (typeof rs)[number]) => number) =>
        rs.reduce((n, r) => n + f(r), 0) / rs.length;
      return `${group}: ${size(mean(r => r.transfer))} (${size(
        mean(r => r.decoded),
      )})`;
    })
    .join('; ');
  const count = (tasks: { duration: number }[]) =>
    `${tasks.length}${
      tasks.length
        ? ` (longest ${ms(Math.max(...tasks.map(t => t.duration)))})`
        : ''
    }`;
  const after = [...new Set(result.longTasks.map(t => t.after))].sort();
  return {
    statuses,
    bytes,
    longTasks: count(result.longTasks),
    longTasksAfter:
      after
        .map(
          a =>
            `after ${a}: ${count(result.longTasks.filter(t => t.after === a))}`,
        )
        .join('; ') || '–',
  };
}

/** Median times at which each endpoint's request left and its response had arrived. */
function responseTimes(samples: Sample[]) {
  // The catalog's answer first: every tab of the entity page waits for it.
  const endpoints = [
    ...new Set(samples.flatMap(s => Object.keys(s.responses))),
  ].sort((a, b) => Number(b === 'entity') - Number(a === 'entity'));
  return endpoints
    .map(endpoint => {
      const timings = samples.flatMap(s =>
        s.responses[endpoint] ? [s.responses[endpoint]] : [],
      );
      const servers = timings.flatMap(t =>
        t.server !== undefined ? [t.server] : [],
      );
      return `${endpoint} ${ms(median(timings.map(t => t.end)))} (sent at ${ms(
        median(timings.map(t => t.start)),
      )}${servers.length ? `, server ${ms(median(servers))}` : ''})`;
    })
    .join(', ');
}

async function measure(
  browser: Browser,
  pods: number,
  prometheusUrl: string,
): Promise<string[]> {
  const scenario = {
    name: `portal-${pods}`,
    description: `One cluster with ${pods} pods of the entity`,
    entity: { kubernetesId: ENTITY },
    expectRules: [],
    // The workload benchmark's fleet, one cluster: the entity's pods on
    // 8-GPU nodes and as many pods of other teams.
    clusters: generateFleet({
      clusters: 1,
      podsPerCluster: pods * 2,
      entityPodsPerCluster: pods,
      gpuNodes: Math.ceil(pods / 8),
      generalNodes: 50,
      kubernetesId: ENTITY,
    }),
  };
  log(`${pods} pods: starting the simulated cluster and the backend`);
  const cluster = await startScenario(scenario);
  const stopCluster = () => cluster.stop();
  running.add(stopCluster);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmp-portal-bench-'));
  let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
  let context: BrowserContext | undefined;
  try {
    backend = await startBackend({
      dir,
      clusterUrl: cluster.clusters[0].url,
      clusterToken: cluster.clusters[0].token,
      prometheusUrl,
    });
    const appUrl = backend.baseUrl;

    // Sign in once as guest and wait for the catalog to hold the entity.
    context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
    });
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByRole('link', { name: 'Settings' })
      .waitFor({ timeout: 60_000 });
    log('signed in as guest; waiting for the catalog to serve the entity');
    for (let i = 0; ; i++) {
      await page.goto(`${appUrl}${ENTITY_PATH}`);
      const found = await page
        .getByRole('link', { name: 'Kubernetes', exact: true })
        .waitFor({ timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      if (found) break;
      if (i > 20) {
        const shot = path.join(os.tmpdir(), 'llmp-portal-bench-entity.png');
        await page.screenshot({ path: shot });
        throw new Error(`the catalog never served the entity (see ${shot})`);
      }
    }
    const storageState = await context.storageState();
    await context.close();
    context = undefined;

    if (TIMELINE) return await timelines(browser, storageState, appUrl, pods);

    const samples: Record<string, Sample[]> = {};
    const ranges: Record<string, number[]> = { '6h': [], '24h': [] };
    const add = (key: string, sample: Sample) =>
      (samples[key] ??= []).push(sample);
    // One warm-up round (backends' first calls, OS file cache), then RUNS
    // rounds that alternate which tab goes first.
    for (let run = 0; run <= RUNS; run++) {
      const order: Tab[] =
        run % 2 ? ['ours', 'official'] : ['official', 'ours'];
      for (const tab of order) {
        for (const mode of ['inApp', 'fullLoad', 'cachedLoad'] as const) {
          const { context: c, page: p } = await newPage(browser, storageState);
          try {
            const sample =
              mode === 'inApp'
                ? await inApp(p, appUrl, tab, pods)
                : await fullLoad(
                    p,
                    appUrl,
                    tab,
                    pods,
                    mode === 'cachedLoad' ? 2 : 0,
                  );
            if (run > 0) add(`${tab}:${mode}`, sample);
            log(
              `${pods} pods, run ${run}, ${tab} ${mode}: pods ${sample.pods.toFixed(
                0,
              )} ms${
                sample.drawn !== undefined
                  ? `, drawn ${sample.drawn.toFixed(0)} ms`
                  : ''
              }`,
            );
            if (tab === 'ours' && mode === 'inApp' && run > 0) {
              ranges['6h'].push(await rangeChange(p, '6h'));
              ranges['24h'].push(await rangeChange(p, '24h'));
            }
          } finally {
            await c.close();
          }
        }
      }
    }
    log(`${pods} pods: polling`);
    const official = await polls(
      browser,
      storageState,
      appUrl,
      'official',
      pods,
    );
    const ours = await polls(browser, storageState, appUrl, 'ours', pods);

    const officialInApp = samples['official:inApp'].map(s => s.pods);
    const oursInApp = samples['ours:inApp'].map(s => s.drawn!);
    const oursInAppPods = samples['ours:inApp'].map(s => s.pods);
    const officialFull = samples['official:fullLoad'].map(s => s.pods);
    const oursFull = samples['ours:fullLoad'].map(s => s.drawn!);
    const oursFullPods = samples['ours:fullLoad'].map(s => s.pods);
    const officialCached = samples['official:cachedLoad'].map(s => s.pods);
    const oursCached = samples['ours:cachedLoad'].map(s => s.drawn!);
    // Every tab of the entity page waits for the catalog's answer: the part
    // of the official tab's time that no tab can go below.
    const entityShare = (mode: string) =>
      ratio(
        median(
          [...samples[`official:${mode}`], ...samples[`ours:${mode}`]].flatMap(
            s => (s.responses.entity ? [s.responses.entity.end] : []),
          ),
        ),
        median(samples[`official:${mode}`].map(s => s.pods)),
      );
    const officialChunks = chunkSizes(samples['official:inApp'][0].scripts);
    const oursChunks = chunkSizes(samples['ours:inApp'][0].scripts);
    // LLM Platform's overview card preloads the tab's code once the page is
    // idle, so in-app it loads before the click or after it depending on
    // timing. A full load of a tab's URL shows no overview: the scripts one
    // tab's page loads and the other's does not are that tab's own.
    const files = (tab: Tab) =>
      new Set(
        samples[`${tab}:fullLoad`].flatMap(s => s.scripts.map(x => x.file)),
      );
    const only = (a: Set<string>, b: Set<string>) =>
      [...a].filter(f => !b.has(f)).map(file => ({ file }));
    const officialOwn = chunkSizes(only(files('official'), files('ours')));
    const oursOwn = chunkSizes(only(files('ours'), files('official')));
    const chunks = (c: ReturnType<typeof chunkSizes>) =>
      `${c.count} chunks, ${kb(c.gzip)} gzip (${kb(c.raw)} minified)`;
    const op = pollSummary(official);
    const up = pollSummary(ours);
    const inAppRatio = median(oursInApp) / median(officialInApp);
    const fullRatio = median(oursFull) / median(officialFull);
    const cachedRatio = median(oursCached) / median(officialCached);
    const verdict = (r: number) =>
      r <= 0.25 ? `**${r.toFixed(2)}: met**` : `**${r.toFixed(2)}: not met**`;
    return [
      `**${pods} pods** of the entity (one cluster of ${
        pods * 2
      } pods, ${Math.ceil(
        pods / 8,
      )} GPU nodes of 8 GPUs and 50 general nodes), ${RUNS} runs after one warm-up:`,
      '',
      '| measure | official Kubernetes tab | LLM Platform tab | LLM Platform / official |',
      '| --- | --- | --- | --- |',
      `| in-app: click on the tab → official: pod count shown; ours: fully drawn, median | ${runsOf(
        officialInApp,
      )} | ${runsOf(oursInApp)} | ${ratio(
        median(oursInApp),
        median(officialInApp),
      )} |`,
      `| in-app: click on the tab → pod count shown, median | ${ms(
        median(officialInApp),
      )} | ${runsOf(oursInAppPods)} | ${ratio(
        median(oursInAppPods),
        median(officialInApp),
      )} |`,
      `| full page load: navigation → official: pod count shown; ours: fully drawn, median | ${runsOf(
        officialFull,
      )} | ${runsOf(oursFull)} | ${ratio(
        median(oursFull),
        median(officialFull),
      )} |`,
      `| full page load: navigation → pod count shown, median | ${ms(
        median(officialFull),
      )} | ${runsOf(oursFullPods)} | ${ratio(
        median(oursFullPods),
        median(officialFull),
      )} |`,
      `| full page load, returning visitor (third load in the same browser): navigation → official: pod count shown; ours: fully drawn, median | ${runsOf(
        officialCached,
      )} | ${runsOf(oursCached)} | ${ratio(
        median(oursCached),
        median(officialCached),
      )} |`,
      `| in-app: click → the tab's API responses have arrived (request sent at; server time), median | ${responseTimes(
        samples['official:inApp'],
      )} | ${responseTimes(samples['ours:inApp'])} | |`,
      `| full page load: navigation → the catalog's entity and the tab's API responses have arrived (request sent at; server time), median | ${responseTimes(
        samples['official:fullLoad'],
      )} | ${responseTimes(samples['ours:fullLoad'])} | |`,
      `| the same, returning visitor | ${responseTimes(
        samples['official:cachedLoad'],
      )} | ${responseTimes(samples['ours:cachedLoad'])} | |`,
      `| full page load: the catalog's answer with the entity (both tabs' runs) against the official tab's time to pods: the least any tab of the entity page can reach | | | ${entityShare(
        'fullLoad',
      )}; returning visitor ${entityShare('cachedLoad')} |`,
      `| scripts loaded lazily on opening the tab in-app, after the click | ${chunks(
        officialChunks,
      )} | ${chunks(oursChunks)} | |`,
      `| scripts only this tab loads (full page load of each tab; in-app, ours are preloaded by the overview card once the page is idle) | ${chunks(
        officialOwn,
      )} | ${chunks(oursOwn)} | |`,
      `| ${POLLS} polls every ${POLL_SECONDS} s, cluster unchanged: responses | ${op.statuses} | ${up.statuses} | |`,
      `| bytes per response, on the wire (decoded body), mean | ${op.bytes} | ${up.bytes} | |`,
      `| long tasks (> 50 ms) during the polls | ${op.longTasks} | ${up.longTasks} | |`,
      `| the same, by the response that arrived last before each | ${op.longTasksAfter} | ${up.longTasksAfter} | |`,
      `| DOM mutations in the pod table during the polls | – | ${ours.mutations} | |`,
      `| JS heap after GC: after load → after half the polls → after all | ${[
        official.heapBefore,
        official.heapHalfway,
        official.heapAfter,
      ]
        .map(mb)
        .join(' → ')} | ${[ours.heapBefore, ours.heapHalfway, ours.heapAfter]
        .map(mb)
        .join(' → ')} | |`,
      `| range change: click "Last 6h" → charts redrawn, median | – | ${runsOf(
        ranges['6h'],
      )} | |`,
      `| range change back: click "Last 24h" → charts redrawn, median | – | ${runsOf(
        ranges['24h'],
      )} | |`,
      '',
      `Target (fully drawn ≤ 1/4 of the official tab's time to pods, same run): in-app ${verdict(
        inAppRatio,
      )}, full page load ${verdict(fullRatio)}, returning visitor ${verdict(
        cachedRatio,
      )}.`,
      '',
    ];
  } catch (error) {
    if (backend) {
      log(`backend output:\n${backend.output.join('').slice(-3000)}`);
    }
    throw error;
  } finally {
    await context?.close();
    await backend?.stop();
    await cluster.stop();
    running.delete(stopCluster);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces the portal results in docs/benchmarks.md. */
function writeDoc(text: string) {
  writeBenchmarkSection('portal', text);
}

async function main() {
  if (!process.argv.includes('--skip-build')) {
    log('building the app (yarn workspace app build)');
    const built = spawnSync('yarn', ['workspace', 'app', 'build'], {
      cwd: REPO,
      // The build's report goes to stderr: stdout is the benchmark's report.
      stdio: ['ignore', 2, 2],
    });
    if (built.status !== 0) throw new Error('the app build failed');
  }
  if (!fs.existsSync(path.join(APP_DIST, 'index.html'))) {
    throw new Error('packages/app/dist is missing: run without --skip-build');
  }
  const loadBefore = os.loadavg();
  // 24 h of history for the entity's model, one sample a minute; 16 engines
  // on two 8-GPU nodes, DCGM series with their own pod labels.
  const now = Math.floor(Date.now() / 1000);
  log('backfilling 24 h of metrics into Prometheus');
  const prometheus = await startPrometheus(
    {
      start: now - 24 * 3600 - 600,
      end: now,
      scrapeIntervalSeconds: 60,
      models: [
        modelProfile({
          name: MODEL,
          namespace: NAMESPACE,
          podPrefix: 'vllm-0-7d4f8b9c6',
          pods: 16,
        }),
      ],
      incident: { from: now - 3 * 3600, to: now - 2 * 3600, latencyFactor: 2 },
      gpu: {
        labelling: 'honor',
        gpusPerNode: 8,
        idleGpusPerNode: 0,
        productName: 'NVIDIA A10G',
        memoryTotalMiB: 23028,
      },
      unrelatedSeries: 0,
      unrelatedIntervalSeconds: 600,
    },
    { maxBlockDuration: '24h' },
  );
  const stopPrometheus = () => prometheus.stop();
  running.add(stopPrometheus);
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
  const chromiumVersion = browser.version();
  const lines: string[] = [];
  try {
    for (const pods of POD_COUNTS) {
      lines.push(...(await measure(browser, pods, prometheus.url)));
    }
  } finally {
    await browser.close();
    await prometheus.stop();
    running.delete(stopPrometheus);
  }
  const loadAfter = os.loadavg();
  const command = `yarn workspace app benchmark:portal --pods ${POD_COUNTS.join(
    ',',
  )} --runs ${RUNS} --polls ${POLLS}`;
  const text = [
    `Measured ${new Date().toISOString().slice(0, 16)}Z with \`${command}\`:`,
    `Chromium ${chromiumVersion} headless, Node ${process.version}, ${
      os.cpus().length
    } cores, load average ${loadBefore[0].toFixed(
      1,
    )} before and ${loadAfter[0].toFixed(1)} after the run (1 min).`,
    `Prometheus: ${prometheus.samples.toLocaleString(
      'en',
    )} samples, 24 h of one model on 16 engines.`,
    '',
    ...lines,
  ].join('\n');
  process.stdout.write(`${text}\n`);
  // A timeline is for reading, not a report for the document.
  if (WRITE && !TIMELINE) writeDoc(text);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

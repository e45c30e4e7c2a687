import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Scenario, writeOpenMetrics } from './generator';

// Starts Debian's `prometheus` binary on 127.0.0.1 over a temporary TSDB that
// `promtool` backfilled from the generator, and stops it by pid. A missing
// binary is an error, never a skip: CI must not pass without these tests.

const INSTALL_HINT =
  'Prometheus is not installed. Install it with `apt-get install -y prometheus` (Debian package, provides prometheus and promtool), then rerun.';

/** Finds an executable in `dirs`; throws with the install command if absent. */
export function findBinary(
  name: string,
  dirs: string[] = (process.env.PATH ?? '')
    .split(path.delimiter)
    .concat(['/usr/bin', '/usr/local/bin']),
): string {
  const candidates = dirs.filter(Boolean).map(dir => path.join(dir, name));
  const found = candidates.find(file => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!found) {
    throw new Error(`${INSTALL_HINT} (missing: ${name})`);
  }
  return found;
}

/** Throws with the install command when prometheus or promtool is missing. */
export function requirePrometheusBinaries(): {
  prometheus: string;
  promtool: string;
} {
  return {
    prometheus: findBinary('prometheus'),
    promtool: findBinary('promtool'),
  };
}

export interface RunningPrometheus {
  /** Base URL, for example `http://127.0.0.1:41234`. */
  url: string;
  pid: number;
  /** Samples backfilled. */
  samples: number;
  /** Seconds spent generating and backfilling. */
  loadSeconds: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(
  url: string,
  child: ReturnType<typeof spawn>,
  log: () => string,
) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `prometheus exited with code ${
          child.exitCode
        } before it was ready:\n${log()}`,
      );
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`prometheus at ${url} was not ready within 60 s:\n${log()}`);
}

function backfill(
  promtool: string,
  scenario: Scenario,
  dir: string,
  dataDir: string,
  options: { maxBlockDuration?: string },
): number {
  const input = path.join(dir, 'series.om');
  const samples = writeOpenMetrics(scenario, input);
  const result = spawnSync(
    promtool,
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      ...(options.maxBlockDuration
        ? [`--max-block-duration=${options.maxBlockDuration}`]
        : []),
      input,
      dataDir,
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  fs.rmSync(input, { force: true });
  if (result.status !== 0) {
    throw new Error(
      `promtool backfill failed (exit ${result.status}): ${
        result.stderr || result.error
      }`,
    );
  }
  return samples;
}

/**
 * Backfills the scenario into a fresh TSDB and starts Prometheus over it.
 * Call `stop()` in `afterAll`; it kills only the process it started.
 */
export async function startPrometheus(
  scenario: Scenario,
  options: {
    /**
     * Largest block promtool writes. Larger blocks mean fewer passes over
     * the input (the benchmark uses 24h); the default matches Prometheus's.
     */
    maxBlockDuration?: string;
    /**
     * Keep the TSDB in this folder and reuse it when it holds the same
     * scenario, so a rerun skips the backfill. It is not deleted on stop.
     */
    keepDataIn?: string;
    /** Port to listen on; default a free one. */
    port?: number;
    /**
     * Live targets to scrape after the backfill (host:port serving
     * /metrics), with the exporter's own labels kept (`honor_labels`).
     */
    scrapeTargets?: string[];
  } = {},
): Promise<RunningPrometheus> {
  const bin = requirePrometheusBinaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmp-prometheus-'));
  const dataDir = options.keepDataIn
    ? path.resolve(options.keepDataIn)
    : path.join(dir, 'data');
  const marker = path.join(dataDir, 'llmp-scenario.json');
  const wanted = JSON.stringify(scenario);
  const started = Date.now();
  let samples = 0;
  try {
    if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) {
      samples = Number(fs.readFileSync(`${marker}.samples`, 'utf8'));
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true });
      samples = backfill(bin.promtool, scenario, dir, dataDir, options);
      fs.writeFileSync(marker, wanted);
      fs.writeFileSync(`${marker}.samples`, String(samples));
    }
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const loadSeconds = (Date.now() - started) / 1000;
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(
    configFile,
    [
      'global:',
      `  scrape_interval: ${scenario.scrapeIntervalSeconds}s`,
      options.scrapeTargets?.length
        ? `scrape_configs:\n  - job_name: live\n    honor_labels: true\n    static_configs: [{ targets: ${JSON.stringify(
            options.scrapeTargets,
          )} }]`
        : 'scrape_configs: []',
      '',
    ].join('\n'),
  );

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    bin.prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // History is in the past; keep it, and do not compact during a run.
      '--storage.tsdb.retention.time=3650d',
      '--storage.tsdb.min-block-duration=2h',
      '--storage.tsdb.max-block-duration=2h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const pid = child.pid!;

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve));
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null) process.kill(pid, 'SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitReady(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid, samples, loadSeconds, stop };
}

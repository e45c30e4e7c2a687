import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Scenario,
  writeOpenMetrics,
} from '../../src/metrics/testing/generator';
import { requirePrometheusBinaries } from '../../src/metrics/testing/prometheusHarness';

/**
 * Debian's Prometheus for the sandbox: history backfilled by the same
 * generator the tests use, then live scrapes of the sandbox exporter.
 */
export async function startSandboxPrometheus(options: {
  port: number;
  exporterUrl: string;
  history: Scenario;
}): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const bin = requirePrometheusBinaries();
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'llmp-sandbox-prometheus-'),
  );
  const dataDir = path.join(dir, 'data');
  const input = path.join(dir, 'history.om');
  writeOpenMetrics(options.history, input);
  const backfill = spawnSync(
    bin.promtool,
    ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  fs.rmSync(input, { force: true });
  if (backfill.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`promtool backfill failed: ${backfill.stderr}`);
  }
  const target = new URL(options.exporterUrl).host;
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${options.history.scrapeIntervalSeconds}s`,
      'scrape_configs:',
      // honor_labels keeps the exporter's pod and namespace labels, as a
      // pod-level scrape of vLLM and dcgm-exporter would give.
      '  - job_name: vllm',
      '    honor_labels: true',
      `    static_configs: [{ targets: ['${target}'] }]`,
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(
    bin.prometheus,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--storage.tsdb.retention.time=2d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve));
      process.kill(child.pid!, 'SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with code ${child.exitCode}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready on ${url} within 30 s`);
    }
    await new Promise(r => setTimeout(r, 200));
  }
  return { url, pid: child.pid!, stop };
}

import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';

// Starts the portal the way `scripts/start.sh` does (`backstage-cli repo start`
// with the embedded app-config.yaml) on free ports, and Debian's Chromium.

const repoRoot = path.resolve(__dirname, '../../../../..');
export const artifactsDir = path.join(repoRoot, 'e2e-test-report');

export type Portal = {
  appUrl: string;
  backendUrl: string;
  log: string[];
  stop(): Promise<void>;
};

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until `url` answers below 500, failing with the log when `child` exits. */
export async function waitForUrl(
  url: string,
  child: ChildProcess,
  log: string[],
) {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`process exited early:\n${log.join('').slice(-4000)}`);
    }
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`nothing served ${url}:\n${log.join('').slice(-4000)}`);
}

function spawnLogged(
  args: string[],
  env: Record<string, string>,
  log: string[],
): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    // Its own process group, so stopping it also stops what it runs.
    detached: true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', d => log.push(String(d)));
  child.stderr!.on('data', d => log.push(String(d)));
  return child;
}

async function stopGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * One portal at a time on this machine. Each is a development server that
 * reloads its pages when files change; a second one starting or running in
 * the next Jest worker made the first one's page reload mid-test. The lock
 * file holds the owner's pid, so a crashed run's lock is taken over.
 */
async function portalLock(): Promise<() => void> {
  const lock = path.join(os.tmpdir(), 'llm-platform-e2e-portal.lock');
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lock, 'utf8'));
      if (!owner || !isAlive(owner)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }
}

/**
 * Starts the sandbox and the portal as `scripts/start.sh` does, on free ports,
 * with the sandbox's cluster, Prometheus and repository folder configured.
 * Waits while another test file's portal runs.
 */
export async function startPortal(): Promise<Portal> {
  const unlock = await portalLock();
  const [appPort, backendPort, k8sPort, exporterPort, prometheusPort] =
    await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
  const appUrl = `http://localhost:${appPort}`;
  const backendUrl = `http://localhost:${backendPort}`;
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmp-e2e-'));
  const reposDir = path.join(configDir, 'repos');
  const config = path.join(configDir, 'app-config.e2e.yaml');
  fs.writeFileSync(
    config,
    JSON.stringify({
      app: { baseUrl: appUrl },
      backend: {
        baseUrl: backendUrl,
        listen: { port: backendPort },
        cors: { origin: appUrl },
      },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'sandbox',
                url: `http://127.0.0.1:${k8sPort}`,
                authProvider: 'serviceAccount',
                serviceAccountToken: 'sandbox-reader-token',
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
      llmPlatform: {
        localPublisher: { baseDir: reposDir },
        prometheus: {
          instances: [
            {
              name: 'sandbox',
              url: `http://127.0.0.1:${prometheusPort}`,
              clusters: ['sandbox'],
              scrapeInterval: '15s',
            },
          ],
        },
      },
    }),
  );
  const log: string[] = [];
  const sandbox = spawnLogged(
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'plugins/llm-platform-backend/dev/sandbox/index.ts',
    ],
    {
      LLMP_SANDBOX_KUBERNETES_PORT: String(k8sPort),
      LLMP_SANDBOX_EXPORTER_PORT: String(exporterPort),
      LLMP_SANDBOX_PROMETHEUS_PORT: String(prometheusPort),
      LLMP_SANDBOX_REPOS_DIR: reposDir,
    },
    log,
  );
  const child = spawnLogged(
    [
      require.resolve('@backstage/cli/bin/backstage-cli'),
      'repo',
      'start',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      config,
    ],
    { BROWSER: 'none', NODE_ENV: 'development' },
    log,
  );
  const stop = async () => {
    await Promise.all([stopGroup(child), stopGroup(sandbox)]);
    fs.rmSync(configDir, { recursive: true, force: true });
    unlock();
  };
  try {
    await waitForUrl(`${backendUrl}/api/llm-platform/health`, child, log);
    await waitForUrl(appUrl, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { appUrl, backendUrl, log, stop };
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `Chromium was not found at ${executablePath}. Install it with "apt-get install -y chromium" (scripts/test.sh does this).`,
    );
  }
  return chromium.launch({
    executablePath,
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
}

/** Saves what the page shows at the end of the current test, named after it. */
export async function screenshotCurrentTest(page: Page | undefined) {
  const name = expect.getState().currentTestName ?? 'test';
  await page
    ?.screenshot({
      path: path.join(artifactsDir, `${name.replace(/\W+/g, '-')}.png`),
    })
    .catch(() => undefined);
}

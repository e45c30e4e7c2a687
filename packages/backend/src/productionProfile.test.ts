import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import {
  RunningScenario,
  startScenario,
} from '@llm-platform/backstage-plugin-llm-platform-backend/testUtils';
import {
  LocalServer,
  freePort,
  startPostgres,
  startRedis,
} from './testing/localServers';

// Boots packages/backend twice with app-config.production.yaml against one real
// PostgreSQL and one real Redis, as two replicas behind a load balancer would run.

const repoRoot = path.resolve(__dirname, '../../..');
const staticToken = crypto.randomBytes(24).toString('hex');

type Backend = { url: string; child: ChildProcess; output: string[] };

async function startBackend(
  env: Record<string, string>,
  extraConfig: string,
): Promise<Backend> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [
      '--no-node-snapshot',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'packages/backend/src/index.ts',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
      '--config',
      extraConfig,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...env,
        NODE_ENV: 'production',
        BACKEND_PORT: String(port),
        BACKEND_BASE_URL: `http://127.0.0.1:${port}`,
        APP_BASE_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', d => output.push(String(d)));
  child.stderr!.on('data', d => output.push(String(d)));
  return { url: `http://127.0.0.1:${port}`, child, output };
}

async function waitFor<T>(
  what: string,
  backend: Backend,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (backend.child.exitCode !== null) {
      throw new Error(
        `backend exited while waiting for ${what}:\n${backend.output
          .join('')
          .slice(-4000)}`,
      );
    }
    const result = await probe().catch(() => undefined);
    if (result !== undefined) return result;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `timed out waiting for ${what}:\n${backend.output.join('').slice(-4000)}`,
  );
}

async function stopBackend(backend: Backend) {
  if (backend.child.exitCode !== null || backend.child.signalCode !== null)
    return;
  const exited = new Promise(resolve => backend.child.once('exit', resolve));
  process.kill(backend.child.pid!, 'SIGTERM');
  const timer = setTimeout(
    () => process.kill(backend.child.pid!, 'SIGKILL'),
    15_000,
  );
  await exited;
  clearTimeout(timer);
}

const authed = (url: string) =>
  fetch(url, { headers: { Authorization: `Bearer ${staticToken}` } });

describe('production profile', () => {
  let postgres: LocalServer & { user: string; password: string };
  let redis: LocalServer & { url: string };
  let configDir: string;
  let cluster: RunningScenario;
  const backends: Backend[] = [];

  beforeAll(async () => {
    [postgres, redis, cluster] = await Promise.all([
      startPostgres(),
      startRedis(),
      startScenario('healthy-gpu-platform'),
    ]);
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmp-config-'));
    const extraConfig = path.join(configDir, 'app-config.test.yaml');
    const entityFile = path.join(configDir, 'entity.yaml');
    fs.writeFileSync(
      entityFile,
      JSON.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'mistral',
          annotations: {
            'backstage.io/kubernetes-id': 'vllm-mistral',
            'backstage.io/kubernetes-namespace': 'llm-baseline',
          },
        },
        spec: {
          type: 'service',
          owner: 'platform-team',
          lifecycle: 'production',
        },
      }),
    );
    // Test-only additions: a static token and guest sign-in stand in for the
    // identity provider a real deployment has; one simulated cluster and one
    // entity on it give the LLM Platform plugin something to cache.
    fs.writeFileSync(
      extraConfig,
      JSON.stringify({
        backend: {
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: {
                  token: staticToken,
                  subject: 'production-profile-test',
                },
              },
            ],
          },
        },
        auth: {
          providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
        },
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: cluster.clusters.map(c => ({
                name: c.name,
                url: c.url,
                skipTLSVerify: true,
                authProvider: 'serviceAccount',
                serviceAccountToken: c.token,
              })),
            },
          ],
        },
        catalog: {
          locations: [
            { type: 'file', target: './catalog-info.yaml' },
            { type: 'file', target: entityFile },
          ],
        },
      }),
    );
    const env = {
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: String(postgres.port),
      POSTGRES_USER: postgres.user,
      POSTGRES_PASSWORD: postgres.password,
      REDIS_URL: redis.url,
      BACKEND_SECRET: crypto.randomBytes(24).toString('hex'),
    };
    // The first instance creates the databases and runs migrations; the
    // second then joins the same state, as a scaled-out replica would.
    backends.push(await startBackend(env, extraConfig));
    await waitFor('first backend', backends[0], async () =>
      (
        await fetch(`${backends[0].url}/api/llm-platform/health`)
      ).ok
        ? true
        : undefined,
    );
    backends.push(await startBackend(env, extraConfig));
    await waitFor('second backend', backends[1], async () =>
      (
        await fetch(`${backends[1].url}/api/llm-platform/health`)
      ).ok
        ? true
        : undefined,
    );
  }, 360_000);

  afterAll(async () => {
    await Promise.all(backends.map(stopBackend));
    await Promise.all([postgres?.stop(), redis?.stop(), cluster?.stop()]);
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  }, 60_000);

  it('serves the LLM Platform API from both instances', async () => {
    for (const backend of backends) {
      const res = await fetch(`${backend.url}/api/llm-platform/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
  });

  it('serves one catalog from PostgreSQL on both instances, without example data', async () => {
    const names = await Promise.all(
      backends.map(backend =>
        waitFor('catalog entities', backend, async () => {
          const res = await authed(
            `${backend.url}/api/catalog/entities?fields=kind,metadata.name`,
          );
          if (!res.ok) return undefined;
          const entities: { kind: string; metadata: { name: string } }[] =
            await res.json();
          const found = entities.map(e => `${e.kind}:${e.metadata.name}`);
          return found.includes('Component:llm-platform-backstage')
            ? found.sort()
            : undefined;
        }),
      ),
    );
    expect(names[0]).toEqual(names[1]);
    expect(names[0]).toContain('Component:mistral');
    expect(names[0]).not.toContain('Component:llama-3-8b-instruct');
  });

  it('caches the workload view in the shared Redis', async () => {
    const keys = () =>
      spawnSync(
        'redis-cli',
        ['-h', '127.0.0.1', '-p', String(redis.port), '--scan'],
        {
          encoding: 'utf8',
        },
      )
        .stdout.split('\n')
        .filter(Boolean);
    const before = keys();
    const token = await waitFor('guest token', backends[0], async () => {
      const res = await fetch(`${backends[0].url}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      return res.ok
        ? ((await res.json()).backstageIdentity.token as string)
        : undefined;
    });
    const workloads =
      '/api/llm-platform/v1/entities/component/default/mistral/workloads';
    const body = await waitFor('workloads', backends[0], async () => {
      const res = await fetch(`${backends[0].url}${workloads}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const json = res.ok ? await res.json() : undefined;
      return json?.status === 'ok' && json.clusters[0]?.podTable?.rows.length
        ? json
        : undefined;
    });
    // Pods come as a table: a row starts with the pod's name.
    expect(body.clusters[0].podTable.rows[0][0]).toMatch(
      /^mistral-7b-instruct-vllm/,
    );
    const added = keys().filter(k => !before.includes(k));
    expect(added.some(k => k.includes('llm-platform'))).toBe(true);
    // The other replica answers the same entity from the shared state.
    const res = await fetch(`${backends[1].url}${workloads}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });

  it('switches guest sign-in off in app-config.production.yaml', () => {
    const config = parseYaml(
      fs.readFileSync(
        path.join(repoRoot, 'app-config.production.yaml'),
        'utf8',
      ),
    );
    expect(config.app.signIn.guest).toBe(false);
    expect(config.auth.environment).toBe('production');
    expect(JSON.stringify(config)).not.toMatch(
      /dangerouslyAllowOutsideDevelopment/,
    );
  });

  it('answers bad input with a 400 that names it, without a stack trace', async () => {
    const metrics = `${backends[0].url}/api/llm-platform/v1/entities/component/default/mistral/metrics`;
    for (const [query, input] of [
      ['range=2h', 'range'],
      ['range=1h&gpuSeries=all', 'gpuSeries'],
    ]) {
      const res = await authed(`${metrics}?${query}`);
      const { error } = await res.json();
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(error.message).toContain(input);
      expect(error).not.toHaveProperty('stack');
    }
  });

  it('rejects unauthenticated catalog reads', async () => {
    const res = await fetch(`${backends[1].url}/api/catalog/entities`);
    expect(res.status).toBe(401);
  });
});

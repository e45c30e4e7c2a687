import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Real PostgreSQL and Redis servers for tests: started on 127.0.0.1 in a temp
// dir and stopped by the pid this module started.

export type LocalServer = {
  port: number;
  pid: number;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function findBinary(name: string, extraDirs: string[]): string {
  const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(':')];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(
    `${name} was not found. Install it with "apt-get install -y ${
      name === 'redis-server' ? 'redis-server' : 'postgresql'
    }" (scripts/test.sh does this).`,
  );
}

function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map(version => path.join(root, version, 'bin'));
}

async function waitForPort(port: number, child: ChildProcess, what: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `${what} exited with code ${child.exitCode} before listening`,
      );
    }
    const open = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within 30 s`);
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  process.kill(child.pid!, signal);
  const timer = setTimeout(() => {
    if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` system user (created by Debian's package) over a temp data dir.
 */
export async function startPostgres(): Promise<
  LocalServer & { user: string; password: string }
> {
  const bins = postgresBinDirs();
  const initdb = findBinary('initdb', bins);
  const postgres = findBinary('postgres', bins);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmp-pg-'));
  const dataDir = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] =>
    asRoot
      ? [
          'setpriv',
          [
            '--reuid=postgres',
            '--regid=postgres',
            '--init-groups',
            cmd,
            ...args,
          ],
        ]
      : [cmd, args];
  if (asRoot) {
    fs.chmodSync(dir, 0o755);
    spawnSync('chown', ['postgres:postgres', dir]);
  }
  const password = 'test-only-password';
  const pwFile = path.join(dir, 'pw');
  fs.writeFileSync(pwFile, password, { mode: 0o644 });
  const [initCmd, initArgs] = wrap(initdb, [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${pwFile}`,
    '-E',
    'UTF8',
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    throw new Error(`initdb failed: ${init.stderr}`);
  }
  const port = await freePort();
  const [cmd, args] = wrap(postgres, [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dir,
    '-c',
    'max_connections=200',
    '-c',
    'fsync=off',
  ]);
  const child = spawn(cmd, args, { stdio: 'ignore' });
  await waitForPort(port, child, 'postgres');
  return {
    port,
    pid: child.pid!,
    user: 'postgres',
    password,
    async stop() {
      // SIGINT is PostgreSQL's "fast shutdown".
      await stopChild(child, 'SIGINT');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRedis(): Promise<LocalServer & { url: string }> {
  const redis = findBinary('redis-server', []);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmp-redis-'));
  const port = await freePort();
  const child = spawn(
    redis,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port, child, 'redis-server');
  return {
    port,
    pid: child.pid!,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await stopChild(child, 'SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

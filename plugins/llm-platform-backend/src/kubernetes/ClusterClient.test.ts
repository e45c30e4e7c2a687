import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubernetesSimulator } from '../testing';
import { buildNode } from '../testing/builders';
import { createClusterClient } from './ClusterClient';
import type { ClusterConfig } from './types';

describe('createClusterClient over TLS', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulator-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  // A self-signed server certificate for 127.0.0.1, as a cluster CA would issue.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=kube-apiserver',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const cert = fs.readFileSync(certFile, 'utf8');
  const sim = new KubernetesSimulator({
    objects: [buildNode({ name: 'n1', gpus: 1 })],
    tls: { key: fs.readFileSync(keyFile, 'utf8'), cert },
  });
  let url: string;

  beforeAll(async () => {
    url = await sim.start();
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true });
  });

  const client = (extra: Partial<ClusterConfig>) =>
    createClusterClient(
      {
        name: 'tls',
        url,
        skipTLSVerify: false,
        auth: { provider: 'serviceAccount', token: 'simulator-token' },
        ...extra,
      },
      { timeoutMs: 3000 },
    );
  const listNodes = (c: ReturnType<typeof client>) =>
    c.list({ description: 'list nodes', path: '/api/v1/nodes' });

  it('trusts the cluster CA from caData', async () => {
    const nodes = await listNodes(
      client({ caData: Buffer.from(cert).toString('base64') }),
    );
    expect(nodes.items).toHaveLength(1);
  });

  it('trusts the cluster CA from caFile', async () => {
    const nodes = await listNodes(client({ caFile: certFile }));
    expect(nodes.items).toHaveLength(1);
  });

  it('refuses an unknown certificate unless skipTLSVerify is set', async () => {
    await expect(listNodes(client({}))).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('SELF_SIGNED'),
    });
    const nodes = await listNodes(client({ skipTLSVerify: true }));
    expect(nodes.items).toHaveLength(1);
  });

  it('authenticates with a local kubeconfig context', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'sim',
            cluster: {
              server: url,
              'certificate-authority-data':
                Buffer.from(cert).toString('base64'),
            },
          },
        ],
        users: [{ name: 'dev', user: { token: 'simulator-token' } }],
        contexts: [
          { name: 'sim-dev', context: { cluster: 'sim', user: 'dev' } },
        ],
        'current-context': 'sim-dev',
      }),
    );
    const nodes = await listNodes(
      client({
        auth: {
          provider: 'kubeconfig',
          kubeconfigPath: kubeconfig,
          context: 'sim-dev',
        },
      }),
    );
    expect(nodes.items).toHaveLength(1);
  });
});

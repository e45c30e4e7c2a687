import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readClusterConfigs } from './config';

const config = (clusters: object[], extra: object = {}) =>
  new ConfigReader({
    kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters }] },
    ...extra,
  });

describe('readClusterConfigs', () => {
  it('reads the official plugin cluster config for serviceAccount and aws', () => {
    const { clusters, skipped } = readClusterConfigs(
      config([
        {
          name: 'dev',
          url: 'https://dev.example.com/',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'tok',
          caData: 'Q0E=',
          skipTLSVerify: false,
        },
        {
          name: 'eks-prod',
          url: 'https://eks.example.com',
          authProvider: 'aws',
          assumeRole: 'arn:aws:iam::123456789012:role/backstage',
          externalId: 'ext',
        },
        { name: 'aks', url: 'https://aks.example.com', authProvider: 'aks' },
        {
          name: 'sa-without-token',
          url: 'https://x.example.com',
          authProvider: 'serviceAccount',
        },
      ]),
    );
    expect(clusters).toEqual([
      {
        name: 'dev',
        url: 'https://dev.example.com',
        caData: 'Q0E=',
        caFile: undefined,
        skipTLSVerify: false,
        auth: { provider: 'serviceAccount', token: 'tok' },
      },
      {
        name: 'eks-prod',
        url: 'https://eks.example.com',
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: false,
        auth: {
          provider: 'aws',
          clusterId: 'eks-prod',
          assumeRole: 'arn:aws:iam::123456789012:role/backstage',
          externalId: 'ext',
        },
      },
    ]);
    expect(skipped.map(s => s.name)).toEqual(['aks', 'sa-without-token']);
    expect(skipped[0].reason).toMatch(/authProvider "aks" is not supported/);
  });

  it('takes the EKS cluster name from authMetadata when it differs', () => {
    const { clusters } = readClusterConfigs(
      config([
        {
          name: 'prod',
          url: 'https://e',
          authMetadata: {
            'kubernetes.io/auth-provider': 'aws',
            'kubernetes.io/x-k8s-aws-id': 'llmplatform-prod',
          },
        },
      ]),
    );
    expect(clusters[0].auth).toEqual({
      provider: 'aws',
      clusterId: 'llmplatform-prod',
      assumeRole: undefined,
      externalId: undefined,
    });
  });

  it('rejects a cluster name configured twice', () => {
    expect(() =>
      readClusterConfigs(
        config([
          {
            name: 'dev',
            url: 'https://a',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
          },
          {
            name: 'dev',
            url: 'https://b',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
          },
        ]),
      ),
    ).toThrow(/"dev" is configured twice/);
  });

  it('reads a local kubeconfig for development', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: kind, cluster: { server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true } }]',
        'users: [{ name: dev, user: { token: abc } }]',
        'contexts: [{ name: kind-dev, context: { cluster: kind, user: dev } }]',
        'current-context: kind-dev',
      ].join('\n'),
    );
    try {
      const { clusters } = readClusterConfigs(
        new ConfigReader({
          llmPlatform: { kubernetes: { kubeconfig: { path: file } } },
        }),
      );
      expect(clusters).toEqual([
        {
          name: 'kind-dev',
          url: 'https://127.0.0.1:6443',
          skipTLSVerify: true,
          auth: {
            provider: 'kubeconfig',
            kubeconfigPath: file,
            context: 'kind-dev',
          },
        },
      ]);
      expect(() =>
        readClusterConfigs(
          new ConfigReader({
            llmPlatform: {
              kubernetes: { kubeconfig: { path: file, contexts: ['nope'] } },
            },
          }),
        ),
      ).toThrow(/context "nope" is not in the kubeconfig; it has "kind-dev"/);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

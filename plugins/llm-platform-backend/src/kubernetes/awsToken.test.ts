import { KubernetesSimulator } from '../testing';
import { buildPod } from '../testing/builders';
import { createEksTokenProvider, presignEksToken } from './awsToken';
import { createClusterClient } from './ClusterClient';

const credentials = async () => ({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
});

function decode(token: string): URL {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  const encoded = token.slice('k8s-aws-v1.'.length);
  expect(encoded).not.toMatch(/[=+/]/);
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

describe('presignEksToken', () => {
  it('presigns GetCallerIdentity with the cluster name as a signed header', async () => {
    const token = await presignEksToken(
      credentials,
      { clusterId: 'llmplatform-dev', region: 'us-west-2' },
      new Date('2026-02-25T10:00:00Z'),
    );
    const url = decode(token);
    expect(url.origin).toBe('https://sts.us-west-2.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'host;x-k8s-aws-id',
    );
    expect(url.searchParams.get('X-Amz-Credential')).toBe(
      'AKIDEXAMPLE/20260225/us-west-2/sts/aws4_request',
    );
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain('wJalrXUtnFEMI');
    // The signature covers the cluster name: another cluster gets another token.
    const other = await presignEksToken(
      credentials,
      { clusterId: 'llmplatform-prod', region: 'us-west-2' },
      new Date('2026-02-25T10:00:00Z'),
    );
    expect(decode(other).searchParams.get('X-Amz-Signature')).not.toBe(
      url.searchParams.get('X-Amz-Signature'),
    );
  });
});

describe('createEksTokenProvider', () => {
  it('reuses a token per cluster until it nears expiry', async () => {
    const manager = {
      getCredentialProvider: jest.fn(async () => ({
        sdkCredentialProvider: credentials,
      })),
    };
    const provider = createEksTokenProvider(manager, 'us-west-2');
    const a = await provider({ clusterId: 'a' });
    expect(await provider({ clusterId: 'a' })).toBe(a);
    expect(await provider({ clusterId: 'b' })).not.toBe(a);
    expect(manager.getCredentialProvider).toHaveBeenCalledTimes(2);
  });

  it('authenticates a cluster client against an API server that checks the token', async () => {
    const sim = new KubernetesSimulator({
      objects: [buildPod({ name: 'p', namespace: 'x' })],
      tokens: {},
      authenticate: token => {
        const url = decode(token);
        return url.searchParams.get('X-Amz-SignedHeaders') ===
          'host;x-k8s-aws-id'
          ? {
              user: 'arn:aws:sts::123456789012:assumed-role/backstage',
              allow: ['*'],
            }
          : undefined;
      },
    });
    const url = await sim.start();
    try {
      const manager = {
        getCredentialProvider: async () => ({
          sdkCredentialProvider: credentials,
        }),
      };
      const client = createClusterClient(
        {
          name: 'llmplatform-dev',
          url,
          skipTLSVerify: true,
          auth: { provider: 'aws', clusterId: 'llmplatform-dev' },
        },
        {
          timeoutMs: 2000,
          eksToken: createEksTokenProvider(manager, 'us-west-2'),
        },
      );
      const pods = await client.list({
        description: 'list pods',
        path: '/api/v1/pods',
      });
      expect(pods.items).toHaveLength(1);
    } finally {
      await sim.stop();
    }
  });
});

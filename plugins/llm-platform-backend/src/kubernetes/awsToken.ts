import { Sha256 } from '@aws-crypto/sha256-js';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type {
  AwsCredentialProvider,
  AwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** EKS accepts a presigned URL for at most 15 minutes; refresh well before. */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;
const PRESIGN_EXPIRES_SECONDS = 60;

type AwsCredentialIdentityProvider =
  AwsCredentialProvider['sdkCredentialProvider'];

export interface EksTokenOptions {
  /** The EKS cluster name, sent as the signed `x-k8s-aws-id` header. */
  clusterId: string;
  assumeRole?: string;
  externalId?: string;
  region?: string;
}

/**
 * Builds the bearer token EKS expects: `k8s-aws-v1.` followed by the base64url
 * of a presigned STS GetCallerIdentity URL whose signature covers the
 * `x-k8s-aws-id` header. The same scheme as aws-iam-authenticator.
 */
export async function presignEksToken(
  credentials: AwsCredentialIdentityProvider,
  options: EksTokenOptions,
  now: Date = new Date(),
): Promise<string> {
  const region = options.region ?? 'us-east-1';
  const hostname = `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials,
    region,
    service: 'sts',
    sha256: Sha256,
  });
  const request = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: { host: hostname, 'x-k8s-aws-id': options.clusterId },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: now },
  );
  const query = Object.entries(request.query ?? {})
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${encodeURIComponent(
          Array.isArray(v) ? v.join(',') : String(v),
        )}`,
    )
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
}

/**
 * Returns EKS tokens per cluster, cached for ten minutes, with credentials from
 * the `aws` integration config (and an assumed role when the cluster names one).
 */
export function createEksTokenProvider(
  credentialsManager: AwsCredentialsManager,
  region: string = process.env.AWS_REGION ?? 'us-east-1',
): (options: EksTokenOptions) => Promise<string> {
  const cache = new Map<string, { token: string; expires: number }>();
  return async options => {
    const key = `${options.clusterId}|${options.assumeRole ?? ''}|${
      options.externalId ?? ''
    }`;
    const cached = cache.get(key);
    if (cached && cached.expires > Date.now()) {
      return cached.token;
    }
    const main = await credentialsManager
      .getCredentialProvider(
        options.assumeRole ? { arn: options.assumeRole } : undefined,
      )
      .catch(error => {
        // A role in an account without its own integration entry is assumed
        // from the main account's credentials.
        if (options.assumeRole && /no AWS integration/i.test(String(error))) {
          return credentialsManager.getCredentialProvider();
        }
        throw error;
      });
    const credentials = options.assumeRole
      ? fromTemporaryCredentials({
          masterCredentials: main.sdkCredentialProvider,
          clientConfig: { region },
          params: {
            RoleArn: options.assumeRole,
            ExternalId: options.externalId,
            RoleSessionName: 'backstage-llm-platform',
          },
        })
      : main.sdkCredentialProvider;
    const token = await presignEksToken(credentials, { ...options, region });
    cache.set(key, { token, expires: Date.now() + TOKEN_LIFETIME_MS });
    return token;
  };
}

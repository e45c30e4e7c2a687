import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterAuth, ClusterConfig } from './types';

/** Clusters that cannot be used, with the reason, for a startup warning. */
export interface SkippedCluster {
  name: string;
  reason: string;
}

const AWS_ASSUME_ROLE = 'kubernetes.io/aws-assume-role';
const AWS_EXTERNAL_ID = 'kubernetes.io/aws-external-id';
const AWS_CLUSTER_ID = 'kubernetes.io/x-k8s-aws-id';
const AUTH_PROVIDER = 'kubernetes.io/auth-provider';

function readConfigCluster(c: Config): ClusterConfig | SkippedCluster {
  const name = c.getString('name');
  const authMetadata = (c.getOptional<Record<string, string>>('authMetadata') ??
    {}) as Record<string, string>;
  const provider =
    authMetadata[AUTH_PROVIDER] ?? c.getOptionalString('authProvider');
  const base = {
    name,
    url: c.getString('url').replace(/\/+$/, ''),
    caData: c.getOptionalString('caData'),
    caFile: c.getOptionalString('caFile'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
  };
  let auth: ClusterAuth;
  switch (provider) {
    case 'serviceAccount': {
      const token =
        c.getOptionalString('serviceAccountToken') ??
        authMetadata.serviceAccountToken;
      if (!token) {
        return {
          name,
          reason:
            'authProvider serviceAccount needs serviceAccountToken in the cluster config',
        };
      }
      auth = { provider: 'serviceAccount', token };
      break;
    }
    case 'aws':
      auth = {
        provider: 'aws',
        clusterId: authMetadata[AWS_CLUSTER_ID] ?? name,
        assumeRole:
          c.getOptionalString('assumeRole') ?? authMetadata[AWS_ASSUME_ROLE],
        externalId:
          c.getOptionalString('externalId') ?? authMetadata[AWS_EXTERNAL_ID],
      };
      break;
    case 'localKubectlProxy':
      auth = { provider: 'anonymous' };
      break;
    default:
      return {
        name,
        reason: `authProvider "${provider}" is not supported by LLM Platform (supported: serviceAccount, aws)`,
      };
  }
  return { ...base, auth };
}

function readKubeconfig(config: Config): ClusterConfig[] {
  const kubeconfig = config.getOptionalConfig(
    'llmPlatform.kubernetes.kubeconfig',
  );
  if (!kubeconfig) {
    return [];
  }
  const path = kubeconfig.getOptionalString('path');
  const kc = new KubeConfig();
  if (path) {
    kc.loadFromFile(path);
  } else {
    kc.loadFromDefault();
  }
  const wanted = kubeconfig.getOptionalStringArray('contexts') ?? [
    kc.getCurrentContext(),
  ];
  return wanted.map(contextName => {
    const context = kc.getContextObject(contextName);
    const cluster = context && kc.getCluster(context.cluster);
    if (!cluster) {
      throw new InputError(
        `llmPlatform.kubernetes.kubeconfig: context "${contextName}" is not in the kubeconfig; it has ${kc
          .getContexts()
          .map(x => `"${x.name}"`)
          .join(', ')}`,
      );
    }
    return {
      name: contextName,
      url: cluster.server.replace(/\/+$/, ''),
      skipTLSVerify: cluster.skipTLSVerify,
      auth: {
        provider: 'kubeconfig',
        kubeconfigPath: path,
        context: contextName,
      },
    };
  });
}

/**
 * Reads clusters from `kubernetes.clusterLocatorMethods` (the official
 * Kubernetes plugin's config: `type: config` and `type: localKubectlProxy`)
 * and, for development, from `llmPlatform.kubernetes.kubeconfig`.
 */
export function readClusterConfigs(config: Config): {
  clusters: ClusterConfig[];
  skipped: SkippedCluster[];
} {
  const clusters: ClusterConfig[] = [];
  const skipped: SkippedCluster[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type === 'config') {
      for (const c of method.getOptionalConfigArray('clusters') ?? []) {
        const result = readConfigCluster(c);
        if ('auth' in result) {
          clusters.push(result);
        } else {
          skipped.push(result);
        }
      }
    } else if (type === 'localKubectlProxy') {
      clusters.push({
        name: 'local',
        url: 'http://127.0.0.1:8001',
        skipTLSVerify: false,
        auth: { provider: 'anonymous' },
      });
    } else {
      skipped.push({
        name: `clusterLocatorMethods type ${type}`,
        reason: `cluster locator type "${type}" is not read by LLM Platform (supported: config, localKubectlProxy)`,
      });
    }
  }
  clusters.push(...readKubeconfig(config));
  const seen = new Set<string>();
  for (const c of clusters) {
    if (seen.has(c.name)) {
      throw new InputError(
        `kubernetes cluster name "${c.name}" is configured twice; cluster names must be unique`,
      );
    }
    seen.add(c.name);
  }
  return { clusters, skipped };
}

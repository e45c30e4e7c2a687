import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { createEksTokenProvider } from './kubernetes/awsToken';
import { createClusterClient } from './kubernetes/ClusterClient';
import { readClusterConfigs } from './kubernetes/config';
import { createMetricsService } from './metrics';
import { createRouter } from './service/router';
import { createWorkloadsService } from './service/WorkloadsService';
import type { Config } from '@backstage/config';

function durationMs(config: Config, key: string, defaultMs: number): number {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : defaultMs;
}

/**
 * The LLM Platform backend plugin, mounted at `/api/llm-platform`.
 *
 * @public
 */
export const llmPlatformPlugin = createBackendPlugin({
  pluginId: 'llm-platform',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        config,
        cache,
        httpAuth,
        httpRouter,
        lifecycle,
        catalog,
      }) {
        const { clusters, skipped } = readClusterConfigs(config);
        for (const s of skipped) {
          logger.warn(`Kubernetes cluster ${s.name} is not read: ${s.reason}`);
        }
        const needsAws = clusters.some(c => c.auth.provider === 'aws');
        const eksToken = needsAws
          ? createEksTokenProvider(
              DefaultAwsCredentialsManager.fromConfig(config),
            )
          : undefined;
        const timeoutMs = durationMs(
          config,
          'llmPlatform.kubernetes.timeout',
          5000,
        );
        const workloads = createWorkloadsService({
          clients: clusters.map(c =>
            createClusterClient(c, { timeoutMs, eksToken }),
          ),
          cache,
          logger,
          timeoutMs,
          resultTtlMs: durationMs(
            config,
            'llmPlatform.workloads.cacheTtl',
            15_000,
          ),
          clusterTtlMs: durationMs(
            config,
            'llmPlatform.workloads.clusterCacheTtl',
            60_000,
          ),
        });
        workloads.warmUp();
        lifecycle.addShutdownHook(() => workloads.stop());
        logger.info('LLM Platform reads Kubernetes clusters', {
          clusters: clusters.map(c => c.name).join(', ') || 'none',
        });
        const metrics = createMetricsService({ config, logger, cache });
        httpRouter.use(
          await createRouter({ httpAuth, catalog, workloads, metrics, logger }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});

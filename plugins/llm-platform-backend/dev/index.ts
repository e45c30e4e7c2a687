import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startScenario } from '../src/testing';

// Runs the plugin alone on :7007 with mocked auth, an in-memory catalog and
// a simulated cluster: `yarn start` in this folder, then
//   curl localhost:7007/api/llm-platform/v1/entities/component/default/mistral/workloads
// LLMP_DEV_SCENARIO picks another scenario from src/testing/scenarios,
// LLMP_DEV_PORT another port.
async function main() {
  const running = await startScenario(
    process.env.LLMP_DEV_SCENARIO ?? 'healthy-gpu-platform',
  );
  const { entity } = running.scenario;
  const port = Number(process.env.LLMP_DEV_PORT ?? 7007);
  const backend = createBackend();
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(
    mockServices.rootConfig.factory({
      data: {
        backend: {
          baseUrl: `http://localhost:${port}`,
          listen: { host: '127.0.0.1', port },
        },
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: running.clusters.map(c => ({
                name: c.name,
                url: c.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: c.token,
                skipTLSVerify: true,
              })),
            },
          ],
        },
      },
    }),
  );
  backend.add(
    catalogServiceMock.factory({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'mistral',
            namespace: 'default',
            annotations: {
              ...(entity.kubernetesId
                ? { 'backstage.io/kubernetes-id': entity.kubernetesId }
                : {}),
              ...(entity.labelSelector
                ? {
                    'backstage.io/kubernetes-label-selector':
                      entity.labelSelector,
                  }
                : {}),
              ...(entity.namespace
                ? { 'backstage.io/kubernetes-namespace': entity.namespace }
                : {}),
            },
          },
          spec: {
            type: 'service',
            owner: 'team-llm',
            lifecycle: 'experimental',
          },
        },
      ],
    }),
  );
  backend.add(import('../src'));
  await backend.start();
}

main();

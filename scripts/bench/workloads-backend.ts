// One backend for the workload benchmark, in its own process so that its RSS
// is its own: either LLM Platform's plugin or the official kubernetes-backend,
// with the same mocked Backstage auth and in-memory catalog.
// Started by workloads.ts; prints "READY <port>" when listening.
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

interface Args {
  backend: 'ours' | 'official';
  clusters: Array<{ name: string; url: string; token: string }>;
  entities: object[];
  llmPlatform?: object;
}

async function main() {
  const args: Args = JSON.parse(process.argv[2]);
  const config = {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: args.clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token,
            // The simulator speaks plain HTTP, which client-node allows only so.
            skipTLSVerify: true,
          })),
        },
      ],
    },
    llmPlatform: args.llmPlatform ?? {},
  };
  const plugin =
    args.backend === 'ours'
      ? import('../../plugins/llm-platform-backend/src')
      : import('@backstage/plugin-kubernetes-backend');
  const { server } = await startTestBackend({
    features: [
      plugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: args.entities as any }),
    ],
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`READY ${port}\n`);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

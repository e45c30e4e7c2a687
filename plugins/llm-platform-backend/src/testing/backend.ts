import net from 'node:net';

/** A cluster the backend under test reads, as the simulator serves it. */
export interface TestCluster {
  name: string;
  url: string;
  token: string;
}

/**
 * The `kubernetes` config section that points the backend at simulated
 * clusters, the way an app configures real ones.
 */
export function kubernetesConfig(clusters: TestCluster[]) {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: clusters.map(c => ({
          name: c.name,
          url: c.url,
          // client-node speaks plain HTTP (the simulator) only with this set.
          skipTLSVerify: true,
          authProvider: 'serviceAccount',
          serviceAccountToken: c.token,
        })),
      },
    ],
  };
}

/** A port of 127.0.0.1 with nothing listening on it: a service that is down. */
export async function closedPort(): Promise<number> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

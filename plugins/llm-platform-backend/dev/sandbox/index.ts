import { KubernetesSimulator } from '../../src/testing/simulator/KubernetesSimulator';
import { LiveExporter } from './exporter';
import path from 'node:path';
import {
  SANDBOX_TOKEN,
  metricsScenario,
  sandboxModels,
  sandboxObjects,
  servingObjects,
} from './platform';
import { startPrometheus } from '../../src/metrics/testing/prometheusHarness';
import { watchPublishedRepos } from './publishedRepos';

// The local sandbox that scripts/start.sh runs next to the portal: a simulated
// cluster, a live metrics exporter and a real Prometheus scraping it. Ports
// match the "sandbox" cluster and Prometheus instance in app-config.yaml.

const port = (name: string, fallback: number) =>
  Number(process.env[name] ?? fallback);

async function main() {
  const ports = {
    kubernetes: port('LLMP_SANDBOX_KUBERNETES_PORT', 7181),
    exporter: port('LLMP_SANDBOX_EXPORTER_PORT', 7182),
    prometheus: port('LLMP_SANDBOX_PROMETHEUS_PORT', 7183),
  };
  const models = sandboxModels();
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  process.on('SIGINT', () => stopAll().then(() => process.exit(0)));
  process.on('SIGTERM', () => stopAll().then(() => process.exit(0)));

  const knownNodes = new Set<string>();
  const simulator = new KubernetesSimulator({
    objects: sandboxObjects(models, knownNodes),
    tokens: {
      [SANDBOX_TOKEN]: {
        user: 'system:serviceaccount:backstage:llm-platform',
        allow: ['*'],
      },
    },
  });
  const kubernetesUrl = await simulator.start(ports.kubernetes);
  stops.push(() => simulator.stop());
  console.log(
    `[sandbox] Kubernetes API simulator (cluster "sandbox") on ${kubernetesUrl}`,
  );

  const now = Math.floor(Date.now() / 1000);
  const exporter = new LiveExporter(metricsScenario(models, now, now));
  const exporterUrl = await exporter.start(ports.exporter);
  stops.push(() => exporter.stop());
  console.log(
    `[sandbox] vLLM and dcgm-exporter metrics on ${exporterUrl}/metrics`,
  );

  // Where llm-platform:publish:local writes (llmPlatform.localPublisher.baseDir).
  const reposDir = path.resolve(
    process.env.LLMP_SANDBOX_REPOS_DIR ?? 'generated-repos',
  );
  const stopWatching = watchPublishedRepos(reposDir, servers => {
    const added = servers.filter(
      s => !models.some(m => m.kubernetesId === s.kubernetesId),
    );
    if (!added.length) return;
    models.push(...added);
    // apply() tells open watches, so the backend's pod informer sees them.
    servingObjects(models, added, knownNodes, new Date()).forEach(o =>
      simulator.apply(o),
    );
    exporter.setScenario(metricsScenario(models, now, now));
    console.log(
      `[sandbox] now serving ${added.map(m => m.kubernetesId).join(', ')}`,
    );
  });
  stops.push(async () => stopWatching());

  try {
    const prometheus = await startPrometheus(
      metricsScenario(models, now - 6 * 3600, now - 15),
      { port: ports.prometheus, scrapeTargets: [new URL(exporterUrl).host] },
    );
    stops.push(() => prometheus.stop());
    console.log(
      `[sandbox] Prometheus (instance "sandbox") on ${prometheus.url}, pid ${prometheus.pid}`,
    );
  } catch (error) {
    // The portal still runs; the latency panel says Prometheus is unreachable.
    console.warn(`[sandbox] no Prometheus: ${(error as Error).message}`);
  }
}

main().catch(error => {
  console.error(`[sandbox] failed to start: ${error.stack ?? error}`);
  process.exit(1);
});

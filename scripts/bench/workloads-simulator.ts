// The simulated clusters of the workload benchmark, in their own process so
// that serving hundreds of megabytes does not share an event loop with the
// driver or the backends. Started by workloads.ts; prints "READY <json>" and
// answers on a control port: GET /requests, POST /reset, GET /footprint.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  loadScenario,
  startScenario,
} from '../../plugins/llm-platform-backend/src/testing';
import { trimPod } from '../../plugins/llm-platform-backend/src/workloads/podInformer';

/** Heap that the pod informer of one cluster holds: every pod, trimmed. */
function footprint(objects: any[]) {
  const gc = (global as any).gc as (() => void) | undefined;
  const pods = objects.filter(o => o.kind === 'Pod');
  const fullJsonMb = JSON.stringify(pods).length / 1e6;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  // A deep copy, as the informer holds it: parsed from the wire, then trimmed.
  const trimmed = pods.map(p => trimPod(JSON.parse(JSON.stringify(p))));
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - before) / 1e6;
  return {
    pods: trimmed.length,
    heapMb,
    fullJsonMb,
    trimmedJsonMb: JSON.stringify(trimmed).length / 1e6,
  };
}

async function main() {
  const scenario = loadScenario(process.argv[2]);
  const running = await startScenario(scenario);
  const id = scenario.entity.kubernetesId!;
  const all = scenario.clusters.flatMap(c => c.objects as any[]);
  const info = {
    entityId: id,
    pods: all.filter(o => o.kind === 'Pod').length,
    entityPods: all.filter(
      o =>
        o.kind === 'Pod' &&
        o.metadata.labels?.['backstage.io/kubernetes-id'] === id,
    ).length,
    gpuNodes: (scenario.clusters[0].objects as any[]).filter(
      o => o.kind === 'Node' && o.status?.allocatable?.['nvidia.com/gpu'],
    ).length,
    apps: (scenario.clusters[0].objects as any[])
      .filter(o => o.kind === 'Deployment')
      .map(o => o.metadata.labels.app as string),
    clusters: running.clusters.map(c => ({
      name: c.name,
      url: c.url,
      token: c.token,
    })),
  };
  const control = http.createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/requests') {
      send(running.clusters.flatMap(c => c.simulator.requests));
    } else if (req.url === '/reset') {
      running.clusters.forEach(c => c.simulator.resetRequests());
      send({});
    } else if (req.url === '/footprint') {
      send(footprint(scenario.clusters[0].objects as any[]));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>(resolve => control.listen(0, '127.0.0.1', resolve));
  const port = (control.address() as AddressInfo).port;
  process.stdout.write(`READY ${JSON.stringify({ ...info, control: port })}\n`);
  process.on('SIGTERM', async () => {
    control.close();
    await running.stop();
    process.exit(0);
  });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

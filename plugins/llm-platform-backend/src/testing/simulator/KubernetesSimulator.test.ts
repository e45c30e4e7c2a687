import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  StorageV1Api,
} from '@kubernetes/client-node';
import { startScenario, RunningScenario } from '../scenario';
import { KubernetesSimulator } from './KubernetesSimulator';
import { buildNode, buildPod } from '../builders';

function kubeConfig(url: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [{ name: 'reader', token }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'reader' }],
    currentContext: 'sim',
  });
  return kc;
}

describe('KubernetesSimulator with @kubernetes/client-node', () => {
  let running: RunningScenario;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    running = await startScenario('healthy-gpu-platform');
    const [cluster] = running.clusters;
    const kc = kubeConfig(cluster.url, cluster.token);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });

  afterAll(() => running.stop());

  it('lists pods cluster-wide and per namespace', async () => {
    const all = await core.listPodForAllNamespaces();
    expect(all.items.map(p => p.metadata?.name).sort()).toEqual([
      'mistral-7b-instruct-vllm-76c4cb45b8-8wdr9',
      'other-team-llm-0',
    ]);
    const research = await core.listNamespacedPod({ namespace: 'research' });
    expect(research.items.map(p => p.metadata?.name)).toEqual([
      'other-team-llm-0',
    ]);
    expect(research.items[0].status?.containerStatuses?.[0].ready).toBe(true);
  });

  it('lists metadata only when asked as metadata informers ask', async () => {
    const [cluster] = running.clusters;
    const list = (accept: string) =>
      fetch(`${cluster.url}/apis/apps/v1/replicasets`, {
        headers: { authorization: `Bearer ${cluster.token}`, accept },
      }).then(res => res.json());
    const partial = await list(
      'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    );
    const full = await list('application/json');
    expect(partial.kind).toBe('PartialObjectMetadataList');
    expect(partial.apiVersion).toBe('meta.k8s.io/v1');
    expect(partial.items.length).toBeGreaterThan(0);
    expect(partial.items).toEqual(
      full.items.map((rs: any) => ({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: rs.metadata,
      })),
    );
    expect(partial.items[0].metadata.ownerReferences[0].kind).toBe(
      'Deployment',
    );
    // The full form when it comes first, as from any other client.
    expect(
      (
        await list(
          'application/json,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
        )
      ).kind,
    ).toBe('ReplicaSetList');
  });

  it('applies label selectors with equality and set semantics', async () => {
    const byId = await core.listPodForAllNamespaces({
      labelSelector: 'backstage.io/kubernetes-id=vllm-mistral',
    });
    expect(byId.items).toHaveLength(1);
    const notIn = await core.listPodForAllNamespaces({
      labelSelector: 'app notin (mistral-7b-instruct-vllm),!pod-template-hash',
    });
    expect(notIn.items.map(p => p.metadata?.name)).toEqual([
      'other-team-llm-0',
    ]);
    const nodes = await core.listNode({ labelSelector: 'workload in (gpu)' });
    expect(nodes.items).toHaveLength(2);
  });

  it('applies field selectors and rejects unsupported fields with 400', async () => {
    const onNode = await core.listPodForAllNamespaces({
      fieldSelector: 'spec.nodeName=ip-10-0-1-11,status.phase!=Failed',
    });
    expect(onNode.items.map(p => p.metadata?.name)).toEqual([
      'other-team-llm-0',
    ]);
    const warnings = await core.listEventForAllNamespaces({
      fieldSelector: 'type=Warning',
    });
    expect(warnings.items).toHaveLength(1);
    await expect(
      core.listPodForAllNamespaces({ fieldSelector: 'spec.hostname=x' }),
    ).rejects.toMatchObject({ code: 400 });
  });

  it('gets single objects and answers 404 for missing ones', async () => {
    const deployment = await apps.readNamespacedDeployment({
      name: 'mistral-7b-instruct-vllm',
      namespace: 'llm-baseline',
    });
    expect(deployment.status?.readyReplicas).toBe(1);
    const node = await core.readNode({ name: 'ip-10-0-1-10' });
    expect(node.status?.allocatable?.['nvidia.com/gpu']).toBe('1');
    await expect(
      core.readNamespacedPod({ name: 'nope', namespace: 'research' }),
    ).rejects.toMatchObject({ code: 404 });
    const storage = kubeConfig(
      running.clusters[0].url,
      running.clusters[0].token,
    ).makeApiClient(StorageV1Api);
    const classes = await storage.listStorageClass();
    expect(classes.items.map(s => s.provisioner)).toEqual(['ebs.csi.aws.com']);
  });

  it('counts requests and bytes per resource', async () => {
    const sim = running.clusters[0].simulator;
    sim.resetRequests();
    await apps.listReplicaSetForAllNamespaces();
    expect(sim.requests).toEqual([
      expect.objectContaining({
        verb: 'list',
        resource: 'replicasets.apps',
        status: 200,
        bytes: expect.any(Number),
      }),
    ]);
    expect(sim.requests[0].bytes).toBeGreaterThan(100);
  });
});

describe('KubernetesSimulator auth and faults', () => {
  const sim = new KubernetesSimulator({
    objects: [
      buildNode({ name: 'n1', gpus: 1 }),
      buildPod({ name: 'p1', namespace: 'a', nodeName: 'n1' }),
    ],
    tokens: {
      admin: { user: 'admin', allow: ['*'] },
      podReader: {
        user: 'system:serviceaccount:backstage:reader',
        allow: ['list pods'],
      },
    },
  });
  let url: string;

  beforeAll(async () => {
    url = await sim.start();
  });
  afterAll(() => sim.stop());
  afterEach(() => sim.setFaults([]));

  it('answers 401 without a known bearer token', async () => {
    const anonymous = await fetch(`${url}/api/v1/pods`);
    expect(anonymous.status).toBe(401);
    const core = kubeConfig(url, 'wrong').makeApiClient(CoreV1Api);
    await expect(core.listPodForAllNamespaces()).rejects.toMatchObject({
      code: 401,
    });
  });

  it('answers 403 naming the verb and resource a token may not use', async () => {
    const core = kubeConfig(url, 'podReader').makeApiClient(CoreV1Api);
    await expect(core.listPodForAllNamespaces()).resolves.toMatchObject({
      items: [expect.anything()],
    });
    const error: ApiException<string> = await core
      .listNode()
      .then(() => {
        throw new Error('expected 403');
      })
      .catch(e => e);
    expect(error.code).toBe(403);
    expect(error.body).toContain(
      'User \\"system:serviceaccount:backstage:reader\\" cannot list resource \\"nodes\\"',
    );
  });

  it('injects latency and 500s per resource', async () => {
    sim.setFaults([
      { resource: 'nodes', status: 500 },
      { resource: 'pods', latencyMs: 150 },
    ]);
    const core = kubeConfig(url, 'admin').makeApiClient(CoreV1Api);
    await expect(core.listNode()).rejects.toMatchObject({ code: 500 });
    const started = Date.now();
    await core.listPodForAllNamespaces();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('streams watch events, answering the watch at once', async () => {
    const list = await (
      await fetch(`${url}/api/v1/namespaces/a/pods`, {
        headers: { authorization: 'Bearer admin' },
      })
    ).json();
    const watch = await fetch(
      `${url}/api/v1/namespaces/a/pods?watch=1&resourceVersion=${list.metadata.resourceVersion}`,
      {
        headers: { authorization: 'Bearer admin' },
        signal: AbortSignal.timeout(2000),
      },
    );
    expect(watch.status).toBe(200);
    const reader = watch.body!.getReader();
    sim.apply(buildPod({ name: 'p2', namespace: 'a', nodeName: 'n1' }));
    sim.apply(buildPod({ name: 'elsewhere', namespace: 'b' }));
    sim.remove('v1', 'Pod', 'p2', 'a');
    let text = '';
    while ((text.match(/\n/g) ?? []).length < 2) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const events = text
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'p2'],
      ['DELETED', 'p2'],
    ]);
    expect(events[0].object.kind).toBe('Pod');
  });

  it('refuses a watch to a token without the watch verb', async () => {
    const res = await fetch(`${url}/api/v1/pods?watch=1`, {
      headers: { authorization: 'Bearer podReader' },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).message).toContain(
      'cannot watch resource "pods"',
    );
  });

  it('hangs until the client gives up', async () => {
    sim.setFaults([{ resource: 'pods', hang: true }]);
    const result = await fetch(`${url}/api/v1/pods`, {
      headers: { authorization: 'Bearer admin' },
      signal: AbortSignal.timeout(200),
    }).catch(e => e);
    expect(result).toMatchObject({ name: 'TimeoutError' });
  });
});

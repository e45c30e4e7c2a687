import fs from 'node:fs';
import path from 'node:path';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import {
  collectRepositoryFiles,
  directoryReader,
  validateRepository,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { parse as parseYaml } from 'yaml';
import { loadTemplate, renderTemplate } from '../renderTemplate';
import {
  kustomizeBuild,
  runCommand,
  type K8sObject,
} from '../llmPlatform/generatedRepo';
import {
  addModel,
  createLocalRepos,
  modelParameters,
  publishPlatform,
  type LocalRepos,
} from './renderLlmModel';

const nodeReader = directoryReader(fs, path);

async function gitOut(dir: string, ...args: string[]) {
  const { code, output } = await runCommand('git', args, dir);
  if (code !== 0) throw new Error(`git ${args.join(' ')}: ${output}`);
  return output.trim();
}
const headOf = (dir: string) => gitOut(dir, 'rev-parse', 'HEAD');

const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find(o => o.kind === kind && o.metadata.name === name);

describe('the llm-model template', () => {
  let repos: LocalRepos;
  let repoDir: string;
  let platformHead: string;
  let rendered: Awaited<ReturnType<typeof addModel>>;
  let dev: K8sObject[];
  let prod: K8sObject[];

  beforeAll(async () => {
    repos = await createLocalRepos();
    await publishPlatform(repos);
    repoDir = path.join(repos.baseDir, 'demo-platform');
    platformHead = await headOf(repoDir);
    rendered = await addModel(repos, modelParameters());
    dev = await kustomizeBuild(path.join(repoDir, 'k8s/overlays/dev'));
    prod = await kustomizeBuild(path.join(repoDir, 'k8s/overlays/prod'));
  }, 120_000);

  afterAll(async () => {
    await repos?.remove();
    if (rendered)
      await fs.promises.rm(rendered.workspace, {
        recursive: true,
        force: true,
      });
  });

  it('is a valid v1beta3 template entity', async () => {
    const { doc } = await loadTemplate('llm-model');
    expect(await templateEntityV1beta3Validator.check(doc)).toBe(true);
  });

  it('commits the model server, the overlay entry and the scrape job on top of the platform', async () => {
    expect(await gitOut(repoDir, 'rev-parse', 'HEAD~1')).toBe(platformHead);
    expect(await gitOut(repoDir, 'log', '-1', '--format=%s')).toBe(
      'Serve Qwen/Qwen2.5-7B-Instruct-AWQ as demo-qwen',
    );
    expect(await gitOut(repoDir, 'rev-parse', 'HEAD')).toBe(
      rendered.steps['publish-local'].output.commitHash,
    );
    expect(rendered.steps['publish-local'].output.changedFiles).toEqual([
      'catalog/demo-qwen.yaml',
      'k8s/base/llm-serving/demo-qwen/deployment.yaml',
      'k8s/base/llm-serving/demo-qwen/kustomization.yaml',
      'k8s/base/llm-serving/demo-qwen/service.yaml',
      'k8s/base/observability/prometheus/configmap.yaml',
      'k8s/overlays/dev/kustomization.yaml',
    ]);
    // Nothing left uncommitted in the repository.
    expect(await gitOut(repoDir, 'status', '--porcelain')).toBe('');
    expect(repos.registered.at(-1)).toEqual({
      type: 'file',
      target: path.join(repoDir, 'catalog/demo-qwen.yaml'),
    });
  });

  it('deploys both models in the chosen overlay, and only the first elsewhere', () => {
    const servers = (objects: K8sObject[]) =>
      objects
        .filter(
          o =>
            o.kind === 'Deployment' && o.metadata.namespace === 'llm-serving',
        )
        .map(o => o.metadata.name)
        .sort();
    expect(servers(dev)).toEqual(['demo-qwen', 'vllm']);
    expect(servers(prod)).toEqual(['vllm']);
  });

  it('renders the vLLM Deployment from the plan, for the GPU nodes', () => {
    const plan = rendered.steps.plan.output;
    const deployment = find(dev, 'Deployment', 'demo-qwen')!;
    const pod = deployment.spec.template;
    const [container] = pod.spec.containers;
    expect(container.args).toEqual([...plan.vllmArgs, '--host', '0.0.0.0']);
    expect(pod.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'demo-qwen',
      'backstage.io/kubernetes-id': 'demo-qwen',
      environment: 'dev',
    });
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'demo-qwen',
    });
    expect(pod.spec.nodeSelector).toEqual({
      'nvidia.com/gpu.present': 'true',
      'node.kubernetes.io/instance-type': plan.instanceType,
    });
    expect(pod.spec.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(container.resources.limits['nvidia.com/gpu']).toBe(
      String(plan.gpuCount),
    );
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe].httpGet).toEqual({
        path: '/health',
        port: 'http',
      });
    }
    const claim = find(dev, 'PersistentVolumeClaim', 'demo-qwen-hf-cache')!;
    expect(claim.spec).toMatchObject({
      storageClassName: 'gp3',
      resources: { requests: { storage: plan.modelCacheSize } },
    });
    expect(pod.spec.volumes).toContainEqual({
      name: 'hf-cache',
      persistentVolumeClaim: { claimName: 'demo-qwen-hf-cache' },
    });
  });

  it('keeps the two model servers apart: selectors, Services and scrape jobs', () => {
    const first = find(dev, 'Deployment', 'vllm')!;
    const second = find(dev, 'Deployment', 'demo-qwen')!;
    const matches = (
      selector: Record<string, string>,
      labels: Record<string, string>,
    ) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    expect(
      matches(
        first.spec.selector.matchLabels,
        second.spec.template.metadata.labels,
      ),
    ).toBe(false);
    expect(
      matches(
        second.spec.selector.matchLabels,
        first.spec.template.metadata.labels,
      ),
    ).toBe(false);
    const service = find(dev, 'Service', 'demo-qwen')!;
    expect(
      matches(service.spec.selector, second.spec.template.metadata.labels),
    ).toBe(true);
    expect(
      matches(
        find(dev, 'Service', 'vllm')!.spec.selector,
        second.spec.template.metadata.labels,
      ),
    ).toBe(false);
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' },
    ]);

    const config = find(dev, 'ConfigMap', 'prometheus-config')!;
    const jobs = parseYaml(config.data['prometheus.yml']).scrape_configs;
    const keeps = (job: any) =>
      job.relabel_configs.find(
        (r: any) =>
          r.action === 'keep' &&
          r.source_labels[0] ===
            '__meta_kubernetes_pod_label_app_kubernetes_io_name',
      )?.regex;
    expect(jobs.map((j: any) => j.job_name)).toEqual(
      expect.arrayContaining(['vllm', 'vllm-demo-qwen']),
    );
    expect(keeps(jobs.find((j: any) => j.job_name === 'vllm-demo-qwen'))).toBe(
      'demo-qwen',
    );
    expect(keeps(jobs.find((j: any) => j.job_name === 'vllm'))).toBe('vllm');
    // The services job drops vLLM pods by name; the new pods carry no scrape
    // annotation, so they are scraped once, by their own job.
    expect(
      second.spec.template.metadata.annotations['prometheus.io/scrape'],
    ).toBeUndefined();
  });

  it('describes the model server in the catalog for the dashboard', async () => {
    const entity = parseYaml(
      await fs.promises.readFile(
        path.join(repoDir, 'catalog/demo-qwen.yaml'),
        'utf8',
      ),
    );
    expect(entity).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'demo-qwen',
        annotations: {
          'backstage.io/kubernetes-id': 'demo-qwen',
          'backstage.io/kubernetes-namespace': 'llm-serving',
          'llm-platform.io/model-names': 'Qwen/Qwen2.5-7B-Instruct-AWQ',
        },
      },
      spec: {
        owner: 'group:default/ml-platform',
        system: 'system:default/demo-platform',
      },
    });
    expect(entity.metadata.description).toMatch(
      /^vLLM serving Qwen\/Qwen2.5-7B-Instruct-AWQ on g4dn.xlarge/,
    );
  });

  it('leaves the preflight rules nothing to report, before and after the commit', () => {
    expect(rendered.steps.validate.output).toMatchObject({
      errorCount: 0,
      warningCount: 0,
      findings: [],
    });
    const report = validateRepository(
      collectRepositoryFiles(repoDir, nodeReader),
    );
    expect(report.findings).toEqual([]);
  });

  it('refuses a second model server of the same name and leaves the repository as it was', async () => {
    const head = await headOf(repoDir);
    await expect(
      addModel(repos, modelParameters({ model: 'qwen2.5-0.5b-instruct' })),
    ).rejects.toThrow(
      'k8s/overlays/dev/kustomization.yaml already lists ../../base/llm-serving/demo-qwen: a model server of that name exists; choose another name',
    );
    expect(await headOf(repoDir)).toBe(head);
  });

  it('refuses a platform repository that does not exist, naming the ones that do', async () => {
    await expect(
      addModel(
        repos,
        modelParameters({ name: 'other', platformRepo: 'no-such-platform' }),
      ),
    ).rejects.toThrow(
      /repoName "no-such-platform".*the repositories there are demo-platform/,
    );
  });

  it('refuses an environment the platform has no overlay for', async () => {
    await expect(
      addModel(
        repos,
        modelParameters({ name: 'other', environments: ['staging'] }),
      ),
    ).rejects.toThrow(
      'environments: the repository has no overlay k8s/overlays/staging; it has dev, prod',
    );
  });

  it('refuses a model that does not fit before touching anything (D16)', async () => {
    await expect(
      addModel(
        repos,
        modelParameters({
          name: 'other',
          model: 'mistral-7b-instruct-v0.2',
          quantization: 'none',
        }),
      ),
    ).rejects.toThrow(/KV cache/i);
  });

  it('has its preflight step catch a broken model server (D02, D14)', async () => {
    const workspace = await fs.promises.mkdtemp(
      path.join(repos.baseDir, '..', 'llm-model-break-'),
    );
    try {
      await renderTemplate('llm-model', modelParameters({ name: 'broken' }), {
        until: 'include',
        actions: repos.actions,
        workspace,
      });
      const folder = path.join(workspace, 'k8s/base/llm-serving/broken');
      const deployment = path.join(folder, 'deployment.yaml');
      fs.writeFileSync(
        deployment,
        fs
          .readFileSync(deployment, 'utf8')
          .replace('storageClassName: gp3', 'storageClassName: fast-ssd'),
      );
      fs.appendFileSync(
        path.join(folder, 'kustomization.yaml'),
        'commonLabels:\n  team: ml\n',
      );
      const report = validateRepository(
        collectRepositoryFiles(workspace, nodeReader),
      );
      const broken = report.findings.filter(f =>
        f.file.startsWith('k8s/base/llm-serving/broken/'),
      );
      expect(broken.flatMap(f => f.failures)).toEqual(
        expect.arrayContaining(['D02', 'D14']),
      );
    } finally {
      await fs.promises.rm(workspace, { recursive: true, force: true });
    }
  });
});

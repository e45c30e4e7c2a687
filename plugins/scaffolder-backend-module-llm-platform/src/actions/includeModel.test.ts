import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { PLATFORM_FILES, writeFiles } from './__fixtures__/localRepos';
import { createIncludeModelAction } from './includeModel';
import { examples } from './includeModel.examples';

const MODEL_KUSTOMIZATION = 'resources:\n  - deployment.yaml\n';

describe('llm-platform:model:include', () => {
  const workspace = createMockDirectory();
  const read = (file: string) =>
    fs.readFileSync(path.join(workspace.path, file), 'utf8');
  const prometheusJobs = () =>
    yaml.parse(
      yaml.parse(read('k8s/base/observability/prometheus/configmap.yaml')).data[
        'prometheus.yml'
      ],
    ).scrape_configs;

  function run(input: Record<string, unknown>) {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
    });
    const warn = jest.spyOn(ctx.logger, 'warn');
    return { ctx, warn, done: createIncludeModelAction().handler(ctx) };
  }

  beforeEach(() => {
    workspace.clear();
    writeFiles(workspace.path, {
      ...PLATFORM_FILES,
      'k8s/base/llm-serving/demo-qwen/kustomization.yaml': MODEL_KUSTOMIZATION,
      'deploy/envs/dev/kustomization.yaml': 'resources: []\n',
      'deploy/models/demo-qwen/kustomization.yaml': MODEL_KUSTOMIZATION,
    });
  });

  it('runs the example: deploy in dev and prod, with a scrape job', async () => {
    const step = yaml.parse(examples[0].example).steps[0];
    const { ctx, done } = run(step.input);
    await done;
    const dev = read('k8s/overlays/dev/kustomization.yaml');
    expect(yaml.parse(dev).resources).toEqual([
      '../../base',
      '../../base/llm-serving/demo-qwen',
    ]);
    // Comments of the edited file are kept.
    expect(dev).toContain('# The whole platform in one build.');
    expect(
      yaml.parse(read('k8s/overlays/prod/kustomization.yaml')).resources,
    ).toEqual(['../../base', '../../base/llm-serving/demo-qwen']);
    expect(prometheusJobs().map((j: any) => j.job_name)).toEqual([
      'vllm',
      'vllm-demo-qwen',
    ]);
    expect(prometheusJobs()[1]).toEqual(step.input.scrapeJob);
    const config = read('k8s/base/observability/prometheus/configmap.yaml');
    expect(config).toContain('# The first model server.');
    expect(config).toContain('prometheus.yml: |');
    expect(ctx.output).toHaveBeenCalledWith('changedFiles', [
      'k8s/overlays/dev/kustomization.yaml',
      'k8s/overlays/prod/kustomization.yaml',
      'k8s/base/observability/prometheus/configmap.yaml',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('scrapeJobAdded', true);
  });

  it('runs the example: another layout, no scrape job', async () => {
    const step = yaml.parse(examples[1].example).steps[0];
    const { ctx, done } = run(step.input);
    await done;
    expect(
      yaml.parse(read('deploy/envs/dev/kustomization.yaml')).resources,
    ).toEqual(['../../models/demo-qwen']);
    expect(prometheusJobs().map((j: any) => j.job_name)).toEqual(['vllm']);
    expect(ctx.output).toHaveBeenCalledWith('scrapeJobAdded', false);
  });

  it('adds no scrape job to a platform without Prometheus, and says so', async () => {
    fs.rmSync(path.join(workspace.path, 'k8s/base/observability'), {
      recursive: true,
    });
    const { ctx, warn, done } = run({
      modelPath: 'k8s/base/llm-serving/demo-qwen',
      environments: ['dev'],
      scrapeJob: { job_name: 'vllm-demo-qwen' },
    });
    await done;
    expect(ctx.output).toHaveBeenCalledWith('scrapeJobAdded', false);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/no scrape job was added/),
    );
  });

  it('refuses an environment without an overlay and names the ones there', async () => {
    const { done } = run({
      modelPath: 'k8s/base/llm-serving/demo-qwen',
      environments: ['dev', 'staging'],
    });
    await expect(done).rejects.toThrow(InputError);
    await expect(done).rejects.toThrow(
      'environments: the repository has no overlay k8s/overlays/staging; it has dev, prod',
    );
    // Nothing was edited, not even the dev overlay that was fine.
    expect(read('k8s/overlays/dev/kustomization.yaml')).toBe(
      PLATFORM_FILES['k8s/overlays/dev/kustomization.yaml'],
    );
  });

  it('refuses a model server that an overlay already lists', async () => {
    const input = {
      modelPath: 'k8s/base/llm-serving/demo-qwen',
      environments: ['dev'],
    };
    await run(input).done;
    const again = run(input).done;
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow(
      /already lists \.\.\/\.\.\/base\/llm-serving\/demo-qwen/,
    );
  });

  it('refuses a scrape job name that the config already has', async () => {
    const { done } = run({
      modelPath: 'k8s/base/llm-serving/demo-qwen',
      environments: ['dev'],
      scrapeJob: { job_name: 'vllm' },
    });
    await expect(done).rejects.toThrow(/already has the scrape job vllm/);
    expect(read('k8s/overlays/dev/kustomization.yaml')).toBe(
      PLATFORM_FILES['k8s/overlays/dev/kustomization.yaml'],
    );
  });

  it.each([
    [
      { modelPath: '../outside', environments: ['dev'] },
      /modelPath "..\/outside" must stay inside the workspace/,
    ],
    [
      { modelPath: 'k8s/base/llm-serving/missing', environments: ['dev'] },
      /has no kustomization.yaml: render the model server there/,
    ],
    [
      { modelPath: 'k8s/base/llm-serving/demo-qwen', environments: ['../dev'] },
      /no overlay k8s\/overlays\/..\/dev/,
    ],
  ])('refuses %j', async (input, message) => {
    const { done } = run(input);
    await expect(done).rejects.toThrow(InputError);
    await expect(done).rejects.toThrow(message);
  });
});

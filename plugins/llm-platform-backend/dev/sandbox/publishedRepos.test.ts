// Runs with: yarn backstage-cli package test --roots=<rootDir>/../dev (jest roots at src/ by default).
import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import type { SandboxModel } from './platform';
import { watchPublishedRepos } from './publishedRepos';

const server = (name: string, model: string) =>
  [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    `    backstage.io/kubernetes-id: ${name}`,
    '    backstage.io/kubernetes-namespace: llm-serving',
    `    llm-platform.io/model-names: ${model}`,
    'spec: { type: service, lifecycle: experimental, owner: team-a }',
    '',
  ].join('\n');

describe('watchPublishedRepos', () => {
  const dir = createMockDirectory();

  afterEach(() => jest.useRealTimers());

  it('serves a model server committed into an existing repository', async () => {
    dir.setContent({
      'demo-platform/catalog-info.yaml': server(
        'demo-platform-vllm',
        'TheBloke/Mistral-7B-Instruct-v0.2-AWQ',
      ),
    });
    jest.useFakeTimers();
    const seen: SandboxModel[][] = [];
    const stop = watchPublishedRepos(dir.path, s => seen.push(s), 1000);
    expect(seen.map(s => s.map(m => m.kubernetesId))).toEqual([
      ['demo-platform-vllm'],
    ]);

    fs.mkdirSync(path.join(dir.path, 'demo-platform/catalog'));
    fs.writeFileSync(
      path.join(dir.path, 'demo-platform/catalog/demo-qwen.yaml'),
      server('demo-qwen', 'Qwen/Qwen2.5-7B-Instruct-AWQ'),
    );
    jest.advanceTimersByTime(1000);
    expect(seen.map(s => s.map(m => m.kubernetesId))).toEqual([
      ['demo-platform-vllm'],
      ['demo-qwen'],
    ]);
    const added = seen[1][0];
    expect(added.profile.name).toBe('Qwen/Qwen2.5-7B-Instruct-AWQ');
    expect(added.profile.namespace).toBe('llm-serving');

    // Unchanged files are not read again.
    jest.advanceTimersByTime(3000);
    expect(seen).toHaveLength(2);
    stop();
  });
});

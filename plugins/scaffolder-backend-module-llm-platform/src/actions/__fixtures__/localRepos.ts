import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';

/** The files of a small platform repository of the llm-platform shape. */
export const PLATFORM_FILES: Record<string, string> = {
  'catalog-info.yaml': [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: demo-vllm',
    'spec: { type: service, lifecycle: experimental, owner: team-a }',
    '',
  ].join('\n'),
  'k8s/base/kustomization.yaml': 'resources:\n  - llm-serving\n',
  'k8s/base/llm-serving/kustomization.yaml': 'resources:\n  - vllm.yaml\n',
  'k8s/base/llm-serving/vllm.yaml':
    'apiVersion: v1\nkind: Service\nmetadata: { name: vllm }\n',
  'k8s/overlays/dev/kustomization.yaml': [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    '',
    '# The whole platform in one build.',
    'resources:',
    '  - ../../base',
    '',
  ].join('\n'),
  'k8s/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n',
  'k8s/base/observability/prometheus/configmap.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: prometheus-config',
    'data:',
    '  prometheus.yml: |',
    '    global:',
    '      scrape_interval: 15s',
    '    scrape_configs:',
    '      # The first model server.',
    '      - job_name: vllm',
    '        static_configs:',
    '          - targets: ["vllm:8000"]',
    '',
  ].join('\n'),
};

/** Writes files under a folder. */
export function writeFiles(root: string, files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
}

/** A git repository with one commit of the files, as llm-platform:publish:local leaves it. */
export async function createLocalRepo(
  dir: string,
  files: Record<string, string> = PLATFORM_FILES,
): Promise<string> {
  writeFiles(dir, files);
  await git.init({ fs, dir, defaultBranch: 'main' });
  await git.add({ fs, dir, filepath: '.' });
  return git.commit({
    fs,
    dir,
    message: 'Initial commit',
    author: { name: 'Scaffolder', email: 'scaffolder@backstage.io' },
  });
}

import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { modelProfile } from '../../src/metrics/testing/generator';
import type { SandboxModel } from './platform';

// Entities that llm-platform:publish:local writes become sandbox workloads: a
// generated model server gets vLLM pods in the simulated cluster and series in
// the exporter, so its dashboard tab shows data right after creation.

const ID = 'backstage.io/kubernetes-id';
const NAMESPACE = 'backstage.io/kubernetes-namespace';
const MODELS = 'llm-platform.io/model-names';

/** The model servers described by one repository's catalog-info.yaml. */
export function modelServersIn(catalogInfo: string): SandboxModel[] {
  const servers: SandboxModel[] = [];
  for (const doc of parseAllDocuments(catalogInfo)) {
    const entity = doc.toJS() as {
      kind?: string;
      metadata?: { annotations?: Record<string, string> };
    } | null;
    const annotations = entity?.metadata?.annotations ?? {};
    const id = annotations[ID];
    const model = annotations[MODELS]?.split(',')[0]?.trim();
    if (entity?.kind === 'Component' && id && model) {
      servers.push({
        kubernetesId: id,
        profile: modelProfile({
          name: model,
          namespace: annotations[NAMESPACE] || 'llm-serving',
          podPrefix: id,
          pods: 1,
        }),
      });
    }
  }
  return servers;
}

/** Calls `onNew` with the model servers of every repository created under `dir`. */
export function watchPublishedRepos(
  dir: string,
  onNew: (servers: SandboxModel[]) => void,
  intervalMs = 2000,
): () => void {
  const seen = new Set<string>();
  const scan = () => {
    let repos: string[];
    try {
      repos = fs.readdirSync(dir);
    } catch {
      return; // nothing published yet
    }
    for (const repo of repos) {
      const file = path.join(dir, repo, 'catalog-info.yaml');
      if (seen.has(repo) || !fs.existsSync(file)) continue;
      seen.add(repo);
      try {
        const servers = modelServersIn(fs.readFileSync(file, 'utf8'));
        if (servers.length) onNew(servers);
      } catch (error) {
        console.warn(`[sandbox] ignoring ${file}: ${(error as Error).message}`);
      }
    }
  };
  scan();
  const timer = setInterval(scan, intervalMs);
  return () => clearInterval(timer);
}

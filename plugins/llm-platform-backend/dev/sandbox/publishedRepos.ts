import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { modelProfile } from '../../src/metrics/testing/generator';
import type { SandboxModel } from './platform';

// Entities that llm-platform:publish:local writes, and those that
// llm-platform:commit:local adds to a repository later, become sandbox
// workloads: a model server gets vLLM pods in the simulated cluster and series
// in the exporter, so its dashboard tab shows data right after creation.

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

/**
 * The catalog files of one repository: its catalog-info.yaml, and the files
 * under catalog/ that day-2 templates (llm-model) commit into it later.
 */
function catalogFilesOf(repoDir: string): string[] {
  const files = [path.join(repoDir, 'catalog-info.yaml')];
  try {
    for (const name of fs.readdirSync(path.join(repoDir, 'catalog')).sort()) {
      if (/\.ya?ml$/.test(name))
        files.push(path.join(repoDir, 'catalog', name));
    }
  } catch {
    // no catalog/ folder
  }
  return files.filter(f => fs.existsSync(f));
}

/**
 * Calls `onNew` with the model servers of every catalog file that appears, or
 * changes, under `dir`: new repositories, and entities committed into existing
 * ones. The caller skips servers it already serves.
 */
export function watchPublishedRepos(
  dir: string,
  onNew: (servers: SandboxModel[]) => void,
  intervalMs = 2000,
): () => void {
  const seen = new Map<string, number>();
  const scan = () => {
    let repos: string[];
    try {
      repos = fs.readdirSync(dir);
    } catch {
      return; // nothing published yet
    }
    for (const repo of repos) {
      for (const file of catalogFilesOf(path.join(dir, repo))) {
        try {
          const modified = fs.statSync(file).mtimeMs;
          if (seen.get(file) === modified) continue;
          seen.set(file, modified);
          const servers = modelServersIn(fs.readFileSync(file, 'utf8'));
          if (servers.length) onNew(servers);
        } catch (error) {
          console.warn(
            `[sandbox] ignoring ${file}: ${(error as Error).message}`,
          );
        }
      }
    }
  };
  scan();
  const timer = setInterval(scan, intervalMs);
  return () => clearInterval(timer);
}

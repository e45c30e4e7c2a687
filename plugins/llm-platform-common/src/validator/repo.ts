import {
  LineCounter,
  isMap,
  isNode,
  isScalar,
  parseAllDocuments,
  type Document,
} from 'yaml';
import { allBlocks, parseHcl, type HclBlock } from './hcl';
import type { RepoFile } from './types';

/**
 * One YAML document with a way to find the line of any value in it.
 *
 * @public
 */
export interface YamlDoc {
  file: string;
  value: any;
  /** Line of the node at `path`, or of the nearest ancestor that exists. */
  lineOf(path: (string | number)[]): number;
}

/**
 * A Kubernetes object found in the repository's YAML.
 *
 * @public
 */
export interface K8sObject {
  file: string;
  doc: YamlDoc;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  value: any;
}

/**
 * A `kustomization.yaml` and the directory it sits in.
 *
 * @public
 */
export interface Kustomization {
  file: string;
  dir: string;
  doc: YamlDoc;
  value: any;
}

/**
 * A pod template and where it sits.
 *
 * @public
 */
export interface PodTemplate {
  owner: K8sObject;
  spec: any;
  /** Path of the pod spec inside the owner's document. */
  path: (string | number)[];
  labels: Record<string, string>;
}

function dirname(path: string) {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Joins and normalizes a relative path inside the repository; undefined when
 * it leaves the repository.
 *
 * @public
 */
export function joinPath(dir: string, relative: string): string | undefined {
  const parts = dir ? dir.split('/') : [];
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

const YAML_FILE = /\.(ya?ml)$/i;
const WORKLOAD_KINDS: Record<string, (string | number)[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

// Fields of a KServe component that configure KServe rather than the pod.
const KSERVE_COMPONENT_FIELDS = new Set([
  'model',
  'minReplicas',
  'maxReplicas',
  'scaleTarget',
  'scaleMetric',
  'scaleMetricType',
  'containerConcurrency',
  'timeout',
  'canaryTrafficPercent',
  'logger',
  'batcher',
  'labels',
  'annotations',
  'deploymentStrategy',
  'autoScaling',
]);

/**
 * The pod spec KServe's RawDeployment mode runs for an InferenceService's
 * predictor: the serving runtime's containers, the first with the model's
 * resources, and the predictor's own pod fields (those that configure KServe
 * left out).
 *
 * @public
 */
export function kservePredictorPodSpec(
  predictor: Record<string, any>,
  runtimeContainers: unknown,
): Record<string, unknown> {
  const [main, ...sidecars] = Array.isArray(runtimeContainers)
    ? runtimeContainers
    : [];
  const podFields = Object.fromEntries(
    Object.entries(predictor).filter(([k]) => !KSERVE_COMPONENT_FIELDS.has(k)),
  );
  const containers = main
    ? [
        { ...main, resources: predictor.model?.resources ?? main.resources },
        ...sidecars,
      ]
    : [];
  return { ...podFields, containers };
}

/**
 * Everything the rules look at, parsed once.
 *
 * @public
 */
export class RepoIndex {
  readonly files = new Map<string, string>();
  readonly yamlDocs: YamlDoc[] = [];
  readonly objects: K8sObject[] = [];
  readonly kustomizations: Kustomization[] = [];
  readonly hcl: HclBlock[] = [];
  readonly parseErrors: { file: string; line: number; message: string }[] = [];
  private readonly dirs = new Set<string>();

  constructor(files: RepoFile[]) {
    for (const f of files) {
      const path = f.path.replace(/\\/g, '/').replace(/^\.\//, '');
      this.files.set(path, f.content);
      let d = dirname(path);
      while (d) {
        this.dirs.add(d);
        d = dirname(d);
      }
    }
    for (const [path, content] of this.files) {
      if (YAML_FILE.test(path)) this.indexYaml(path, content);
      if (/\.(tf|tfvars)$/.test(path)) this.hcl.push(parseHcl(content, path));
    }
  }

  private indexYaml(file: string, content: string) {
    const lineCounter = new LineCounter();
    let docs: Document.Parsed[];
    try {
      docs = parseAllDocuments(content, { lineCounter }) as Document.Parsed[];
    } catch (e) {
      this.parseErrors.push({ file, line: 1, message: String(e) });
      return;
    }
    if (!Array.isArray(docs)) return;
    for (const doc of docs) {
      if (doc.errors.length) {
        const err = doc.errors[0];
        this.parseErrors.push({
          file,
          line: lineCounter.linePos(err.pos[0]).line,
          message: err.message.split('\n')[0],
        });
        continue;
      }
      const value = doc.toJS();
      if (value === null || typeof value !== 'object') continue;
      const yamlDoc: YamlDoc = {
        file,
        value,
        lineOf: path => {
          const line = (offset: number) => lineCounter.linePos(offset).line;
          for (let n = path.length; n > 0; n--) {
            const parent =
              n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
            const last = path[n - 1];
            // A key's own line, not its value's, which may start a line later.
            if (isMap(parent)) {
              const pair = parent.items.find(
                p => isScalar(p.key) && String(p.key.value) === String(last),
              );
              if (pair && isNode(pair.key) && pair.key.range) {
                return line(pair.key.range[0]);
              }
            }
            const node = doc.getIn(path.slice(0, n), true);
            if (isNode(node) && node.range) return line(node.range[0]);
          }
          return isNode(doc.contents) && doc.contents.range
            ? line(doc.contents.range[0])
            : 1;
        },
      };
      this.yamlDocs.push(yamlDoc);
      const base = file.split('/').pop()!;
      if (/^kustomization\.ya?ml$/i.test(base)) {
        this.kustomizations.push({
          file,
          dir: dirname(file),
          doc: yamlDoc,
          value,
        });
      } else if (
        typeof value.apiVersion === 'string' &&
        typeof value.kind === 'string' &&
        value.metadata
      ) {
        this.objects.push({
          file,
          doc: yamlDoc,
          apiVersion: value.apiVersion,
          kind: value.kind,
          name: String(value.metadata.name ?? ''),
          namespace: value.metadata.namespace,
          value,
        });
      }
    }
  }

  exists(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }

  isDir(path: string): boolean {
    return this.dirs.has(path);
  }

  /** Files whose path matches. */
  filesMatching(pattern: RegExp): [string, string][] {
    return [...this.files].filter(([p]) => pattern.test(p));
  }

  objectsOfKind(...kinds: string[]): K8sObject[] {
    return this.objects.filter(o => kinds.includes(o.kind));
  }

  /** Pod templates of every workload, with their labels. */
  podTemplates(): PodTemplate[] {
    return this.objects.flatMap(owner => {
      if (owner.kind === 'InferenceService') return this.predictorPod(owner);
      const path = WORKLOAD_KINDS[owner.kind];
      if (!path) return [];
      const spec = path.reduce((v: any, k) => v?.[k], owner.value);
      if (!spec || typeof spec !== 'object') return [];
      const metaPath = path.slice(0, -1).concat('metadata', 'labels');
      const labels =
        owner.kind === 'Pod'
          ? owner.value.metadata?.labels
          : metaPath.reduce((v: any, k) => v?.[k], owner.value);
      return [{ owner, spec, path, labels: labels ?? {} }];
    });
  }

  /**
   * The pod KServe makes of an InferenceService predictor: the named runtime's
   * containers, the model's resources and the predictor's pod fields, so the
   * model-server rules (D10, D11, D16, ...) see a KServe model server too.
   */
  private predictorPod(owner: K8sObject): PodTemplate[] {
    const predictor = owner.value.spec?.predictor;
    const model = predictor?.model;
    if (!model || typeof model !== 'object') return [];
    const runtime = this.objects.find(
      o =>
        ((o.kind === 'ServingRuntime' && o.namespace === owner.namespace) ||
          o.kind === 'ClusterServingRuntime') &&
        o.name === model.runtime,
    );
    return [
      {
        owner,
        spec: kservePredictorPodSpec(
          predictor,
          runtime?.value.spec?.containers,
        ),
        path: ['spec', 'predictor'],
        labels: {
          ...(owner.value.metadata?.labels ?? {}),
          ...(predictor.labels ?? {}),
        },
      },
    ];
  }

  /** Every HCL block of every Terraform file. */
  hclBlocks(): HclBlock[] {
    return this.hcl.flatMap(allBlocks);
  }

  /** Line (1-based) of the first match of a pattern in a file. */
  lineOfText(file: string, pattern: RegExp | string): number {
    const lines = (this.files.get(file) ?? '').split('\n');
    const i = lines.findIndex(l =>
      typeof pattern === 'string' ? l.includes(pattern) : pattern.test(l),
    );
    return i < 0 ? 1 : i + 1;
  }
}

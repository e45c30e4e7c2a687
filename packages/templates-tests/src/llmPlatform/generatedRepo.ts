import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/** A Kubernetes object as parsed from YAML. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: any };
  [k: string]: any;
};

/** Every file below a folder, as paths relative to it, sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter(e => e.isFile())
    .map(e => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

/** Parses every document of a YAML text; throws with the file name on any error. */
export function parseYamlDocuments(text: string, file: string): any[] {
  return parseAllDocuments(text).map(doc => {
    if (doc.errors.length) {
      throw new Error(`${file}: ${doc.errors.map(e => e.message).join('; ')}`);
    }
    return doc.toJS();
  });
}

/** `kubectl kustomize <dir>`, parsed. */
export async function kustomizeBuild(dir: string): Promise<K8sObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', dir], {
    maxBuffer: 32 * 1024 * 1024,
  });
  return parseYamlDocuments(stdout, dir).filter(Boolean);
}

/** `terraform fmt -check -recursive`: resolves with the badly formatted files (empty when clean). */
export async function terraformFmtCheck(dir: string): Promise<string> {
  try {
    await run('terraform', ['fmt', '-check', '-recursive', '-no-color', dir]);
    return '';
  } catch (error: any) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
}

/**
 * Evaluates Terraform expressions (built-in functions only, no variables)
 * with `terraform console` in an empty folder: Terraform's own answer, for
 * comparing rendered values with what the modules compute.
 */
export async function terraformEval(expressions: string[]): Promise<any[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tf-console-'));
  try {
    // Piped input is read as one expression, so all of them go in one list.
    const stdout = execFileSync('terraform', ['console'], {
      cwd: dir,
      input: `jsonencode([${expressions.join(', ')}])\n`,
      stdio: 'pipe',
    });
    return JSON.parse(JSON.parse(stdout.toString('utf8')));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Runs a command, resolving with its output and exit code instead of throwing. */
export async function runCommand(
  command: string,
  args: string[],
  cwd: string,
  env?: Record<string, string>,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error: any) {
    return {
      code: typeof error.code === 'number' ? error.code : 1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`,
    };
  }
}

/** A Terraform file as hcl2json sees it. */
export async function parseTerraform(
  file: string,
): Promise<Record<string, any>> {
  return parseHcl(path.basename(file), await fs.readFile(file, 'utf8'));
}

/** Every `var.x`, `local.x` and `module.m.o` a Terraform text refers to. */
export function terraformReferences(text: string) {
  const refs = {
    vars: new Set<string>(),
    locals: new Set<string>(),
    moduleOutputs: new Set<string>(),
  };
  for (const m of text.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g))
    refs.vars.add(m[1]);
  for (const m of text.matchAll(/\blocal\.([A-Za-z_][\w-]*)/g))
    refs.locals.add(m[1]);
  // `module.a.module.b` is an address (moved blocks), not an output.
  for (const m of text.matchAll(
    /\bmodule\.([A-Za-z_][\w-]*)\.(?!module\.)([A-Za-z_][\w-]*)/g,
  )) {
    refs.moduleOutputs.add(`${m[1]}.${m[2]}`);
  }
  return refs;
}

/** The pod template spec of a workload object, if it has one. */
export function podSpec(obj: K8sObject): any | undefined {
  return obj.spec?.template?.spec;
}

/** All containers of a workload. */
export function containers(obj: K8sObject): any[] {
  const spec = podSpec(obj);
  return spec
    ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])]
    : [];
}

const UNITS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** A Kubernetes CPU quantity in millicores. */
export function cpuMillis(quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  const q = String(quantity);
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

/** A Kubernetes memory quantity in MiB. */
export function memoryMiB(quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(quantity));
  if (!m) throw new Error(`Not a quantity: ${quantity}`);
  return (Number(m[1]) * (m[2] ? UNITS[m[2]] : 1)) / 2 ** 20;
}

/** Sum of container requests of one pod. */
export function podRequests(obj: K8sObject) {
  return containers(obj).reduce(
    (sum, c) => ({
      cpu: sum.cpu + cpuMillis(c.resources?.requests?.cpu),
      memory: sum.memory + memoryMiB(c.resources?.requests?.memory),
    }),
    { cpu: 0, memory: 0 },
  );
}

// kubernetes-models is ESM only, so the check runs in its own Node process.
// Custom resources of the add-ons validate against the models generated from
// their CRDs (Karpenter v1, Argo Workflows), KServe's against the keys of its
// CRDs and the Pod schema; a kind with no model at all is an error, so
// nothing is applied unchecked.
const SCHEMA_CHECK = `
const CRD_PACKAGES = {
  'karpenter.sh': '@kubernetes-models/karpenter/',
  'karpenter.k8s.aws': '@kubernetes-models/karpenter/',
  'argoproj.io': '@kubernetes-models/argo-workflows/',
};
// KServe ships no generated models: its envelope is checked against the keys
// of the pinned CRDs (v0.15), and what becomes the pod (containers, volumes,
// scheduling) against the core Pod schema.
const EXTENSION = ['minReplicas', 'maxReplicas', 'scaleTarget', 'scaleMetric',
  'scaleMetricType', 'containerConcurrency', 'timeout', 'canaryTrafficPercent',
  'logger', 'batcher', 'labels', 'annotations', 'deploymentStrategy', 'autoScaling'];
const MODEL = ['modelFormat', 'runtime', 'storageUri', 'protocolVersion', 'runtimeVersion'];
const KSERVE = {
  'serving.kserve.io/v1alpha1/ServingRuntime': {
    required: ['containers', 'supportedModelFormats'],
    keys: ['supportedModelFormats', 'containers', 'protocolVersions', 'multiModel',
      'disabled', 'volumes', 'nodeSelector', 'tolerations', 'affinity', 'annotations',
      'labels', 'builtInAdapter', 'replicas', 'grpcEndpoint', 'httpDataEndpoint',
      'imagePullSecrets', 'hostIPC', 'workerSpec'],
    pod: spec => ({ containers: spec.containers, volumes: spec.volumes }),
  },
  'serving.kserve.io/v1beta1/InferenceService': {
    required: ['predictor'],
    keys: ['predictor', 'transformer', 'explainer'],
    pod: spec => {
      const { model = {}, ...rest } = spec.predictor ?? {};
      const podSpec = Object.fromEntries(Object.entries(rest).filter(([k]) => !EXTENSION.includes(k)));
      const container = Object.fromEntries(Object.entries(model).filter(([k]) => !MODEL.includes(k)));
      if (!model.modelFormat?.name) throw new Error('predictor.model.modelFormat.name is required');
      return { ...podSpec, containers: [{ name: 'kserve-container', image: 'runtime', ...container }] };
    },
  },
};
const { Pod } = await import('kubernetes-models/v1');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const errors = [];
for (const o of JSON.parse(input)) {
  const kserve = KSERVE[o.apiVersion + '/' + o.kind];
  if (kserve) {
    try {
      const spec = o.spec ?? {};
      for (const k of kserve.required) if (!(k in spec)) throw new Error('spec.' + k + ' is required');
      for (const k of Object.keys(spec)) if (!kserve.keys.includes(k)) throw new Error('unknown field spec.' + k);
      new Pod({ metadata: { name: o.metadata.name }, spec: kserve.pod(spec) }).validate();
    } catch (e) { errors.push(o.kind + '/' + o.metadata.name + ': ' + e.message); }
    continue;
  }
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const base = CRD_PACKAGES[group] ?? 'kubernetes-models/';
  const models = await import(base + o.apiVersion).catch(() => ({}));
  const Model = models[o.kind];
  if (!Model) { errors.push(o.apiVersion + ' ' + o.kind + ': no schema'); continue; }
  try { new Model(o).validate(); } catch (e) { errors.push(o.kind + '/' + o.metadata.name + ': ' + e.message); }
}
process.stdout.write(JSON.stringify(errors));
`;

/**
 * Validates objects against the Kubernetes OpenAPI schemas that the
 * kubernetes-models package ships, offline. Resolves with one message per error.
 */
export function validateKubernetesSchemas(objects: K8sObject[]): string[] {
  const stdout = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', SCHEMA_CHECK],
    {
      cwd: resolvePackagePath('@llm-platform/templates-tests'),
      input: JSON.stringify(objects),
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.toString('utf8'));
}

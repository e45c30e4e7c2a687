import fs from 'node:fs/promises';
import path from 'node:path';
import { kservePredictorPodSpec } from '@llm-platform/backstage-plugin-llm-platform-common';
import { renderTemplate, type RenderedTemplate } from '../renderTemplate';
import {
  K8sObject,
  kustomizeBuild,
  listFiles,
  parseTerraform,
  parseYamlDocuments,
} from './generatedRepo';

/** A rendered llm-platform repository with everything the checks look at, parsed once. */
export interface GeneratedPlatform {
  dir: string;
  parameters: Record<string, any>;
  rendered: RenderedTemplate;
  plan: Record<string, any>;
  files: string[];
  read(file: string): Promise<string>;
  /** Parsed documents of every .yaml/.yml file, by path. */
  yaml: Map<string, any[]>;
  /** `kubectl kustomize` of each overlay, by environment. */
  overlays: Map<string, K8sObject[]>;
  /**
   * The objects of each overlay as they run: with the Deployment that KServe
   * makes of each InferenceService, so pod-level checks see the model server
   * whichever runtime serves it.
   */
  running: Map<string, K8sObject[]>;
  /** hcl2json of every .tf and .tfvars file, by path. */
  terraform: Map<string, Record<string, any>>;
}

/** Renders the llm-platform template up to its validate step and parses the result. */
export async function renderLlmPlatform(
  parameters: Record<string, any>,
): Promise<GeneratedPlatform> {
  // Through the validate step: the real llm-platform:validate action fails
  // the render on any error finding, as it fails the scaffolder task.
  const rendered = await renderTemplate('llm-platform', parameters, {
    until: 'validate',
  });
  const dir = rendered.workspace;
  const files = await listFiles(dir);
  const read = (file: string) => fs.readFile(path.join(dir, file), 'utf8');

  const yaml = new Map<string, any[]>();
  const terraform = new Map<string, Record<string, any>>();
  for (const file of files) {
    if (/\.ya?ml$/.test(file)) {
      yaml.set(file, parseYamlDocuments(await read(file), file));
    } else if (/\.tf(vars)?$/.test(file)) {
      terraform.set(file, await parseTerraform(path.join(dir, file)));
    }
  }
  const overlays = new Map<string, K8sObject[]>();
  for (const env of parameters.environments as string[]) {
    overlays.set(
      env,
      await kustomizeBuild(path.join(dir, 'k8s', 'overlays', env)),
    );
  }
  const running = new Map(
    [...overlays].map(([env, objects]) => [
      env,
      withKServeDeployments(objects),
    ]),
  );
  return {
    dir,
    parameters,
    running,
    rendered,
    plan: rendered.steps.plan.output,
    files,
    read,
    yaml,
    overlays,
    terraform,
  };
}

/** Removes a rendered repository. */
export async function removePlatform(platform: GeneratedPlatform | undefined) {
  if (platform) await fs.rm(platform.dir, { recursive: true, force: true });
}

/**
 * Adds, for each InferenceService in RawDeployment mode, the Deployment KServe
 * creates for its predictor: the ServingRuntime's container with the model's
 * resources, the predictor's pod fields, labels and annotations.
 */
export function withKServeDeployments(objects: K8sObject[]): K8sObject[] {
  const made = objects
    .filter(o => o.kind === 'InferenceService')
    .map(isvc => {
      const predictor = isvc.spec.predictor;
      const runtime = objects.find(
        o =>
          o.kind === 'ServingRuntime' &&
          o.metadata.name === predictor.model.runtime &&
          o.metadata.namespace === isvc.metadata.namespace,
      );
      const labels = { ...isvc.metadata.labels, ...predictor.labels };
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: isvc.metadata.name,
          namespace: isvc.metadata.namespace,
          labels,
        },
        spec: {
          replicas: predictor.minReplicas ?? 1,
          strategy: predictor.deploymentStrategy,
          selector: {
            matchLabels: {
              'app.kubernetes.io/name': labels['app.kubernetes.io/name'],
            },
          },
          template: {
            metadata: { labels, annotations: predictor.annotations },
            spec: kservePredictorPodSpec(predictor, runtime?.spec.containers),
          },
        },
      } as K8sObject;
    });
  return [...objects, ...made];
}

import fs from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { Document, isMap, isSeq, parseDocument, Scalar, YAMLSeq } from 'yaml';
import { examples } from './includeModel.examples';

const ENVIRONMENT = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

function parseYamlFile(file: string, label: string): Document {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  if (doc.errors.length) {
    throw new InputError(
      `${label} is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  return doc;
}

function workspaceChild(workspace: string, relative: string, input: string) {
  try {
    return resolveSafeChildPath(workspace, relative);
  } catch {
    throw new InputError(
      `${input} "${relative}" must stay inside the workspace`,
    );
  }
}

/**
 * `llm-platform:model:include`: wires a model server rendered into a platform
 * repository into the existing files: the chosen overlays list its folder, and
 * the Prometheus config gets its scrape job. Comments and layout of the edited
 * files are kept.
 *
 * @public
 */
export function createIncludeModelAction() {
  return createTemplateAction({
    id: 'llm-platform:model:include',
    description:
      "Adds a rendered model server's Kustomize folder to the overlays of the chosen environments (k8s/overlays/<env>/kustomization.yaml) and its scrape job to the platform's Prometheus config. Refuses a model server that an overlay or the scrape config already has.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        modelPath: z =>
          z
            .string()
            .describe(
              "Workspace folder of the model server's kustomization.yaml, e.g. k8s/base/llm-serving/demo-qwen",
            ),
        environments: z =>
          z
            .array(z.string())
            .min(1)
            .describe(
              'Environments whose overlay deploys the model: k8s/overlays/<environment> must exist',
            ),
        overlaysPath: z =>
          z
            .string()
            .default('k8s/overlays')
            .describe(
              'Workspace folder holding one overlay folder per environment',
            ),
        scrapeJob: z =>
          z
            .object({ job_name: z.string().min(1) })
            .passthrough()
            .optional()
            .describe(
              'A Prometheus scrape_configs entry for the model server pods; added when the platform has the Prometheus config',
            ),
        prometheusConfigPath: z =>
          z
            .string()
            .default('k8s/base/observability/prometheus/configmap.yaml')
            .describe(
              'ConfigMap holding prometheus.yml in its data; without it, scrapeJob is skipped with a warning',
            ),
      },
      output: {
        changedFiles: z =>
          z.array(z.string()).describe('Workspace files that were edited'),
        scrapeJobAdded: z =>
          z
            .boolean()
            .describe('Whether the Prometheus config got the scrape job'),
      },
    },
    async handler(ctx) {
      const { input, workspacePath } = ctx;
      const modelDir = workspaceChild(
        workspacePath,
        input.modelPath,
        'modelPath',
      );
      if (!fs.existsSync(path.join(modelDir, 'kustomization.yaml'))) {
        throw new InputError(
          `modelPath "${input.modelPath}" has no kustomization.yaml: render the model server there before this step`,
        );
      }
      const overlaysRelative = input.overlaysPath ?? 'k8s/overlays';
      const overlaysDir = workspaceChild(
        workspacePath,
        overlaysRelative,
        'overlaysPath',
      );
      const available = fs.existsSync(overlaysDir)
        ? fs
            .readdirSync(overlaysDir)
            .filter(e =>
              fs.existsSync(path.join(overlaysDir, e, 'kustomization.yaml')),
            )
            .sort()
        : [];
      const edits: { file: string; text: string }[] = [];

      for (const env of input.environments) {
        if (!ENVIRONMENT.test(env) || !available.includes(env)) {
          throw new InputError(
            `environments: the repository has no overlay ${overlaysRelative}/${env}; ${
              available.length
                ? `it has ${available.join(', ')}`
                : 'it has no overlays at all'
            }`,
          );
        }
        const file = path.join(overlaysDir, env, 'kustomization.yaml');
        const relativeFile = path.relative(workspacePath, file);
        const doc = parseYamlFile(file, relativeFile);
        const entry = path
          .relative(path.dirname(file), modelDir)
          .split(path.sep)
          .join('/');
        let resources = doc.get('resources');
        if (resources === undefined) {
          resources = new YAMLSeq();
          doc.set('resources', resources);
        }
        if (!isSeq(resources)) {
          throw new InputError(`${relativeFile}: resources is not a list`);
        }
        if (
          resources.items.some(i => String((i as Scalar).value ?? i) === entry)
        ) {
          throw new ConflictError(
            `${relativeFile} already lists ${entry}: a model server of that name exists; choose another name`,
          );
        }
        resources.add(doc.createNode(entry));
        edits.push({ file: relativeFile, text: doc.toString() });
      }

      let scrapeJobAdded = false;
      if (input.scrapeJob) {
        const configRelative =
          input.prometheusConfigPath ??
          'k8s/base/observability/prometheus/configmap.yaml';
        const configFile = workspaceChild(
          workspacePath,
          configRelative,
          'prometheusConfigPath',
        );
        if (!fs.existsSync(configFile)) {
          ctx.logger.warn(
            `No ${configRelative}: the platform has no Prometheus of its own, so no scrape job was added`,
          );
        } else {
          const configMap = parseYamlFile(configFile, configRelative);
          const node = configMap.getIn(['data', 'prometheus.yml'], true);
          if (!(node instanceof Scalar) || typeof node.value !== 'string') {
            throw new InputError(
              `${configRelative} has no data."prometheus.yml" to add the scrape job to`,
            );
          }
          const prometheus = parseDocument(node.value);
          const jobs = prometheus.get('scrape_configs');
          if (prometheus.errors.length || !isSeq(jobs)) {
            throw new InputError(
              `${configRelative}: prometheus.yml has no scrape_configs list`,
            );
          }
          const jobName = input.scrapeJob.job_name;
          if (jobs.items.some(j => isMap(j) && j.get('job_name') === jobName)) {
            throw new ConflictError(
              `${configRelative} already has the scrape job ${jobName}: a model server of that name exists; choose another name`,
            );
          }
          const job = prometheus.createNode(input.scrapeJob);
          job.commentBefore = ` vLLM engine metrics of ${path.basename(
            modelDir,
          )}, labelled with model_name by vLLM.`;
          jobs.add(job);
          node.value = prometheus.toString();
          node.type = Scalar.BLOCK_LITERAL;
          edits.push({ file: configRelative, text: configMap.toString() });
          scrapeJobAdded = true;
        }
      }

      // Every check passed before the first write: a refusal edits nothing.
      for (const edit of edits) {
        fs.writeFileSync(path.join(workspacePath, edit.file), edit.text);
      }
      ctx.output(
        'changedFiles',
        edits.map(e => e.file),
      );
      ctx.output('scrapeJobAdded', scrapeJobAdded);
      ctx.logger.info(
        `Included ${input.modelPath} in ${input.environments.join(', ')}${
          scrapeJobAdded ? ' and the Prometheus scrape config' : ''
        }`,
      );
    },
  });
}

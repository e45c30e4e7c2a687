import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import {
  parseRepoUrl,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createTemplateRenderer } from 'nunjitsu';
import { PassThrough } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { templatePath } from './repoPaths';
import { llmPlatformActions } from './scaffolderActions';

type Json = any;

/** One step of a v1beta3 template. */
interface TemplateStep {
  id: string;
  name?: string;
  action: string;
  if?: string | boolean;
  input?: Record<string, Json>;
}

/** What rendering a template produced. */
export interface RenderedTemplate {
  /** The workspace the steps ran in: the generated repository. */
  workspace: string;
  /** Outputs of the steps that ran, by step id. */
  steps: Record<
    string,
    { input: Json; output: Record<string, Json>; durationMs: number }
  >;
  /** Ids of the steps that were skipped by their `if`. */
  skipped: string[];
}

/** Options of {@link renderTemplate}. */
export interface RenderTemplateOptions {
  /** Run the steps up to and including this id; later ones (publish) are left out. */
  until: string;
  /** Where to render; a new temporary folder by default. */
  workspace?: string;
  /** Actions that replace the registered ones with the same id (e.g. configured with a test's base directory). */
  actions?: TemplateAction<any, any, any>[];
}

const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));

// Actions log progress; the renders of a test matrix keep quiet.
const quietLogger: any = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return quietLogger;
  },
};

// The scaffolder renders step inputs and file contents with nunjitsu and the
// same `${{ }}` syntax; parseRepoUrl is the filter the template uses.
const renderer = createTemplateRenderer({
  allowRegexExecution: true,
  filters: {
    parseRepoUrl: (url: Json) =>
      parseRepoUrl(String(url), integrations) as Json,
  },
});

/**
 * Renders every string of a step input the way the scaffolder's workflow
 * runner does: a sole `${{ }}` keeps its type, an expression that fails to
 * render is left as written, and an undefined result drops the key.
 */
export function renderInput(input: Json, context: Record<string, Json>): Json {
  const prepared = renderer.prepareContext(context);
  return JSON.parse(JSON.stringify(input), (_key, value) => {
    if (typeof value !== 'string') return value;
    try {
      return renderer.renderValue(value, prepared);
    } catch {
      return value;
    }
  });
}

function isTruthy(value: Json): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** Loads a template.yaml. */
export async function loadTemplate(name: string) {
  const file = templatePath(name);
  return { file, doc: parseYaml(await fs.readFile(file, 'utf8')) };
}

/**
 * Runs a template's steps with the real actions: the LLM Platform module's
 * actions as registered with the scaffolder, and the scaffolder's own
 * fetch:template reading the skeleton from disk.
 */
export async function renderTemplate(
  name: string,
  parameters: Record<string, Json>,
  options: RenderTemplateOptions,
): Promise<RenderedTemplate> {
  const { file, doc } = await loadTemplate(name);
  const workspace =
    options.workspace ??
    (await fs.mkdtemp(path.join(os.tmpdir(), `${name}-render-`)));
  const actions = new Map(await llmPlatformActions());
  const fetchTemplate = createFetchTemplateAction({
    reader: {} as any, // a file:// template base never reads through a UrlReader
    integrations,
  });
  actions.set(fetchTemplate.id, fetchTemplate);
  for (const action of options.actions ?? []) actions.set(action.id, action);

  const steps: RenderedTemplate['steps'] = {};
  const skipped: string[] = [];
  const context = {
    parameters,
    steps,
    user: {
      ref: 'user:default/guest',
      entity: { metadata: { name: 'guest' } },
    },
  };

  for (const step of doc.spec.steps as TemplateStep[]) {
    if (step.if !== undefined) {
      const condition =
        typeof step.if === 'string'
          ? renderInput({ v: step.if }, context).v
          : step.if;
      if (!isTruthy(condition)) {
        skipped.push(step.id);
        if (step.id === options.until) break;
        continue;
      }
    }
    const action = actions.get(step.action);
    if (!action) {
      throw new Error(
        `Step "${step.id}" uses action ${step.action}, which is not registered`,
      );
    }
    const input = renderInput(step.input ?? {}, context);
    const output: Record<string, Json> = {};
    const tmpDirs: string[] = [];
    const ctx = {
      input,
      workspacePath: workspace,
      templateInfo: {
        entityRef: `template:default/${name}`,
        baseUrl: `file://${file}`,
      },
      logger: quietLogger,
      logStream: new PassThrough(),
      secrets: {},
      user: context.user,
      task: { id: `render-${name}` },
      step: { id: step.id, name: step.name ?? step.id },
      output(key: string, value: Json) {
        output[key] = value;
      },
      async createTemporaryDirectory() {
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${name}-step-`));
        tmpDirs.push(dir);
        return dir;
      },
      checkpoint: async (opts: { fn: () => Promise<Json> }) => opts.fn(),
      getInitiatorCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: context.user.ref },
      }),
      isDryRun: false,
    };
    const started = process.hrtime.bigint();
    try {
      await action.handler(ctx as any);
    } finally {
      await Promise.all(
        tmpDirs.map(d => fs.rm(d, { recursive: true, force: true })),
      );
    }
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    steps[step.id] = { input, output, durationMs };
    if (step.id === options.until) break;
  }
  return { workspace, steps, skipped };
}

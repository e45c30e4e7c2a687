import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  createCommitLocalAction,
  createFetchLocalAction,
  createPublishLocalAction,
} from '@llm-platform/backstage-plugin-scaffolder-backend-module-llm-platform';
import { renderTemplate, type RenderedTemplate } from '../renderTemplate';
import { SEED_PARAMETERS } from '../llmPlatform/parameterSets';

/** A local publisher's base directory and the actions configured with it. */
export interface LocalRepos {
  baseDir: string;
  /** Locations the actions registered, in order. */
  registered: { type: string; target: string }[];
  actions: ReturnType<typeof localActions>;
  remove(): Promise<void>;
}

function localActions(baseDir: string, registered: LocalRepos['registered']) {
  const config = new ConfigReader({
    llmPlatform: { localPublisher: { baseDir } },
  });
  // A catalog that processes every location at once: what the tests check is
  // which files were registered.
  const catalog = {
    addLocation: async (location: { type: string; target: string }) => {
      registered.push(location);
      return { location: { id: '1', ...location }, entities: [] };
    },
    getEntitiesByRefs: async ({ entityRefs }: { entityRefs: string[] }) => ({
      items: entityRefs.map(ref => ({ ref })),
    }),
  } as any;
  return [
    createPublishLocalAction({ config, catalog }),
    createFetchLocalAction({ config }),
    createCommitLocalAction({ config, catalog }),
  ];
}

/** A temporary base directory for local repositories. */
export async function createLocalRepos(): Promise<LocalRepos> {
  const baseDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llm-model-repos-'));
  const registered: LocalRepos['registered'] = [];
  return {
    baseDir,
    registered,
    actions: localActions(baseDir, registered),
    remove: () => fs.rm(baseDir, { recursive: true, force: true }),
  };
}

/** The platform the llm-model tests add to: the seed platform in dev and prod. */
export const PLATFORM_PARAMETERS = {
  ...SEED_PARAMETERS,
  name: 'demo-platform',
  system: 'demo-platform',
  environments: ['dev', 'prod'],
};

/** Publishes a platform through the llm-platform template's own steps. */
export async function publishPlatform(
  repos: LocalRepos,
  parameters: Record<string, any> = PLATFORM_PARAMETERS,
): Promise<RenderedTemplate> {
  const rendered = await renderTemplate('llm-platform', parameters, {
    until: 'publish-local',
    actions: repos.actions,
  });
  await fs.rm(rendered.workspace, { recursive: true, force: true });
  return rendered;
}

/** Parameters of the llm-model template: Qwen2.5-7B AWQ next to the seed's Mistral. */
export function modelParameters(
  overrides: Record<string, any> = {},
): Record<string, any> {
  return {
    name: 'demo-qwen',
    owner: 'group:default/ml-platform',
    system: 'system:default/demo-platform',
    publisher: 'local',
    platformRepo: 'demo-platform',
    environments: ['dev'],
    model: 'qwen2.5-7b-instruct-awq',
    instanceType: 'g4dn.xlarge',
    quantization: 'auto',
    tensorParallelSize: 1,
    maxModelLen: 4096,
    replicas: 1,
    ...overrides,
  };
}

/** Runs the llm-model template up to `until` (its local commit by default). */
export function addModel(
  repos: LocalRepos,
  parameters: Record<string, any>,
  until = 'publish-local',
): Promise<RenderedTemplate> {
  return renderTemplate('llm-model', parameters, {
    until,
    actions: repos.actions,
  });
}

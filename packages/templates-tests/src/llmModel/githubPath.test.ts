import fs from 'node:fs/promises';
import path from 'node:path';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { renderTemplate } from '../renderTemplate';
import {
  createLocalRepos,
  modelParameters,
  publishPlatform,
  type LocalRepos,
} from './renderLlmModel';

// The GitHub branch of the template with the three GitHub actions replaced by
// recorders: fetch:plain copies a platform published locally, as GitHub would
// serve its tree, so the steps in between run for real.
describe('the llm-model template on GitHub', () => {
  let repos: LocalRepos;
  const calls: Record<string, any> = {};

  const recorder = (id: string, run?: (ctx: any) => Promise<void>) =>
    createTemplateAction({
      id,
      async handler(ctx: any) {
        calls[id] = ctx.input;
        await run?.(ctx);
      },
    });

  beforeAll(async () => {
    repos = await createLocalRepos();
    await publishPlatform(repos);
  }, 120_000);
  afterAll(() => repos?.remove());

  it('fetches the repository, opens a pull request and registers the entity where it will be', async () => {
    const platformDir = path.join(repos.baseDir, 'demo-platform');
    const rendered = await renderTemplate(
      'llm-model',
      modelParameters({
        publisher: 'github',
        platformRepo: undefined,
        repoUrl: 'github.com?owner=acme&repo=llm-platform',
        branch: 'main',
        environments: ['dev', 'prod'],
      }),
      {
        until: 'register',
        actions: [
          ...repos.actions,
          recorder('fetch:plain', ctx =>
            fs.cp(platformDir, ctx.workspacePath, {
              recursive: true,
              filter: src => path.basename(src) !== '.git',
            }),
          ),
          recorder('publish:github:pull-request'),
          recorder('catalog:register'),
        ],
      },
    );
    try {
      expect(rendered.skipped).toEqual(['fetch-local', 'publish-local']);
      expect(calls['fetch:plain']).toEqual({
        url: 'https://github.com/acme/llm-platform/tree/main',
      });
      expect(rendered.steps.validate.output.errorCount).toBe(0);
      expect(calls['publish:github:pull-request']).toMatchObject({
        repoUrl: 'github.com?owner=acme&repo=llm-platform',
        targetBranchName: 'main',
        branchName: 'llm-model/demo-qwen',
        title: 'Serve Qwen/Qwen2.5-7B-Instruct-AWQ as demo-qwen',
        description: expect.stringContaining(
          'deployed by the overlays dev, prod',
        ),
      });
      expect(calls['catalog:register']).toEqual({
        catalogInfoUrl:
          'https://github.com/acme/llm-platform/blob/main/catalog/demo-qwen.yaml',
        optional: true,
      });
      // The pull request carries the GitHub slug for the entity's links.
      const entity = await fs.readFile(
        path.join(rendered.workspace, 'catalog/demo-qwen.yaml'),
        'utf8',
      );
      expect(entity).toContain('github.com/project-slug: acme/llm-platform');
    } finally {
      await fs.rm(rendered.workspace, { recursive: true, force: true });
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createLocalRepo, PLATFORM_FILES } from './__fixtures__/localRepos';
import { createFetchLocalAction } from './fetchLocal';
import { examples } from './fetchLocal.examples';

describe('llm-platform:fetch:local', () => {
  const repos = createMockDirectory();
  const workspace = createMockDirectory();
  let head: string;

  beforeEach(async () => {
    repos.clear();
    workspace.clear();
    head = await createLocalRepo(path.join(repos.path, 'demo-platform'));
  });

  function run(input: Record<string, unknown>) {
    const action = createFetchLocalAction({
      config: mockServices.rootConfig({
        data: { llmPlatform: { localPublisher: { baseDir: repos.path } } },
      }),
    });
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
    });
    return { ctx, done: action.handler(ctx) };
  }

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe('llm-platform:fetch:local');
      const { ctx, done } = run(step.input);
      await done;
      const root = path.join(workspace.path, step.input.targetPath ?? '.');
      for (const [file, content] of Object.entries(PLATFORM_FILES)) {
        expect(fs.readFileSync(path.join(root, file), 'utf8')).toBe(content);
      }
      expect(fs.existsSync(path.join(root, '.git'))).toBe(false);
      expect(ctx.output).toHaveBeenCalledWith('commitHash', head);
      expect(ctx.output).toHaveBeenCalledWith(
        'files',
        Object.keys(PLATFORM_FILES).length,
      );
    },
  );

  it('copies only what is committed', async () => {
    const dir = path.join(repos.path, 'demo-platform');
    fs.writeFileSync(path.join(dir, 'draft.yaml'), 'half: done\n');
    await run({ repoName: 'demo-platform' }).done;
    expect(fs.existsSync(path.join(workspace.path, 'draft.yaml'))).toBe(false);
  });

  it('names the repositories there when the one asked for is missing', async () => {
    const { done } = run({ repoName: 'other-platform' });
    await expect(done).rejects.toThrow(NotFoundError);
    await expect(done).rejects.toThrow(
      /repoName "other-platform".*the repositories there are demo-platform/,
    );
  });

  it.each(['../demo-platform', 'a/b', '..', ''])(
    'refuses the repository name %j',
    async repoName => {
      const { done } = run({ repoName });
      await expect(done).rejects.toThrow(InputError);
      await expect(done).rejects.toThrow(/not a valid repository name/);
    },
  );

  it('refuses a target outside the workspace', async () => {
    const { done } = run({ repoName: 'demo-platform', targetPath: '../x' });
    await expect(done).rejects.toThrow(/targetPath "..\/x" must stay inside/);
  });
});

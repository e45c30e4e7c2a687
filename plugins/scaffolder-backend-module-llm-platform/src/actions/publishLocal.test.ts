import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import git from 'isomorphic-git';
import yaml from 'yaml';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';

const CATALOG_INFO = [
  'apiVersion: backstage.io/v1alpha1',
  'kind: Component',
  'metadata:',
  '  name: demo-platform',
  'spec: { type: service, lifecycle: experimental, owner: team-a }',
  '',
].join('\n');

describe('llm-platform:publish:local', () => {
  const workspace = createMockDirectory();
  const repos = createMockDirectory();

  function setup(
    input: Record<string, unknown>,
    isDryRun = false,
    // How many catalog reads answer before the entity has been processed.
    processedAfterReads = 0,
    catalogInfo = CATALOG_INFO,
  ) {
    workspace.setContent({
      'catalog-info.yaml': catalogInfo,
      'README.md': '# demo\n',
      'infra/main.tf': 'terraform {}\n',
      'infra/catalog-info.yaml': CATALOG_INFO,
    });
    let reads = 0;
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async () => ({
        location: {
          id: '1',
          type: 'file',
          target: 'x',
          entityRef: 'location:default/x',
        },
        // As the catalog answers a new location: its entities come later.
        entities: [],
      })),
      getEntitiesByRefs: jest.fn(async ({ entityRefs }) => ({
        items: entityRefs.map(() =>
          reads++ >= processedAfterReads ? yaml.parse(CATALOG_INFO) : undefined,
        ),
      })),
    });
    const action = createPublishLocalAction({
      config: mockServices.rootConfig({
        data: { llmPlatform: { localPublisher: { baseDir: repos.path } } },
      }),
      catalog,
    });
    // createMockActionContext ignores isDryRun, so it is set here.
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: workspace.path,
      }),
      isDryRun,
    };
    return { ctx, catalog, done: action.handler(ctx as any) };
  }

  const outputs = (ctx: any) =>
    Object.fromEntries(ctx.output.mock.calls.map(([k, v]: any) => [k, v]));

  beforeEach(() => repos.clear());

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe('llm-platform:publish:local');
      const { ctx, catalog, done } = setup(step.input);
      await done;
      const out = outputs(ctx);
      const dir = path.join(repos.path, step.input.repoName);
      expect(out.repoPath).toBe(dir);
      expect(out.remoteUrl).toBe(`file://${dir}`);
      const [commit] = await git.log({ fs, dir, depth: 1 });
      expect(commit.oid).toBe(out.commitHash);
      expect(commit.commit.message.trim()).toBe(
        step.input.commitMessage ?? 'Initial commit',
      );
      expect(await git.currentBranch({ fs, dir })).toBe(
        step.input.defaultBranch ?? 'main',
      );
      const descriptionFile = path.join(dir, '.git', 'description');
      expect(
        fs.existsSync(descriptionFile) &&
          fs.readFileSync(descriptionFile, 'utf8'),
      ).toBe(step.input.description ? `${step.input.description}\n` : false);
      const registers = step.input.register !== false;
      expect((await git.listFiles({ fs, dir })).sort()).toEqual(
        step.input.sourcePath === 'infra'
          ? ['catalog-info.yaml', 'main.tf']
          : [
              'README.md',
              'catalog-info.yaml',
              'infra/catalog-info.yaml',
              'infra/main.tf',
            ],
      );
      expect(
        catalog.addLocation.mock.calls.map(([location]) => location),
      ).toEqual(
        registers
          ? [{ type: 'file', target: path.join(dir, 'catalog-info.yaml') }]
          : [],
      );
      expect(out.entityRefs).toEqual(
        registers ? ['component:default/demo-platform'] : [],
      );
    },
  );

  it('waits until the catalog has processed the new entities', async () => {
    const { ctx, catalog, done } = setup({ repoName: 'demo' }, false, 2);
    const info = jest.spyOn(ctx.logger, 'info');
    await done;
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(3);
    expect(outputs(ctx).pendingEntityRefs).toEqual([]);
    expect(info).toHaveBeenCalledWith(
      'Registered file catalog-info.yaml of demo: component:default/demo-platform in the catalog',
    );
  });

  it('says which entities the catalog has not processed when the wait ends', async () => {
    const { ctx, done } = setup(
      { repoName: 'demo', waitForEntitiesSeconds: 0 },
      false,
      5,
    );
    const warn = jest.spyOn(ctx.logger, 'warn');
    await done;
    expect(outputs(ctx).entityRefs).toEqual([
      'component:default/demo-platform',
    ]);
    expect(outputs(ctx).pendingEntityRefs).toEqual([
      'component:default/demo-platform',
    ]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /has not processed component:default\/demo-platform yet/,
      ),
    );
  });

  it('refuses a catalog file with a document that is not an entity', async () => {
    const { done } = setup({ repoName: 'demo' }, false, 0, 'just: a map\n');
    await expect(done).rejects.toThrow(
      /catalog-info.yaml has a document without kind and metadata.name/,
    );
    expect(fs.readdirSync(repos.path)).toEqual([]);
  });

  it('refuses to overwrite an existing repository', async () => {
    await setup({ repoName: 'demo', register: false }).done;
    const again = setup({ repoName: 'demo', register: false });
    await expect(again.done).rejects.toThrow(ConflictError);
    await expect(again.done).rejects.toThrow(/already exists/);
  });

  it.each(['../escape', 'a/b', '..', '.hidden', 'x..y', ''])(
    'rejects the repository name %j',
    async repoName => {
      const { done } = setup({ repoName });
      await expect(done).rejects.toThrow(InputError);
      expect(fs.readdirSync(repos.path)).toEqual([]);
    },
  );

  it.each([
    [{ repoName: 'ok', sourcePath: '../..' }, /must stay inside the workspace/],
    [
      { repoName: 'ok', catalogInfoPath: '../other.yaml' },
      /must stay inside the repository/,
    ],
    [
      { repoName: 'ok', catalogInfoPath: 'missing.yaml' },
      /has no missing.yaml to register/,
    ],
  ])('rejects %j', async (input, message) => {
    const { done } = setup(input);
    await expect(done).rejects.toThrow(InputError);
    await expect(done).rejects.toThrow(message);
    expect(fs.readdirSync(repos.path)).toEqual([]);
  });

  it('writes nothing in a dry run', async () => {
    const { ctx, catalog, done } = setup({ repoName: 'demo' }, true);
    await done;
    expect(outputs(ctx).commitHash).toBe('dry-run');
    expect(fs.existsSync(path.join(repos.path, 'demo'))).toBe(false);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });
});

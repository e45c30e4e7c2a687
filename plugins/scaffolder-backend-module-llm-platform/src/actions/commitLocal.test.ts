import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import git from 'isomorphic-git';
import yaml from 'yaml';
import {
  createLocalRepo,
  PLATFORM_FILES,
  writeFiles,
} from './__fixtures__/localRepos';
import { createCommitLocalAction } from './commitLocal';
import { examples } from './commitLocal.examples';

const ENTITY = [
  'apiVersion: backstage.io/v1alpha1',
  'kind: Component',
  'metadata:',
  '  name: demo-qwen',
  'spec: { type: service, lifecycle: experimental, owner: team-a }',
  '',
].join('\n');

const NEW_MODEL = {
  'k8s/base/llm-serving/demo-qwen/kustomization.yaml': 'resources: []\n',
  'catalog/demo-qwen.yaml': ENTITY,
  'k8s/overlays/dev/kustomization.yaml':
    'resources:\n  - ../../base\n  - ../../base/llm-serving/demo-qwen\n',
};

describe('llm-platform:commit:local', () => {
  const repos = createMockDirectory();
  const workspace = createMockDirectory();
  const repo = () => path.join(repos.path, 'demo-platform');
  let initial: string;

  beforeEach(async () => {
    repos.clear();
    workspace.clear();
    initial = await createLocalRepo(repo());
  });

  function run(
    input: Record<string, unknown>,
    files: Record<string, string> = { ...PLATFORM_FILES, ...NEW_MODEL },
    isDryRun = false,
  ) {
    writeFiles(
      path.join(workspace.path, String(input.sourcePath ?? '.')),
      files,
    );
    const catalog = catalogServiceMock.mock({
      getEntitiesByRefs: jest.fn(async ({ entityRefs }) => ({
        items: entityRefs.map(() => yaml.parse(ENTITY)),
      })),
      addLocation: jest.fn(async () => ({
        location: {
          id: '1',
          type: 'file',
          target: 'x',
          entityRef: 'location:default/x',
        },
        entities: [yaml.parse(ENTITY)],
      })),
    });
    const action = createCommitLocalAction({
      config: mockServices.rootConfig({
        data: { llmPlatform: { localPublisher: { baseDir: repos.path } } },
      }),
      catalog,
    });
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

  it('runs the example: commit a new model server and register it', async () => {
    const step = yaml.parse(examples[0].example).steps[0];
    const { ctx, catalog, done } = run(step.input);
    await done;
    const out = outputs(ctx);
    const [commit, parent] = await git.log({ fs, dir: repo(), depth: 2 });
    expect(commit.oid).toBe(out.commitHash);
    expect(parent.oid).toBe(initial);
    expect(commit.commit.message.trim()).toBe(step.input.commitMessage);
    expect(out.changedFiles).toEqual([
      'catalog/demo-qwen.yaml',
      'k8s/base/llm-serving/demo-qwen/kustomization.yaml',
      'k8s/overlays/dev/kustomization.yaml',
    ]);
    expect(await git.statusMatrix({ fs, dir: repo() })).toEqual(
      expect.not.arrayContaining([
        expect.arrayContaining([expect.anything(), 0]),
      ]),
    );
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: path.join(repo(), 'catalog/demo-qwen.yaml') },
      expect.anything(),
    );
    expect(out.entityRef).toBe('component:default/demo-qwen');
    expect(out.pendingEntityRefs).toEqual([]);
  });

  it('refuses a catalog file that is not catalog entities, before committing', async () => {
    const { done } = run(
      {
        repoName: 'demo-platform',
        commitMessage: 'x',
        catalogInfoPath: 'catalog/demo-qwen.yaml',
      },
      {
        ...PLATFORM_FILES,
        ...NEW_MODEL,
        'catalog/demo-qwen.yaml': 'just: values\n',
      },
    );
    await expect(done).rejects.toThrow(
      'catalog/demo-qwen.yaml has a document without kind and metadata.name',
    );
    expect(await git.resolveRef({ fs, dir: repo(), ref: 'HEAD' })).toBe(
      initial,
    );
  });

  it('runs the example: commit changes of a workspace folder, registering nothing', async () => {
    const step = yaml.parse(examples[1].example).steps[0];
    const { ctx, catalog, done } = run(step.input, {
      ...PLATFORM_FILES,
      'k8s/overlays/dev/kustomization.yaml':
        'resources:\n  - ../../base\nreplicas: []\n',
    });
    await done;
    const out = outputs(ctx);
    expect(out.changedFiles).toEqual(['k8s/overlays/dev/kustomization.yaml']);
    const [commit] = await git.log({ fs, dir: repo(), depth: 1 });
    expect(commit.commit.author.name).toBe('Platform Team');
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(out.entityRefs).toEqual([]);
  });

  it('refuses to overwrite a model server the repository already has', async () => {
    const input = {
      repoName: 'demo-platform',
      commitMessage: 'Add demo-qwen',
      newPaths: ['k8s/base/llm-serving/demo-qwen', 'catalog/demo-qwen.yaml'],
    };
    await run(input).done;
    const head = await git.resolveRef({ fs, dir: repo(), ref: 'HEAD' });
    const again = run(input, {
      ...PLATFORM_FILES,
      ...NEW_MODEL,
      'catalog/demo-qwen.yaml': ENTITY.replace('team-a', 'team-b'),
    }).done;
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow(
      'demo-platform already has k8s/base/llm-serving/demo-qwen: a model server of that name exists',
    );
    expect(await git.resolveRef({ fs, dir: repo(), ref: 'HEAD' })).toBe(head);
    expect(
      fs.readFileSync(path.join(repo(), 'catalog/demo-qwen.yaml'), 'utf8'),
    ).toBe(ENTITY);
  });

  it('refuses a missing repository and names the ones there', async () => {
    const { done } = run({ repoName: 'nope', commitMessage: 'x' });
    await expect(done).rejects.toThrow(NotFoundError);
    await expect(done).rejects.toThrow(
      /the repositories there are demo-platform/,
    );
  });

  it.each([
    [
      { repoName: '../demo-platform', commitMessage: 'x' },
      /not a valid repository name/,
    ],
    [
      { repoName: 'demo-platform', commitMessage: 'x', sourcePath: '../..' },
      /sourcePath "..\/.." must stay inside the workspace/,
    ],
    [
      {
        repoName: 'demo-platform',
        commitMessage: 'x',
        newPaths: ['../../etc'],
      },
      /newPaths entry "..\/..\/etc" must stay inside the repository/,
    ],
    [
      {
        repoName: 'demo-platform',
        commitMessage: 'x',
        catalogInfoPath: '../x.yaml',
      },
      /catalogInfoPath "..\/x.yaml" must stay inside the repository/,
    ],
    [
      {
        repoName: 'demo-platform',
        commitMessage: 'x',
        newPaths: ['catalog/other.yaml'],
      },
      /newPaths entry "catalog\/other.yaml" is not in the workspace/,
    ],
  ])('refuses %j', async (input, message) => {
    const { done } = run(input);
    await expect(done).rejects.toThrow(InputError);
    await expect(done).rejects.toThrow(message);
    expect(await git.resolveRef({ fs, dir: repo(), ref: 'HEAD' })).toBe(
      initial,
    );
  });

  it('refuses a workspace with no change', async () => {
    const { done } = run(
      { repoName: 'demo-platform', commitMessage: 'x' },
      PLATFORM_FILES,
    );
    await expect(done).rejects.toThrow(/no change to commit to demo-platform/);
  });

  it('commits nothing in a dry run', async () => {
    const { ctx, catalog, done } = run(
      {
        repoName: 'demo-platform',
        commitMessage: 'x',
        catalogInfoPath: 'catalog/demo-qwen.yaml',
      },
      undefined,
      true,
    );
    await done;
    expect(outputs(ctx).commitHash).toBe('dry-run');
    expect(outputs(ctx).changedFiles).toHaveLength(3);
    expect(await git.resolveRef({ fs, dir: repo(), ref: 'HEAD' })).toBe(
      initial,
    );
    expect(fs.existsSync(path.join(repo(), 'catalog'))).toBe(false);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });
});

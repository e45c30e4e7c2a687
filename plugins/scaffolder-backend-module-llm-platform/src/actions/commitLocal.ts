import fs from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import git from 'isomorphic-git';
import { examples } from './commitLocal.examples';
import { existingLocalRepository } from './localRepository';
import { declaredEntityRefs, registerAndWait } from './catalogRegistration';

async function walk(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, root)));
    else if (entry.isFile())
      out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}

/**
 * `llm-platform:commit:local`: the local counterpart of
 * publish:github:pull-request. Commits the workspace's new and changed files
 * to a repository that llm-platform:publish:local wrote, and registers a new
 * catalog file.
 *
 * @public
 */
export function createCommitLocalAction(options: {
  config: Config;
  catalog: CatalogService;
}) {
  const { config, catalog } = options;
  return createTemplateAction({
    id: 'llm-platform:commit:local',
    description:
      'Commits the new and changed files of the workspace to an existing local repository under llmPlatform.localPublisher.baseDir, on its current branch, and registers a catalog file of the commit. Refuses a missing repository, paths outside it, and newPaths that already exist in it.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              'Name of the local repository, as llm-platform:publish:local created it',
            ),
        sourcePath: z =>
          z
            .string()
            .default('.')
            .describe(
              'Workspace folder that mirrors the repository (fetched, then changed); default the whole workspace',
            ),
        newPaths: z =>
          z
            .array(z.string())
            .default([])
            .describe(
              'Files or folders this change creates: the commit is refused when the repository already has any of them',
            ),
        commitMessage: z => z.string().min(1).describe('Message of the commit'),
        gitAuthorName: z =>
          z
            .string()
            .default('Scaffolder')
            .describe('Author name of the commit'),
        gitAuthorEmail: z =>
          z
            .string()
            .default('scaffolder@backstage.io')
            .describe('Author email of the commit'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Catalog file of the commit to register, e.g. catalog/demo-qwen.yaml; nothing is registered without it',
            ),
        waitForEntitiesSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(300)
            .default(30)
            .describe(
              'How long to wait for the catalog to process the registered file, so that links to its entities work when the task ends; 0 does not wait',
            ),
      },
      output: {
        remoteUrl: z => z.string().describe('file:// URL of the repository'),
        repoPath: z => z.string().describe('Directory of the repository'),
        commitHash: z => z.string().describe('Hash of the new commit'),
        changedFiles: z =>
          z
            .array(z.string())
            .describe('Repository files the commit adds or changes'),
        entityRefs: z =>
          z
            .array(z.string())
            .describe('Entities declared in the registered catalog file'),
        pendingEntityRefs: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Entities the catalog had not processed when the wait ended',
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe('The first registered entity, for links to its page'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const { dir } = existingLocalRepository(config, input.repoName);
      const inside = (root: string, relative: string, name: string) => {
        try {
          return resolveSafeChildPath(root, relative);
        } catch {
          throw new InputError(
            `${name} "${relative}" must stay inside the ${
              root === dir ? 'repository' : 'workspace'
            }`,
          );
        }
      };
      const source = inside(
        ctx.workspacePath,
        input.sourcePath ?? '.',
        'sourcePath',
      );
      if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) {
        throw new InputError(
          `sourcePath "${input.sourcePath}" is not a directory of the workspace`,
        );
      }
      const head = await git.resolveRef({ fs, dir, ref: 'HEAD' });
      const tracked = new Set(await git.listFiles({ fs, dir, ref: head }));
      for (const newPath of input.newPaths ?? []) {
        inside(dir, newPath, 'newPaths entry');
        const normalized = path.posix.normalize(newPath).replace(/\/$/, '');
        const clash = [...tracked].find(
          f => f === normalized || f.startsWith(`${normalized}/`),
        );
        if (clash || fs.existsSync(path.join(dir, normalized))) {
          throw new ConflictError(
            `${input.repoName} already has ${normalized}: a model server of that name exists; choose another name, nothing is overwritten`,
          );
        }
        if (!fs.existsSync(path.join(source, normalized))) {
          throw new InputError(
            `newPaths entry "${newPath}" is not in the workspace: render it before this step`,
          );
        }
      }
      let catalogInfoPath: string | undefined;
      let entityRefs: string[] = [];
      if (input.catalogInfoPath) {
        catalogInfoPath = inside(dir, input.catalogInfoPath, 'catalogInfoPath');
        const rendered = path.join(source, input.catalogInfoPath);
        if (!fs.existsSync(rendered)) {
          throw new InputError(
            `catalogInfoPath "${input.catalogInfoPath}" is not in the workspace: there is nothing to register`,
          );
        }
        // A catalog file the catalog would refuse is refused before the commit.
        entityRefs = declaredEntityRefs(
          fs.readFileSync(rendered, 'utf8'),
          input.catalogInfoPath,
        );
      }

      const changedFiles: string[] = [];
      for (const file of (await walk(source)).sort()) {
        const content = await fs.promises.readFile(path.join(source, file));
        const current = path.join(dir, file);
        if (
          fs.existsSync(current) &&
          content.equals(await fs.promises.readFile(current))
        ) {
          continue;
        }
        changedFiles.push(file);
      }
      ctx.output('remoteUrl', `file://${dir}`);
      ctx.output('repoPath', dir);
      ctx.output('changedFiles', changedFiles);
      if (!changedFiles.length) {
        throw new InputError(
          `The workspace has no change to commit to ${input.repoName}`,
        );
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would commit ${changedFiles.length} files to ${input.repoName}`,
        );
        ctx.output('commitHash', 'dry-run');
        ctx.output('entityRefs', []);
        return;
      }

      for (const file of changedFiles) {
        const target = path.join(dir, file);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.copyFile(path.join(source, file), target);
        await git.add({ fs, dir, filepath: file });
      }
      const commitHash = await git.commit({
        fs,
        dir,
        message: input.commitMessage,
        author: {
          name: input.gitAuthorName ?? 'Scaffolder',
          email: input.gitAuthorEmail ?? 'scaffolder@backstage.io',
        },
      });
      ctx.output('commitHash', commitHash);
      ctx.logger.info(
        `Committed ${changedFiles.length} files to ${input.repoName} at ${commitHash}`,
      );

      if (!catalogInfoPath) {
        ctx.output('entityRefs', []);
        return;
      }
      ctx.output('entityRefs', entityRefs);
      if (entityRefs.length) ctx.output('entityRef', entityRefs[0]);
      const pending = await registerAndWait({
        catalog,
        credentials: await ctx.getInitiatorCredentials(),
        logger: ctx.logger,
        target: catalogInfoPath,
        label: input.catalogInfoPath ?? catalogInfoPath,
        entityRefs,
        waitSeconds: input.waitForEntitiesSeconds ?? 30,
      });
      ctx.output('pendingEntityRefs', pending);
    },
  });
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import git from 'isomorphic-git';
import { declaredEntityRefs, registerAndWait } from './catalogRegistration';
import { assertRepoName } from './localRepository';
import { examples } from './publishLocal.examples';

/**
 * The configured base directory for local repositories.
 *
 * @public
 */
export function localPublisherBaseDir(config: Config): string {
  const configured = config.getOptionalString(
    'llmPlatform.localPublisher.baseDir',
  );
  return path.resolve(
    configured ?? path.join(os.tmpdir(), 'llm-platform-repos'),
  );
}

/**
 * `llm-platform:publish:local`: writes the workspace as a git repository with
 * an initial commit under a configured base directory, and registers its
 * catalog-info.yaml, so create-from-template works with no SCM credentials.
 *
 * @public
 */
export function createPublishLocalAction(options: {
  config: Config;
  catalog: CatalogService;
}) {
  const { config, catalog } = options;
  return createTemplateAction({
    id: 'llm-platform:publish:local',
    description:
      'Publishes the workspace as a local git repository (initial commit, no remote) under llmPlatform.localPublisher.baseDir and registers its catalog-info.yaml in the catalog. Refuses to overwrite an existing repository.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              'Repository directory name: letters, digits, ".", "_" and "-", starting and ending with a letter or digit',
            ),
        description: z =>
          z
            .string()
            .optional()
            .describe(
              "Repository description, written to git's description file",
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory of the workspace to publish; default the whole workspace',
            ),
        defaultBranch: z =>
          z.string().default('main').describe('Branch of the initial commit'),
        commitMessage: z =>
          z
            .string()
            .default('Initial commit')
            .describe('Message of the initial commit'),
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
            .default('catalog-info.yaml')
            .describe('Path of the catalog file inside the repository'),
        register: z =>
          z
            .boolean()
            .default(true)
            .describe(
              'Register the catalog file so the entities appear in the catalog',
            ),
        waitForEntitiesSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(300)
            .default(30)
            .optional()
            .describe(
              'How long to wait for the catalog to process the new location, so that links to the entities work when the task ends. 0 does not wait.',
            ),
      },
      output: {
        remoteUrl: z => z.string().describe('file:// URL of the repository'),
        repoPath: z => z.string().describe('Directory of the repository'),
        commitHash: z => z.string().describe('Hash of the initial commit'),
        catalogInfoPath: z =>
          z.string().describe('Absolute path of the catalog file'),
        entityRefs: z =>
          z
            .array(z.string())
            .describe('Entities declared in the registered catalog file'),
        pendingEntityRefs: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Declared entities the catalog had not processed when the wait ended',
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'The first registered entity, for links to its page and tabs',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const name = input.repoName ?? '';
      assertRepoName(name);
      const baseDir = localPublisherBaseDir(config);
      const target = resolveSafeChildPath(baseDir, name);
      let source: string;
      try {
        source = resolveSafeChildPath(
          ctx.workspacePath,
          input.sourcePath ?? '.',
        );
      } catch {
        throw new InputError(
          `sourcePath "${input.sourcePath}" must stay inside the workspace`,
        );
      }
      if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) {
        throw new InputError(
          `sourcePath "${input.sourcePath}" is not a directory of the workspace`,
        );
      }
      if (fs.existsSync(target)) {
        throw new ConflictError(
          `A repository named "${name}" already exists under ${baseDir}; choose another name, the publisher never overwrites`,
        );
      }
      const catalogRelative = input.catalogInfoPath ?? 'catalog-info.yaml';
      let catalogInfoPath: string;
      try {
        catalogInfoPath = resolveSafeChildPath(target, catalogRelative);
      } catch {
        throw new InputError(
          `catalogInfoPath "${catalogRelative}" must stay inside the repository`,
        );
      }
      // Checked before anything is written, so a bad catalog file leaves no
      // half-published repository behind.
      let entityRefs: string[] = [];
      if (input.register !== false) {
        const sourceCatalog = path.join(source, catalogRelative);
        if (!fs.existsSync(sourceCatalog)) {
          throw new InputError(
            `The repository has no ${catalogRelative} to register; set catalogInfoPath, or register: false`,
          );
        }
        entityRefs = declaredEntityRefs(
          fs.readFileSync(sourceCatalog, 'utf8'),
          catalogRelative,
        );
      }
      const remoteUrl = `file://${target}`;
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoPath', target);
      ctx.output('catalogInfoPath', catalogInfoPath);

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish ${source} to ${target}`);
        ctx.output('commitHash', 'dry-run');
        ctx.output('entityRefs', []);
        return;
      }

      await fs.promises.mkdir(baseDir, { recursive: true });
      await fs.promises.cp(source, target, {
        recursive: true,
        errorOnExist: true,
        force: false,
        filter: src => path.basename(src) !== '.git',
      });
      const branch = input.defaultBranch ?? 'main';
      await git.init({ fs, dir: target, defaultBranch: branch });
      if (input.description) {
        await fs.promises.writeFile(
          path.join(target, '.git', 'description'),
          `${input.description}\n`,
        );
      }
      await git.add({ fs, dir: target, filepath: '.' });
      const commitHash = await git.commit({
        fs,
        dir: target,
        message: input.commitMessage ?? 'Initial commit',
        author: {
          name: input.gitAuthorName ?? 'Scaffolder',
          email: input.gitAuthorEmail ?? 'scaffolder@backstage.io',
        },
      });
      ctx.output('commitHash', commitHash);
      ctx.logger.info(
        `Published ${name} to ${remoteUrl} (${branch} at ${commitHash})`,
      );

      if (input.register === false) {
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
        label: `file ${catalogRelative} of ${name}`,
        entityRefs,
        waitSeconds: input.waitForEntitiesSeconds ?? 30,
      });
      ctx.output('pendingEntityRefs', pending);
    },
  });
}

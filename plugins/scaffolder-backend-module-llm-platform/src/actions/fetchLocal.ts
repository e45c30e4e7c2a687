import fs from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import git from 'isomorphic-git';
import { examples } from './fetchLocal.examples';
import { existingLocalRepository } from './localRepository';

/**
 * `llm-platform:fetch:local`: copies the files of a repository that
 * llm-platform:publish:local wrote into the workspace, so that a day-2
 * template renders into it and checks the merged result.
 *
 * @public
 */
export function createFetchLocalAction(options: { config: Config }) {
  const { config } = options;
  return createTemplateAction({
    id: 'llm-platform:fetch:local',
    description:
      'Copies the committed files of a local repository under llmPlatform.localPublisher.baseDir (without its .git) into the workspace, and outputs the commit it copied.',
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
        targetPath: z =>
          z
            .string()
            .default('.')
            .describe(
              'Directory of the workspace to copy into; default its root',
            ),
      },
      output: {
        repoPath: z => z.string().describe('Directory of the repository'),
        commitHash: z =>
          z.string().describe('The commit at the head of the current branch'),
        files: z => z.number().describe('Files copied into the workspace'),
      },
    },
    async handler(ctx) {
      const { dir } = existingLocalRepository(config, ctx.input.repoName);
      let target: string;
      try {
        target = resolveSafeChildPath(
          ctx.workspacePath,
          ctx.input.targetPath ?? '.',
        );
      } catch {
        throw new InputError(
          `targetPath "${ctx.input.targetPath}" must stay inside the workspace`,
        );
      }
      const commitHash = await git.resolveRef({ fs, dir, ref: 'HEAD' });
      // Only what is committed: a half-finished edit in the repository stays out.
      const files = await git.listFiles({ fs, dir, ref: commitHash });
      ctx.output('repoPath', dir);
      ctx.output('commitHash', commitHash);
      ctx.output('files', files.length);
      for (const file of files) {
        const { blob } = await git.readBlob({
          fs,
          dir,
          oid: commitHash,
          filepath: file,
        });
        const destination = path.join(target, file);
        await fs.promises.mkdir(path.dirname(destination), { recursive: true });
        await fs.promises.writeFile(destination, blob);
      }
      ctx.logger.info(
        `Copied ${files.length} files of ${
          ctx.input.repoName
        } at ${commitHash.slice(0, 12)}`,
      );
    },
  });
}

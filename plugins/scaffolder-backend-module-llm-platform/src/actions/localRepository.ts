import fs from 'node:fs';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { localPublisherBaseDir } from './publishLocal';

// The names llm-platform:publish:local accepts; no separators, no "..".
const REPO_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/i;

/** Refuses a repository name that is not a plain folder name. */
export function assertRepoName(name: string): void {
  if (!REPO_NAME.test(name) || name.includes('..')) {
    throw new InputError(
      `repoName "${name}" is not a valid repository name: use up to 100 letters, digits, ".", "_" or "-", starting and ending with a letter or digit`,
    );
  }
}

/**
 * The directory of an existing repository that llm-platform:publish:local
 * wrote, refusing names that leave the base directory and repositories that
 * do not exist (naming the ones that do).
 */
export function existingLocalRepository(
  config: Config,
  name: string | undefined,
): { baseDir: string; dir: string } {
  const repoName = name ?? '';
  assertRepoName(repoName);
  const baseDir = localPublisherBaseDir(config);
  const dir = resolveSafeChildPath(baseDir, repoName);
  if (!fs.existsSync(`${dir}/.git`)) {
    let existing: string[] = [];
    try {
      existing = fs
        .readdirSync(baseDir, { withFileTypes: true })
        .filter(
          e => e.isDirectory() && fs.existsSync(`${baseDir}/${e.name}/.git`),
        )
        .map(e => e.name)
        .sort();
    } catch {
      // no repository published yet
    }
    throw new NotFoundError(
      `repoName "${repoName}": no local git repository of that name under llmPlatform.localPublisher.baseDir; ${
        existing.length
          ? `the repositories there are ${existing.join(', ')}`
          : 'none has been published yet (create one with the llm-platform template)'
      }`,
    );
  }
  return { baseDir, dir };
}

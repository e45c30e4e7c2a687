import fs from 'node:fs';
import path from 'node:path';
import { collectRepositoryFiles, directoryReader } from '../validate';
import type { RepoFile } from '../types';

/** A repository of the generated shape on which every rule is quiet. */
export const CLEAN_DIR = path.join(__dirname, 'clean');
export const fixtureReader = directoryReader(fs, path);

/**
 * The clean repository as the tests change it: each file passed through
 * `edit`, the `deleted` paths removed, and `files` laid over it (a path to
 * its content, or files read from a folder).
 */
export function cleanRepo(
  files: Record<string, string> | RepoFile[] = {},
  options: { edit?: (file: RepoFile) => string; deleted?: string[] } = {},
): RepoFile[] {
  const byPath = new Map(
    collectRepositoryFiles(CLEAN_DIR, fixtureReader).map(f => [
      f.path,
      options.edit ? { ...f, content: options.edit(f) } : f,
    ]),
  );
  for (const d of options.deleted ?? []) byPath.delete(d);
  const laid = Array.isArray(files)
    ? files
    : Object.entries(files).map(([p, content]) => ({ path: p, content }));
  for (const f of laid) byPath.set(f.path, f);
  return [...byPath.values()];
}

/** One file of the clean repository. */
export function cleanFile(file: string): string {
  return fs.readFileSync(path.join(CLEAN_DIR, file), 'utf8');
}

import path from 'node:path';

/** The monorepo root, found from this package's folder. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Path of a template's template.yaml. */
export function templatePath(name: string): string {
  return path.join(REPO_ROOT, 'templates', name, 'template.yaml');
}

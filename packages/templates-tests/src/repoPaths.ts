import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** The monorepo root: this package lives in packages/templates-tests. */
export const REPO_ROOT = path.resolve(
  resolvePackagePath('@llm-platform/templates-tests'),
  '..',
  '..',
);

/** Path of a template's template.yaml. */
export function templatePath(name: string): string {
  return path.join(REPO_ROOT, 'templates', name, 'template.yaml');
}

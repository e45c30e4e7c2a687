import type { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * Every action this module registers. The planner, validator and local
 * publisher are added here as they land.
 */
export function createLlmPlatformActions(): TemplateAction<any, any, any>[] {
  return [];
}

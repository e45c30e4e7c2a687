import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createPlanAction } from './plan';

/**
 * Every action this module registers.
 *
 * @public
 */
export function createLlmPlatformActions(): TemplateAction<any, any, any>[] {
  return [createPlanAction()];
}

export { createPlanAction };

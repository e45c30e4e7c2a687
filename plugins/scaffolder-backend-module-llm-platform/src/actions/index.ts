import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createCommitLocalAction } from './commitLocal';
import { createFetchLocalAction } from './fetchLocal';
import { createIncludeModelAction } from './includeModel';
import { createPlanAction } from './plan';
import { createPublishLocalAction } from './publishLocal';
import { createValidateAction } from './validate';

/**
 * Every action this module registers.
 *
 * @public
 */
export function createLlmPlatformActions(options: {
  config: Config;
  catalog: CatalogService;
}): TemplateAction<any, any, any>[] {
  return [
    createPlanAction(),
    createValidateAction(),
    createPublishLocalAction(options),
    createFetchLocalAction(options),
    createIncludeModelAction(),
    createCommitLocalAction(options),
  ];
}

export {
  createPlanAction,
  createValidateAction,
  createPublishLocalAction,
  createFetchLocalAction,
  createIncludeModelAction,
  createCommitLocalAction,
};

/**
 * The llm-platform module for @backstage/plugin-scaffolder-backend: the GPU
 * fit planner, the preflight validator and the local publisher.
 *
 * @packageDocumentation
 */

export { scaffolderModuleLlmPlatform as default } from './module';
export { catalogModuleLocalRepositories } from './module';
export {
  createLlmPlatformActions,
  createPlanAction,
  createValidateAction,
  createPublishLocalAction,
} from './actions';

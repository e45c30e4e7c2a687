/**
 * The llm-platform module for @backstage/plugin-scaffolder-backend: the GPU
 * fit planner, the preflight validator, the local publisher, and the day-2
 * actions that add a model server to an existing platform repository.
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
  createFetchLocalAction,
  createIncludeModelAction,
  createCommitLocalAction,
} from './actions';

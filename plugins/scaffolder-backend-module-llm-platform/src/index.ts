/**
 * The llm-platform module for @backstage/plugin-scaffolder-backend.
 *
 * @packageDocumentation
 */

export { scaffolderModuleLlmPlatform as default } from './module';

/**
 * Frontend plugin for LLM Platform: the entity dashboard for LLM workloads.
 *
 * @packageDocumentation
 */

export {
  llmPlatformPlugin,
  EntityLlmPlatformContent,
  EntityLlmPlatformOverviewCard,
} from './plugin';
export { isLlmPlatformAvailable } from './isLlmPlatformAvailable';
export { llmPlatformApiRef, LlmPlatformClient } from './api';
export type { LlmPlatformApi, LlmPlatformEntityRef } from './api';
export type { EntityLlmPlatformContentProps } from './components/EntityLlmPlatformContent';

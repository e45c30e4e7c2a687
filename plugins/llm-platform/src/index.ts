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

/**
 * Frontend plugin for LLM Platform: the entity dashboard for LLM workloads.
 *
 * @packageDocumentation
 */

export {
  llmPlatformPlugin,
  EntityLlmPlatformContent,
  EntityLlmPlatformOverviewCard,
  LlmPlatformGpuFitFieldExtension,
  LlmPlatformPublisherPickerFieldExtension,
} from './plugin';
export { isLlmPlatformAvailable } from './isLlmPlatformAvailable';
export { llmPlatformApiRef, LlmPlatformClient } from './api';
export type { LlmPlatformApi, LlmPlatformEntityRef } from './api';
export { GpuFitFieldSchema } from './components/GpuFitField';
export type { GpuFitValue } from './components/GpuFitField';
export type { EntityLlmPlatformContentProps } from './components/EntityLlmPlatformContent';

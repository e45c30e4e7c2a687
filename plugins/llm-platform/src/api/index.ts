export { llmPlatformApiRef } from './LlmPlatformApi';
export type { LlmPlatformApi, LlmPlatformEntityRef } from './LlmPlatformApi';
export { LlmPlatformClient } from './LlmPlatformClient';

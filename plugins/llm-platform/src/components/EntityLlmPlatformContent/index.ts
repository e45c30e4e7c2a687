export { EntityLlmPlatformContent } from './EntityLlmPlatformContent';
export type { EntityLlmPlatformContentProps } from './EntityLlmPlatformContent';

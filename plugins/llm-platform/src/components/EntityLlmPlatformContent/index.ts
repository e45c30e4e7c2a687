export { EntityLlmPlatformContent } from './EntityLlmPlatformContent';

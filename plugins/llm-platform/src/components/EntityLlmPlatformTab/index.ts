export { EntityLlmPlatformTab } from './EntityLlmPlatformTab';

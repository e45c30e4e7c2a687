export { llmPlatformPlugin as default } from './plugin';

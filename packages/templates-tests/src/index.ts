/**
 * Renders the repository's software templates through the real scaffolder
 * actions, for tests and benchmarks.
 *
 * @packageDocumentation
 */
export { renderTemplate, renderInput, loadTemplate } from './renderTemplate';
export type { RenderedTemplate, RenderTemplateOptions } from './renderTemplate';
export { llmPlatformActions } from './scaffolderActions';

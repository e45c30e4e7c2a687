export { NotConfigured, annotationSnippet } from './NotConfigured';

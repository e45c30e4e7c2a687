export { DeepLinkPrefetch } from './DeepLinkPrefetch';
export { registerTab } from './tabPath';

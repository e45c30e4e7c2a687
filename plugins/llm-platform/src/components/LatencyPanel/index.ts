export { LatencyPanel, ALL_MODELS } from './LatencyPanel';

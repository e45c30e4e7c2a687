export { createMetricsService } from './MetricsService';
export type { MetricsServiceOptions } from './MetricsService';
export type {
  EntityMetricsRequest,
  MetricsScope,
  MetricsService,
} from './types';
export { metricsRequestForEntity } from './entityScope';
export type { FoundWorkloads } from './entityScope';

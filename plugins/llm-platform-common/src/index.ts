/**
 * Types, annotation names and pure logic shared by the LLM Platform plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './api/metrics';
export * from './api/workloads';
export * from './api/podTable';
export * from './api/resolvePods';
export * from './labelSelector';
export * from './workloadSelector';
export * from './planner';
export * from './validator';

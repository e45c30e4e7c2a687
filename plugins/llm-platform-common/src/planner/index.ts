export * from './types';
export {
  MODEL_CATALOG,
  GPU_CATALOG,
  INSTANCE_CATALOG,
  findModel,
  findGpu,
  findInstance,
} from './catalog';
export {
  estimateVllmMemory,
  estimateWeightBytes,
  kvBytesPerToken,
  vllmSchedulerDefaults,
  type MemoryModelInput,
} from './memory';
export { estimateNodeAllocatable, vllmContainerResources } from './resources';
export { planGpuFit, formatPlanRefusal } from './planner';
export { calibrationReport, type CalibrationFigure } from './calibration';

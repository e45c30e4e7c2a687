export { GpuFitField } from './GpuFitField';
export { gpuFitValidation } from './validation';
export { GPU_FIT_FIELD_NAME, GpuFitFieldSchema } from './schema';
export type { GpuFitValue } from './gpuFit';

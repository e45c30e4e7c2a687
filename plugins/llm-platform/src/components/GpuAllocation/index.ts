export { GpuAllocation } from './GpuAllocation';

import modelsData from './data/models.json';
import gpusData from './data/gpus.json';
import type { GpuSpec, InstanceSpec, ModelSpec } from './types';

/**
 * Models the planner knows by id (see `data/models.json` for sources).
 *
 * @public
 */
export const MODEL_CATALOG: readonly ModelSpec[] =
  modelsData.models as ModelSpec[];

/**
 * GPUs the planner knows by id (see `data/gpus.json` for sources).
 *
 * @public
 */
export const GPU_CATALOG: readonly GpuSpec[] = gpusData.gpus as GpuSpec[];

/**
 * EC2 GPU instance types the planner knows (see `data/gpus.json`).
 *
 * @public
 */
export const INSTANCE_CATALOG: readonly InstanceSpec[] = gpusData.instances;

/**
 * General-purpose EC2 instance types, for sizing the non-GPU node group.
 *
 * @public
 */
export const GENERAL_INSTANCE_CATALOG: readonly Omit<
  InstanceSpec,
  'gpu' | 'gpuCount'
>[] = gpusData.generalInstances;

/** @internal */
export const NODE_RESERVATIONS = gpusData.nodeReservations;

/**
 * Finds a catalog model by id or Hugging Face id (case-insensitive).
 *
 * @public
 */
export function findModel(idOrHfId: string): ModelSpec | undefined {
  const key = idOrHfId.trim().toLowerCase();
  return MODEL_CATALOG.find(m => m.id === key || m.hfId.toLowerCase() === key);
}

/**
 * Finds a catalog GPU by id.
 *
 * @public
 */
export function findGpu(id: string): GpuSpec | undefined {
  return GPU_CATALOG.find(g => g.id === id.trim().toLowerCase());
}

/**
 * Finds a catalog instance type.
 *
 * @public
 */
export function findInstance(type: string): InstanceSpec | undefined {
  return INSTANCE_CATALOG.find(i => i.type === type.trim().toLowerCase());
}

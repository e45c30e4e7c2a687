import calibration from './data/calibration.json';
import { findModel } from './catalog';
import { estimateVllmMemory } from './memory';
import type { MemoryEstimate, ModelSpec } from './types';

/**
 * The planner's estimate of one published vLLM figure, and its relative error.
 *
 * @public
 */
export interface CalibrationFigure {
  point: string;
  source: string;
  figure:
    | 'weightsGiB'
    | 'activationGiB'
    | 'nonTorchGiB'
    | 'kvCacheGiB'
    | 'kvCacheTokens';
  observed: number;
  estimate: number;
  /** (estimate - observed) / observed */
  error: number;
}

/**
 * Compares the memory model with every public figure in
 * `data/calibration.json`.
 *
 * @public
 */
export function calibrationReport(): CalibrationFigure[] {
  return calibration.points.flatMap(point => {
    const model =
      typeof point.model === 'string'
        ? findModel(point.model)!
        : (point.model as ModelSpec);
    const memory = estimateVllmMemory({
      model,
      quantization: 'none',
      usableGiB: point.usableGiB,
      gpuMemoryUtilization: point.gpuMemoryUtilization,
      tensorParallelSize: point.tensorParallelSize,
      maxModelLen: point.maxModelLen,
      maxNumBatchedTokens: point.maxNumBatchedTokens,
      maxNumSeqs: point.maxNumSeqs,
    });
    return Object.entries(point.observed).map(([figure, observed]) => {
      const estimate = memory[figure as keyof MemoryEstimate];
      return {
        point: point.id,
        source: point.source,
        figure: figure as CalibrationFigure['figure'],
        observed,
        estimate,
        error: (estimate - observed) / observed,
      };
    });
  });
}

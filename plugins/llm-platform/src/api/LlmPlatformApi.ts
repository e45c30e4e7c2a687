import { createApiRef } from '@backstage/core-plugin-api';
import type {
  EntityMetricsResponse,
  EntityWorkloadsResponse,
  GpuSeriesDetail,
  MetricsRange,
} from '@llm-platform/backstage-plugin-llm-platform-common';

/**
 * Identifies the entity whose workloads are read.
 *
 * @public
 */
export interface LlmPlatformEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Reads the LLM Platform backend. An unchanged response is returned as the
 * same object as the previous call's, so callers can skip re-rendering.
 *
 * @public
 */
export interface LlmPlatformApi {
  /** Pods, GPU allocation and diagnostics of the entity in every cluster. */
  getWorkloads(entity: LlmPlatformEntityRef): Promise<EntityWorkloadsResponse>;
  /**
   * Latency, throughput, load and GPU series for a range, optionally one
   * model. With `gpuSeries: 'latest'`, each GPU's series carry only their
   * value now (see {@link GpuSeriesDetail}).
   */
  getMetrics(
    entity: LlmPlatformEntityRef,
    options: {
      range: MetricsRange;
      model?: string;
      gpuSeries?: GpuSeriesDetail;
    },
  ): Promise<EntityMetricsResponse>;
}

/**
 * The API ref of {@link LlmPlatformApi}.
 *
 * @public
 */
export const llmPlatformApiRef = createApiRef<LlmPlatformApi>({
  id: 'plugin.llm-platform.service',
});

import type { LlmPlatformApi } from '../src/api';
import {
  healthyWorkloads,
  largeWorkloads,
  troubledWorkloads,
} from '../src/__fixtures__/workloads';
import { makeMetrics } from '../src/__fixtures__/metrics';
import {
  type EntityMetricsResponse,
  type EntityWorkloadsResponse,
  withLatestGpuValues,
} from '@llm-platform/backstage-plugin-llm-platform-common';

export type Scenario = 'healthy' | 'troubled' | 'fleet';

const MODELS = ['llama-3-8b-instruct', 'mistral-7b-instruct'];

/**
 * Serves the test fixtures, so the dev app draws the tab without a backend.
 * Like the real client, an unchanged answer is the same object each time.
 */
export function createFixtureApi(
  scenario: Scenario,
  pods: number,
): LlmPlatformApi {
  let workloads: EntityWorkloadsResponse;
  if (scenario === 'troubled') workloads = troubledWorkloads();
  else if (scenario === 'fleet') workloads = largeWorkloads(pods);
  else workloads = healthyWorkloads();
  const metrics = new Map<string, EntityMetricsResponse>();
  return {
    async getWorkloads() {
      return workloads;
    },
    async getMetrics(_entity, { range, gpuSeries = 'range' }) {
      const key = `${range}:${gpuSeries}`;
      if (!metrics.has(key)) {
        const answer = makeMetrics({ range, models: MODELS });
        // As the backend answers gpuSeries=latest.
        metrics.set(
          key,
          gpuSeries === 'latest' ? withLatestGpuValues(answer) : answer,
        );
      }
      return metrics.get(key)!;
    },
  };
}

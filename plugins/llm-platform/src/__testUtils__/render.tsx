import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { llmPlatformApiRef, LlmPlatformApi } from '../api';
import { healthyWorkloads } from '../__fixtures__/workloads';
import { makeMetrics } from '../__fixtures__/metrics';

export const annotatedEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'llama-3-8b-instruct',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'llama-3-8b-instruct',
      'backstage.io/kubernetes-namespace': 'llm-serving',
    },
  },
  spec: { type: 'service', owner: 'ml-platform', lifecycle: 'production' },
};

/**
 * An API double: each method is a jest mock around the given implementation,
 * by default a healthy entity with one model.
 */
export function mockApi(overrides: Partial<LlmPlatformApi> = {}) {
  const getWorkloads: LlmPlatformApi['getWorkloads'] =
    overrides.getWorkloads ?? (async () => healthyWorkloads());
  const getMetrics: LlmPlatformApi['getMetrics'] =
    overrides.getMetrics ??
    (async (_entity, { range }) => makeMetrics({ range }));
  return {
    getWorkloads: jest.fn(getWorkloads),
    getMetrics: jest.fn(getMetrics),
  };
}

export function renderWithApi(
  element: ReactElement,
  api: LlmPlatformApi,
  entity: Entity = annotatedEntity,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[llmPlatformApiRef, api]]}>
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
}

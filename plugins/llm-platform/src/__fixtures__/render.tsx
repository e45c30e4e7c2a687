import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { llmPlatformApiRef, LlmPlatformApi } from '../api';
import { healthyWorkloads } from './workloads';
import { makeMetrics } from './metrics';

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

/** An API double whose answers each test sets; defaults to a healthy entity. */
export function mockApi(
  overrides: Partial<jest.Mocked<LlmPlatformApi>> = {},
): jest.Mocked<LlmPlatformApi> {
  return {
    getWorkloads: jest.fn(async () => healthyWorkloads()),
    getMetrics: jest.fn(async (_entity, { range }) => makeMetrics({ range })),
    ...overrides,
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

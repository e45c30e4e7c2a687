import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { EntityLlmPlatformOverviewCard } from './EntityLlmPlatformOverviewCard';
import {
  annotatedEntity,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/render';
import { troubledWorkloads } from '../../__fixtures__/workloads';

describe('EntityLlmPlatformOverviewCard', () => {
  it('sums up pods, GPUs and latency of a healthy entity', async () => {
    await renderWithApi(<EntityLlmPlatformOverviewCard />, mockApi());
    const pods = await screen.findByRole('listitem', { name: /Pods ready/ });
    expect(pods).toHaveTextContent('2 / 2');
    expect(pods).toHaveTextContent('Healthy');
    expect(
      await screen.findByRole('listitem', { name: /p95 end-to-end latency/ }),
    ).toHaveTextContent(/\d\.\d\d s/);
    expect(screen.getByText('No known failure found.')).toBeInTheDocument();
  });

  it('names the worst finding and a cluster that could not be read', async () => {
    await renderWithApi(
      <EntityLlmPlatformOverviewCard />,
      mockApi({ getWorkloads: jest.fn(async () => troubledWorkloads()) }),
    );
    expect(
      await screen.findByText(
        'vLLM cannot fit the KV cache for the configured context',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Cluster eks-prod-eu-west-1 could not be read: forbidden',
    );
    expect(
      screen.getByRole('listitem', { name: /Pods ready/ }),
    ).toHaveTextContent('1 / 3');
  });

  it('shows the annotation to add on an entity without one', async () => {
    const api = mockApi();
    const bare: Entity = { ...annotatedEntity, metadata: { name: 'qwen' } };
    await renderWithApi(<EntityLlmPlatformOverviewCard />, api, bare);
    expect(
      await screen.findByText('No workloads are selected'),
    ).toBeInTheDocument();
    expect(api.getWorkloads).not.toHaveBeenCalled();
  });
});

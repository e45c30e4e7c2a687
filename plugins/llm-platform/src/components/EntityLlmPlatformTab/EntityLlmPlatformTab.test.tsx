import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { EntityLlmPlatformTab } from './EntityLlmPlatformTab';
import {
  annotatedEntity,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/render';

jest.setTimeout(30_000);

const ref = {
  kind: 'Component',
  namespace: 'default',
  name: 'llama-3-8b-instruct',
};

describe('EntityLlmPlatformTab', () => {
  it('asks for the workloads and the first range while the dashboard loads, then shows it', async () => {
    const api = mockApi();
    await renderWithApi(<EntityLlmPlatformTab defaultRange="24h" />, api);
    // The shell's own requests, made before the dashboard's code has run.
    expect(api.getWorkloads.mock.calls[0]).toEqual([ref]);
    expect(api.getMetrics.mock.calls[0]).toEqual([
      ref,
      { range: '24h', gpuSeries: 'latest' },
    ]);

    expect(
      await screen.findByRole('region', { name: 'Pods ready' }),
    ).toHaveTextContent('2 / 2');
    // The dashboard asked for the same range: the API client shares one
    // request between them.
    expect(api.getMetrics).toHaveBeenCalledWith(ref, {
      range: '24h',
      gpuSeries: 'latest',
    });
    expect(
      api.getMetrics.mock.calls.every(([, options]) => options.range === '24h'),
    ).toBe(true);
  });

  it('asks for nothing for an entity without the annotations', async () => {
    const api = mockApi();
    const bare: Entity = {
      ...annotatedEntity,
      metadata: { name: 'plain', namespace: 'default' },
    };
    await renderWithApi(<EntityLlmPlatformTab />, api, bare);
    expect(
      await screen.findByText(/has neither a "backstage.io\/kubernetes-id"/),
    ).toBeInTheDocument();
    expect(api.getWorkloads).not.toHaveBeenCalled();
    expect(api.getMetrics).not.toHaveBeenCalled();
  });
});

import { screen, waitFor } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import type { EntityMetricsResponse } from '@llm-platform/backstage-plugin-llm-platform-common';
import { EntityLlmPlatformTab, FIRST_DRAW_WAIT_MS } from './EntityLlmPlatformTab';
import {
  annotatedEntity,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/render';
import { makeMetrics } from '../../__fixtures__/metrics';

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
    expect(api.getMetrics.mock.calls[0]).toEqual([ref, { range: '24h' }]);

    expect(
      await screen.findByRole('region', { name: 'Pods ready' }),
    ).toHaveTextContent('2 / 2');
    // The dashboard asked for the same range: the API client shares one
    // request between them.
    expect(api.getMetrics).toHaveBeenCalledWith(ref, { range: '24h' });
    expect(
      api.getMetrics.mock.calls.every(([, options]) => options.range === '24h'),
    ).toBe(true);
  });

  it('draws the pods and the charts together when the metrics come after the pods', async () => {
    // One answer per range, 800 ms after it was first asked for, shared by
    // later calls as LlmPlatformClient shares a request in flight.
    const answers = new Map<string, Promise<EntityMetricsResponse>>();
    const api = mockApi({
      getMetrics: (_entity, { range = '1h' }) => {
        if (!answers.has(range)) {
          answers.set(
            range,
            new Promise(resolve =>
              setTimeout(() => resolve(makeMetrics({ range })), 800),
            ),
          );
        }
        return answers.get(range)!;
      },
    });
    // A longer wait than the default, so that the test does not depend on
    // how fast the test machine renders.
    await renderWithApi(
      <EntityLlmPlatformTab defaultRange="24h" firstDrawWaitMs={5000} />,
      api,
    );
    // Checked on every DOM change: the first time the pod count shows, the
    // charts are there too, not their skeleton.
    let chartsWithFirstPods: boolean | undefined;
    await waitFor(() => {
      expect(
        screen.getByRole('region', { name: 'Pods ready' }),
      ).toHaveTextContent('2 / 2');
      chartsWithFirstPods ??= !screen.queryByLabelText('Loading metrics');
    });
    expect(chartsWithFirstPods).toBe(true);
    expect(screen.getAllByRole('figure')).toHaveLength(7);
  });

  it('does not hold the pods back for slow metrics', async () => {
    const api = mockApi({ getMetrics: () => new Promise(() => {}) });
    const started = Date.now();
    await renderWithApi(<EntityLlmPlatformTab defaultRange="24h" />, api);
    await waitFor(() =>
      expect(
        screen.getByRole('region', { name: 'Pods ready' }),
      ).toHaveTextContent('2 / 2'),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(FIRST_DRAW_WAIT_MS - 20);
    expect(screen.getByLabelText('Loading metrics')).toBeInTheDocument();
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

import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import plugin from './alpha';
import { llmPlatformApiRef } from './api';
import { annotatedEntity, mockApi } from './__testUtils__/render';

// Rendering the whole tab with its charts in jsdom takes seconds under load.
jest.setTimeout(30_000);

describe('alpha plugin', () => {
  it('provides the API client, the entity tab and the overview card', () => {
    for (const id of [
      'api:llm-platform',
      'entity-content:llm-platform',
      'entity-card:llm-platform/overview',
    ]) {
      expect(plugin.getExtension(id as never)).toBeDefined();
    }
  });

  it('starts the tab with the configured interval and range', async () => {
    const api = mockApi();
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:llm-platform'),
      { config: { refreshIntervalSeconds: 30, defaultRange: '6h' } },
    );
    renderInTestApp(
      <EntityProvider entity={annotatedEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[llmPlatformApiRef, api]] },
    );
    expect(
      await screen.findByRole('combobox', { name: 'Refresh every' }),
    ).toHaveTextContent('30 s');
    expect(
      await screen.findByRole('button', { name: 'Last 6h' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(api.getMetrics).toHaveBeenCalledWith(expect.anything(), {
      range: '6h',
    });
  });
});

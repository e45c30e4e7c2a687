import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import plugin from './alpha';
import { gpuFitFormField } from './components/GpuFitField/formField';
import { llmPlatformApiRef } from './api';
import { annotatedEntity, mockApi } from './__testUtils__/render';

// Rendering the whole tab with its charts in jsdom takes seconds under load.
jest.setTimeout(30_000);

describe('alpha plugin', () => {
  it('provides the API client, the entity tab, the overview card and the GPU fit form field', () => {
    for (const id of [
      'api:llm-platform',
      'entity-content:llm-platform',
      'entity-card:llm-platform/overview',
      'scaffolder-form-field:llm-platform/gpu-fit',
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
      gpuSeries: 'latest',
    });
  });

  it('loads the GPU fit form field when the scaffolder asks for it', async () => {
    const tester = createExtensionTester(
      plugin.getExtension('scaffolder-form-field:llm-platform/gpu-fit'),
    );
    const load = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
    await expect(load()).resolves.toBe(gpuFitFormField);
  });
});

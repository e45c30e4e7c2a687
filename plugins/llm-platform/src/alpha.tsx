import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { METRICS_RANGES } from '@llm-platform/backstage-plugin-llm-platform-common';
import { z } from 'zod';
import { isLlmPlatformAvailable } from './isLlmPlatformAvailable';
import { llmPlatformApiRef, LlmPlatformClient } from './api';
import { EntityLlmPlatformTab } from './components/EntityLlmPlatformTab';

const llmPlatformApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: llmPlatformApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new LlmPlatformClient({ discoveryApi, fetchApi }),
    }),
});

const entityContent = EntityContentBlueprint.makeWithOverrides({
  configSchema: {
    refreshIntervalSeconds: z.number().int().min(5).default(10),
    defaultRange: z.enum(METRICS_RANGES).default('1h'),
  },
  factory(originalFactory, { config }) {
    return originalFactory({
      path: 'llm-platform',
      title: 'LLM Platform',
      filter: isLlmPlatformAvailable,
      // The tab's small shell asks for the data while the dashboard loads.
      loader: async () => (
        <EntityLlmPlatformTab
          refreshIntervalMs={config.refreshIntervalSeconds * 1000}
          defaultRange={config.defaultRange}
        />
      ),
    });
  },
});

const entityOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isLlmPlatformAvailable,
    loader: () =>
      import('./components/EntityLlmPlatformOverviewCard').then(m => (
        <m.EntityLlmPlatformOverviewCard />
      )),
  },
});

// Loaded when the scaffolder opens a form, not with the app.
const gpuFitFormField = FormFieldBlueprint.make({
  name: 'gpu-fit',
  params: {
    field: () =>
      import('./components/GpuFitField/formField').then(m => m.gpuFitFormField),
  },
});

// The publisher choice of the llm-platform templates: GitHub only when the app
// has a GitHub integration.
const publisherPickerFormField = FormFieldBlueprint.make({
  name: 'publisher-picker',
  params: {
    field: () =>
      import('./components/PublisherPickerField/formField').then(
        m => m.publisherPickerFormField,
      ),
  },
});

/**
 * The LLM Platform plugin for the new frontend system: an entity tab and an
 * overview card, each shown only on entities with the workload annotations,
 * and the scaffolder form fields `LlmPlatformGpuFit` and
 * `LlmPlatformPublisherPicker`.
 * The tab's extension (`entity-content:llm-platform`) takes the config keys
 * `refreshIntervalSeconds` (default 10) and `defaultRange` (default `1h`).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'llm-platform',
  extensions: [
    llmPlatformApi,
    entityContent,
    entityOverviewCard,
    gpuFitFormField,
    publisherPickerFormField,
  ],
});

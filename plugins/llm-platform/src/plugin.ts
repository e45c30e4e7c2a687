import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { llmPlatformApiRef, LlmPlatformClient } from './api';
import {
  GPU_FIT_FIELD_NAME,
  GpuFitField,
  GpuFitFieldSchema,
  gpuFitValidation,
} from './components/GpuFitField';
import {
  PUBLISHER_PICKER_FIELD_NAME,
  PublisherPickerField,
  PublisherPickerFieldSchema,
  publisherPickerValidation,
} from './components/PublisherPickerField';
import { rootRouteRef } from './routes';

/**
 * The LLM Platform frontend plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const llmPlatformPlugin = createPlugin({
  id: 'llm-platform',
  apis: [
    createApiFactory({
      api: llmPlatformApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new LlmPlatformClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The "LLM Platform" tab for an entity page.
 *
 * @public
 */
export const EntityLlmPlatformContent = llmPlatformPlugin.provide(
  createRoutableExtension({
    name: 'EntityLlmPlatformContent',
    mountPoint: rootRouteRef,
    // The tab's small shell asks for the data while the dashboard loads.
    component: () =>
      import('./components/EntityLlmPlatformTab').then(
        m => m.EntityLlmPlatformTab,
      ),
  }),
);

/**
 * A compact card for an entity's overview page.
 *
 * @public
 */
export const EntityLlmPlatformOverviewCard = llmPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntityLlmPlatformOverviewCard',
    component: {
      lazy: () =>
        import('./components/EntityLlmPlatformOverviewCard').then(
          m => m.EntityLlmPlatformOverviewCard,
        ),
    },
  }),
);

/**
 * The scaffolder form field `LlmPlatformGpuFit`: the GPU fit planner's verdict,
 * KV-cache capacity and suggestions for the form's model, instance type,
 * quantization and context, and a validation that refuses what the
 * `llm-platform:plan` action would refuse. Add it inside
 * `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const LlmPlatformGpuFitFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: GPU_FIT_FIELD_NAME,
    component: GpuFitField,
    validation: gpuFitValidation,
    schema: GpuFitFieldSchema.schema,
  }),
);

/**
 * The scaffolder form field `LlmPlatformPublisherPicker`: where the
 * llm-platform templates publish, offering GitHub only when the app has a
 * GitHub integration (`integrations.github`). Add it inside
 * `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const LlmPlatformPublisherPickerFieldExtension =
  scaffolderPlugin.provide(
    createScaffolderFieldExtension({
      name: PUBLISHER_PICKER_FIELD_NAME,
      component: PublisherPickerField,
      validation: publisherPickerValidation,
      schema: PublisherPickerFieldSchema.schema,
    }),
  );

import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { llmPlatformApiRef, LlmPlatformClient } from './api';
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
    component: () =>
      import('./components/EntityLlmPlatformContent').then(
        m => m.EntityLlmPlatformContent,
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

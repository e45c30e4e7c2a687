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
import { isLlmPlatformAvailable } from './isLlmPlatformAvailable';
import { llmPlatformApiRef, LlmPlatformClient } from './api';

const llmPlatformApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: llmPlatformApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new LlmPlatformClient({ discoveryApi, fetchApi }),
    }),
});

const entityContent = EntityContentBlueprint.make({
  params: {
    path: 'llm-platform',
    title: 'LLM Platform',
    filter: isLlmPlatformAvailable,
    loader: () =>
      import('./components/EntityLlmPlatformContent').then(m => (
        <m.EntityLlmPlatformContent />
      )),
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

/**
 * The LLM Platform plugin for the new frontend system: an entity tab and an
 * overview card, each shown only on entities with the workload annotations.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'llm-platform',
  extensions: [llmPlatformApi, entityContent, entityOverviewCard],
});

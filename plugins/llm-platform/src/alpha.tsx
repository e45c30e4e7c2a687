import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isLlmPlatformAvailable } from './isLlmPlatformAvailable';

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
  extensions: [entityContent, entityOverviewCard],
});

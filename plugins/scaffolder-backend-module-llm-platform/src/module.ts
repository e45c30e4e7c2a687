import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createLlmPlatformActions } from './actions';

/**
 * Registers the LLM Platform actions with the scaffolder.
 *
 * @public
 */
export const scaffolderModuleLlmPlatform = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'llm-platform',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      async init({ scaffolderActions, config, catalog }) {
        scaffolderActions.addActions(
          ...createLlmPlatformActions({ config, catalog }),
        );
      },
    });
  },
});

/**
 * Lets the catalog accept `file` locations registered through its API, which
 * `llm-platform:publish:local` uses for repositories on this machine. Only
 * install it where the backend's file system is trusted (local sandboxes).
 *
 * @public
 */
export const catalogModuleLocalRepositories = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'llm-platform-local-repositories',
  register({ registerInit }) {
    registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});

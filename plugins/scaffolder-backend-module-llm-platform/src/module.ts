import { createBackendModule } from '@backstage/backend-plugin-api';
import { createLlmPlatformActions } from './actions';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';

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
      },
      async init({ scaffolderActions }) {
        scaffolderActions.addActions(...createLlmPlatformActions());
      },
    });
  },
});

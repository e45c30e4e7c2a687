import { startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import llmPlatformModule from '@llm-platform/backstage-plugin-scaffolder-backend-module-llm-platform';

let registered: Promise<Map<string, TemplateAction<any, any, any>>> | undefined;

/**
 * The actions the LLM Platform scaffolder module registers, obtained the way the
 * scaffolder obtains them: through its extension point in a test backend.
 */
export function llmPlatformActions(): Promise<
  Map<string, TemplateAction<any, any, any>>
> {
  registered ??= (async () => {
    const actions = new Map<string, TemplateAction<any, any, any>>();
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any, any>[]) =>
              added.forEach(a => actions.set(a.id, a)),
          },
        ],
      ],
      features: [llmPlatformModule],
    });
    return actions;
  })();
  return registered;
}

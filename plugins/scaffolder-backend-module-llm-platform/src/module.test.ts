import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleLlmPlatform } from './module';

describe('scaffolderModuleLlmPlatform', () => {
  it('registers exactly the LLM Platform actions with the scaffolder', async () => {
    const added: string[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...actions: { id: string }[]) =>
              added.push(...actions.map(a => a.id)),
          },
        ],
      ],
      features: [scaffolderModuleLlmPlatform],
    });
    expect(added).toEqual(['llm-platform:plan']);
  });
});

import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleLlmPlatform } from './module';

describe('scaffolderModuleLlmPlatform', () => {
  it('registers with the scaffolder and adds only llm-platform actions', async () => {
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
    expect(added.every(id => id.startsWith('llm-platform:'))).toBe(true);
  });
});

import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  catalogModuleLocalRepositories,
  scaffolderModuleLlmPlatform,
} from './module';

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
      features: [scaffolderModuleLlmPlatform, catalogServiceMock.factory()],
    });
    expect(added).toEqual([
      'llm-platform:plan',
      'llm-platform:validate',
      'llm-platform:publish:local',
      'llm-platform:fetch:local',
      'llm-platform:model:include',
      'llm-platform:commit:local',
    ]);
  });
});

describe('catalogModuleLocalRepositories', () => {
  it('allows file locations next to url ones', async () => {
    const setAllowedLocationTypes = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [catalogLocationsExtensionPoint, { setAllowedLocationTypes }],
      ],
      features: [catalogModuleLocalRepositories],
    });
    expect(setAllowedLocationTypes).toHaveBeenCalledWith(['url', 'file']);
  });
});

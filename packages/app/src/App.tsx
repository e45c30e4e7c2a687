import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import llmPlatformPlugin from '@llm-platform/backstage-plugin-llm-platform/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    kubernetesPlugin,
    userSettingsPlugin,
    llmPlatformPlugin,
    navModule,
    signInModule,
  ],
});

import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import type { SignInPageProps } from '@backstage/plugin-app-react';

// Guest sign-in is offered only where app-config enables it (the local
// default); the production profile turns it off.
const ConfiguredSignInPage = (props: SignInPageProps) => {
  const config = useApi(configApiRef);
  const guest = config.getOptionalBoolean('app.signIn.guest') ?? false;
  return (
    <SignInPage
      {...props}
      title="LLM Platform portal"
      align="center"
      providers={guest ? ['guest'] : []}
    />
  );
};

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => ConfiguredSignInPage,
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});

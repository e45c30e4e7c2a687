import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleLocalRepositories } from '@llm-platform/backstage-plugin-scaffolder-backend-module-llm-platform';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in is enabled by app-config.yaml and switched off in production
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// permission: allow-all is for local use; production installs replace the policy module
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import(
    '@llm-platform/backstage-plugin-scaffolder-backend-module-llm-platform'
  ),
);
// Lets llm-platform:publish:local register the repositories it writes on this
// machine; leave it out where the backend's file system is not trusted.
backend.add(catalogModuleLocalRepositories);

// the official Kubernetes plugin, which reads the same cluster config as ours
backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@llm-platform/backstage-plugin-llm-platform-backend'));
backend.start();

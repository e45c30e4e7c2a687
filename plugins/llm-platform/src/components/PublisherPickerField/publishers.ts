import type { ConfigApi as Config } from '@backstage/core-plugin-api';

/** Where the llm-platform templates can publish a generated repository. */
export type Publisher = 'local' | 'github';

/**
 * The GitHub hosts the app has an integration for (`integrations.github`, the
 * `host` of each entry is visible to the frontend). Backstage's integrations
 * API always lists github.com, configured or not, so the config is read here.
 */
export function githubHosts(config: Config): string[] {
  return (config.getOptionalConfigArray('integrations.github') ?? []).map(
    c => c.getOptionalString('host') ?? 'github.com',
  );
}

/** The publishers to offer: GitHub only where an integration is configured. */
export function availablePublishers(config: Config): Publisher[] {
  return githubHosts(config).length ? ['local', 'github'] : ['local'];
}

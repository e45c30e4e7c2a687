import type { MetricsRange } from '@llm-platform/backstage-plugin-llm-platform-common';
import type { LlmPlatformEntityRef } from '../../api';

/** The tab as the app configured it: its path under the entity page and the range it opens with. */
export interface RegisteredTab {
  path: string;
  defaultRange: MetricsRange;
}

/**
 * Set by the tab's extension when the app builds that part of its extension
 * tree; undefined when the app has no tab. An app with a sign-in page builds
 * its pages (and the tab) only once the user is signed in.
 */
let configuredTab: RegisteredTab | undefined;
const listeners = new Set<(tab: RegisteredTab) => void>();

export function registerTab(tab: RegisteredTab | undefined) {
  configuredTab = tab && {
    ...tab,
    path: tab.path.replace(/^\/+|\/+$/g, ''),
  };
  if (configuredTab) {
    for (const listener of [...listeners]) listener(configuredTab);
  }
}

export function registeredTab() {
  return configuredTab;
}

/**
 * Calls back once, when the tab is registered (at once if it already is),
 * after the code that registered it has run: the app registers the tab while
 * it builds its extension tree, and learns its routes only when it has
 * finished. Returns a function that cancels the call.
 */
export function whenTabRegistered(
  callback: (tab: RegisteredTab) => void,
): () => void {
  let active = true;
  const fire = (tab: RegisteredTab) => {
    listeners.delete(fire);
    Promise.resolve().then(() => {
      if (active) callback(tab);
    });
  };
  if (configuredTab) {
    fire(configuredTab);
  } else {
    listeners.add(fire);
  }
  return () => {
    active = false;
    listeners.delete(fire);
  };
}

/** The entity route's parameters, as the catalog's `entityRouteRef` takes them. */
type EntityRouteParams = { namespace: string; kind: string; name: string };

// Stand-ins for the route's parameters: plain letters, so the route function
// passes them through unchanged, and none a prefix of another, so each is
// found in its result where it is.
const SLOTS: EntityRouteParams = {
  namespace: 'llmplatformslotxnx',
  kind: 'llmplatformslotxkx',
  name: 'llmplatformslotxmx',
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The entity whose LLM Platform tab a path shows, or undefined. The entity
 * page's path comes from the app's routes (`/catalog/:namespace/:kind/:name`
 * by default, wherever the app mounts it), the tab's from its extension.
 */
export function entityOfTabPath(
  pathname: string,
  entityRoute: (params: EntityRouteParams) => string,
  tabPath: string,
): LlmPlatformEntityRef | undefined {
  const template = entityRoute(SLOTS).replace(/\/+$/, '');
  const order = (Object.keys(SLOTS) as (keyof EntityRouteParams)[])
    .map(key => ({ key, at: template.indexOf(SLOTS[key]) }))
    .filter(slot => slot.at >= 0)
    .sort((a, b) => a.at - b.at);
  if (order.length !== 3) return undefined;
  let pattern = escape(template);
  for (const { key } of order) {
    pattern = pattern.replace(SLOTS[key], '([^/]+)');
  }
  const tab = tabPath.replace(/^\/+|\/+$/g, '');
  const match = new RegExp(`^${pattern}/${escape(tab)}/?$`).exec(pathname);
  if (!match) return undefined;
  try {
    const values = Object.fromEntries(
      order.map(({ key }, i) => [key, decodeURIComponent(match[i + 1])]),
    ) as EntityRouteParams;
    return values;
  } catch {
    return undefined; // a malformed escape in the address
  }
}

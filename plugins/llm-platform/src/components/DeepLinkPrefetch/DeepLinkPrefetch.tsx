import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';
import { routeResolutionApiRef, useApi } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { llmPlatformApiRef } from '../../api';
import { preloadDashboard } from '../lazyParts';
import { entityOfTabPath, whenTabRegistered } from './tabPath';

/**
 * When the app is opened at an entity's LLM Platform tab (a shared link, a
 * reload), asks for the tab's data and loads its code as soon as the user is
 * signed in and the app has built its pages, instead of after the entity
 * page's code and then the entity itself have loaded. The tab's own requests
 * for the same data then share the answers (see `LlmPlatformClient`).
 * Renders nothing, and does nothing on any other page.
 */
export const DeepLinkPrefetch = () => {
  const { pathname } = useLocation();
  // Where the app is when the tab registers: an app with a sign-in page
  // builds its pages only after the sign-in.
  const path = useRef(pathname);
  path.current = pathname;
  const routes = useApi(routeResolutionApiRef);
  const api = useApi(llmPlatformApiRef);
  useEffect(
    () =>
      whenTabRegistered(tab => {
        let entity;
        try {
          const entityRoute = routes.resolve(entityRouteRef);
          entity =
            entityRoute && entityOfTabPath(path.current, entityRoute, tab.path);
        } catch {
          return; // the app routes the entity page in a way we cannot follow
        }
        if (!entity) return;
        preloadDashboard().catch(() => undefined);
        // Errors are the tab's to show, when it asks for the same data.
        api.getWorkloads(entity).catch(() => undefined);
        api
          .getMetrics(entity, { range: tab.defaultRange })
          .catch(() => undefined);
      }),
    // Once: later navigation is the tab's own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  return null;
};

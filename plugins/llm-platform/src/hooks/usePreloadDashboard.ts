import { useEffect } from 'react';
import { preloadDashboard } from '../components/lazyParts';

/**
 * Loads the code of the tab's dashboard and of its charts (the larger part of
 * the plugin) once the page is idle, so that opening the tab from a page that
 * shows the overview card does not wait for it.
 */
export function usePreloadDashboard() {
  useEffect(() => {
    const load = () => {
      preloadDashboard().catch(() => undefined);
    };
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(load, { timeout: 3000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = setTimeout(load, 1000);
    return () => clearTimeout(timer);
  }, []);
}

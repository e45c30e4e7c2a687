import { lazyWithPreload } from 'react-lazy-with-preload';

/*
 * The two parts of the plugin that load on demand: the tab's dashboard and
 * the chart library. Each has one `import()` here, so the bundler gives it one
 * set of chunks whoever asks first (the overview card, the tab's shell or the
 * latency panel), and a part that has already loaded renders at once instead
 * of suspending for another render pass.
 */

export const LazyEntityLlmPlatformContent = lazyWithPreload(() =>
  import('./EntityLlmPlatformContent/EntityLlmPlatformContent').then(m => ({
    default: m.EntityLlmPlatformContent,
  })),
);

export const LazyMetricChart = lazyWithPreload(() =>
  import('./LatencyPanel/MetricChart').then(m => ({ default: m.MetricChart })),
);

/** Loads both parts; resolves to the two components. */
export function preloadDashboard() {
  return Promise.all([
    LazyEntityLlmPlatformContent.preload(),
    LazyMetricChart.preload(),
  ]);
}

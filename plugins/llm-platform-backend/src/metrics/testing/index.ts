// Generator and Prometheus harness shared by the tests, the local sandbox and
// scripts/bench/metrics.ts.
export * from './generator';
export * from './prometheusHarness';

import { ConfigReader } from '@backstage/config';
import { readPrometheusConfig, selectInstance } from './config';

const read = (prometheus: object) =>
  readPrometheusConfig(new ConfigReader({ llmPlatform: { prometheus } }));

describe('readPrometheusConfig', () => {
  it('is undefined when the section is absent', () => {
    expect(readPrometheusConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads instances with defaults, auth headers and durations', () => {
    const config = read({
      instances: [
        { name: 'a', url: 'http://prom-a:9090/' },
        {
          name: 'b',
          url: 'https://mimir.example/prometheus',
          clusters: ['eks-prod'],
          timeout: '3s',
          scrapeInterval: { seconds: 15 },
          pointsSettleAfter: '5m',
          bearerToken: 'tok',
          headers: { 'X-Scope-OrgID': 'team-a' },
        },
      ],
    })!;
    expect(config.defaultInstance).toBe('a');
    expect(config.settledPointsCacheMegabytes).toBe(64);
    expect(config.instances[0]).toEqual({
      name: 'a',
      url: 'http://prom-a:9090',
      clusters: [],
      timeoutMs: 10000,
      headers: {},
      scrapeIntervalSeconds: 30,
      settleSeconds: 90,
    });
    expect(config.instances[1]).toMatchObject({
      timeoutMs: 3000,
      scrapeIntervalSeconds: 15,
      settleSeconds: 300,
      headers: { Authorization: 'Bearer tok', 'X-Scope-OrgID': 'team-a' },
    });
  });

  it.each([
    [{ instances: [] }, /at least one instance/],
    [
      { instances: [{ name: 'a', url: 'not a url' }] },
      /not an absolute http\(s\) URL/,
    ],
    [
      { instances: [{ name: 'a', url: 'ftp://prom' }] },
      /must use http or https/,
    ],
    [
      {
        instances: [
          { name: 'a', url: 'http://x' },
          { name: 'a', url: 'http://y' },
        ],
      },
      /"a" is used twice/,
    ],
    [
      { defaultInstance: 'z', instances: [{ name: 'a', url: 'http://x' }] },
      /defaultInstance "z" is not one of the instances: a/,
    ],
    [
      {
        settledPointsCacheMegabytes: -1,
        instances: [{ name: 'a', url: 'http://x' }],
      },
      /settledPointsCacheMegabytes must be a number of megabytes, 0 or more/,
    ],
  ])('rejects %p', (section, message) => {
    expect(() => read(section)).toThrow(message);
  });
});

describe('selectInstance', () => {
  const config = read({
    defaultInstance: 'main',
    instances: [
      { name: 'main', url: 'http://main' },
      { name: 'gpu', url: 'http://gpu', clusters: ['gpu-cluster'] },
    ],
  })!;

  it('prefers the annotation, then a cluster match, then the default', () => {
    expect(
      selectInstance(config, { annotation: 'main', clusters: ['gpu-cluster'] })
        .name,
    ).toBe('main');
    expect(selectInstance(config, { clusters: ['gpu-cluster'] }).name).toBe(
      'gpu',
    );
    expect(selectInstance(config, { clusters: ['other'] }).name).toBe('main');
  });

  it('names the annotation and the configured instances when the annotation is wrong', () => {
    expect(() => selectInstance(config, { annotation: 'nope' })).toThrow(
      'annotation "llm-platform.io/prometheus" names Prometheus instance "nope", which is not configured; configured instances: main, gpu',
    );
  });
});

import { metricsRequestForEntity } from './entityScope';

describe('metricsRequestForEntity', () => {
  const entity = (annotations: Record<string, string>) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'chat', namespace: 'default', annotations },
  });

  it('prefers annotated model names and passes the instance annotation through', () => {
    const request = metricsRequestForEntity(
      entity({
        'llm-platform.io/model-names': 'mistral, llama ,',
        'llm-platform.io/prometheus': 'eu',
      }),
      {
        namespaces: ['serving'],
        pods: ['p-1'],
        modelNames: ['discovered'],
        clusters: ['prod'],
      },
      { range: '24h' },
    );
    expect(request).toEqual({
      entityRef: 'component:default/chat',
      instance: 'eu',
      clusters: ['prod'],
      scope: {
        namespaces: ['serving'],
        modelNames: ['mistral', 'llama'],
        pods: ['p-1'],
      },
      range: '24h',
    });
  });

  it('falls back to discovered names and the namespace annotation', () => {
    const request = metricsRequestForEntity(
      entity({ 'backstage.io/kubernetes-namespace': 'llm' }),
      { modelNames: ['a', 'a'] },
      {},
    );
    expect(request.scope).toEqual({ namespaces: ['llm'], modelNames: ['a'] });
  });

  it('explains when no namespace is known', () => {
    expect(() => metricsRequestForEntity(entity({}), {}, {})).toThrow(
      /no pods of the entity were found and it has no "backstage.io\/kubernetes-namespace" annotation/,
    );
  });
});

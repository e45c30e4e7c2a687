import { entityOfTabPath } from './tabPath';

type Params = { namespace: string; kind: string; name: string };
const defaultRoute = ({ namespace, kind, name }: Params) =>
  `/catalog/${namespace}/${kind}/${name}`;

describe('entityOfTabPath', () => {
  it('reads the entity from the tab of the default entity route', () => {
    expect(
      entityOfTabPath(
        '/catalog/default/component/llama-3-8b/llm-platform',
        defaultRoute,
        'llm-platform',
      ),
    ).toEqual({ namespace: 'default', kind: 'component', name: 'llama-3-8b' });
    expect(
      entityOfTabPath(
        '/catalog/ml/component/llama-3-8b/llm-platform/',
        defaultRoute,
        '/llm-platform/',
      ),
    ).toEqual({ namespace: 'ml', kind: 'component', name: 'llama-3-8b' });
  });

  it('follows an entity route mounted elsewhere, with its parameters in another order', () => {
    const route = ({ namespace, kind, name }: Params) =>
      `/software/${kind}/${namespace}/${name}/`;
    expect(
      entityOfTabPath(
        '/software/api/team-a/chat/inference',
        route,
        'inference',
      ),
    ).toEqual({ namespace: 'team-a', kind: 'api', name: 'chat' });
  });

  it('decodes escaped names', () => {
    expect(
      entityOfTabPath(
        '/catalog/default/component/a%20b/llm-platform',
        defaultRoute,
        'llm-platform',
      ),
    ).toEqual({ namespace: 'default', kind: 'component', name: 'a b' });
  });

  it('finds nothing on other pages, other tabs or a malformed address', () => {
    for (const path of [
      '/catalog/default/component/llama-3-8b',
      '/catalog/default/component/llama-3-8b/kubernetes',
      '/catalog/default/component/llama-3-8b/llm-platform/extra',
      '/catalog/default/llm-platform',
      '/create/llm-platform',
      '/catalog/default/component/%E0%A4%A/llm-platform',
    ]) {
      expect(entityOfTabPath(path, defaultRoute, 'llm-platform')).toBe(
        undefined,
      );
    }
  });

  it('finds nothing when the entity route does not carry all three parameters', () => {
    const partial = ({ name }: Params) => `/models/${name}`;
    expect(
      entityOfTabPath('/models/llama/llm-platform', partial, 'llm-platform'),
    ).toBe(undefined);
  });
});

import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { llmPlatformApiRef } from '../../api';
import { mockApi } from '../../__testUtils__/render';
import { DeepLinkPrefetch } from './DeepLinkPrefetch';
import { registerTab } from './tabPath';

const openAt = (
  path: string,
  mountedAt = '/catalog/:namespace/:kind/:name',
) => {
  const api = mockApi();
  renderInTestApp(
    <>
      <DeepLinkPrefetch />
      <p>Page drawn</p>
    </>,
    {
      apis: [[llmPlatformApiRef, api]],
      mountedRoutes: { [mountedAt]: entityRouteRef },
      initialRouteEntries: [path],
    },
  );
  return api;
};

describe('DeepLinkPrefetch', () => {
  afterEach(() => registerTab(undefined));

  it('asks for the tab’s data when the app opens at the tab of an entity', async () => {
    registerTab({ path: 'llm-platform', defaultRange: '24h' });
    const api = openAt('/catalog/default/component/llama-3-8b/llm-platform');
    const entity = {
      namespace: 'default',
      kind: 'component',
      name: 'llama-3-8b',
    };
    await waitFor(() => expect(api.getWorkloads).toHaveBeenCalledWith(entity));
    expect(api.getMetrics).toHaveBeenCalledWith(entity, { range: '24h' });
  });

  it('waits for the tab to register, as it does in an app with a sign-in page', async () => {
    const api = openAt('/catalog/default/component/llama-3-8b/llm-platform');
    await screen.findByText('Page drawn');
    expect(api.getMetrics).not.toHaveBeenCalled();
    registerTab({ path: 'llm-platform', defaultRange: '6h' });
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenCalledWith(
        { namespace: 'default', kind: 'component', name: 'llama-3-8b' },
        { range: '6h' },
      ),
    );
    expect(api.getWorkloads).toHaveBeenCalledTimes(1);
  });

  it('follows where the app mounts the entity page and the tab', async () => {
    registerTab({ path: 'inference', defaultRange: '1h' });
    const api = openAt(
      '/software/team-a/api/chat/inference',
      '/software/:namespace/:kind/:name',
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenCalledWith(
        { namespace: 'team-a', kind: 'api', name: 'chat' },
        { range: '1h' },
      ),
    );
  });

  it.each([
    '/catalog/default/component/llama-3-8b',
    '/catalog/default/component/llama-3-8b/kubernetes',
    '/create',
  ])('does nothing on any other page (%s)', async path => {
    registerTab({ path: 'llm-platform', defaultRange: '1h' });
    const api = openAt(path);
    // Drawn, so its effects have run.
    await screen.findByText('Page drawn');
    expect(api.getWorkloads).not.toHaveBeenCalled();
    expect(api.getMetrics).not.toHaveBeenCalled();
  });

  it('does nothing while the app has no tab', async () => {
    const api = openAt('/catalog/default/component/llama-3-8b/llm-platform');
    await screen.findByText('Page drawn');
    expect(api.getWorkloads).not.toHaveBeenCalled();
    expect(api.getMetrics).not.toHaveBeenCalled();
  });
});

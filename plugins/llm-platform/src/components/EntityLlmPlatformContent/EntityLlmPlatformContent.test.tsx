import { screen, within } from '@testing-library/react';
import { EntityLlmPlatformContent } from './EntityLlmPlatformContent';
import { mockApi, renderWithApi } from '../../__fixtures__/render';

describe('EntityLlmPlatformContent', () => {
  it('draws every section for a healthy entity', async () => {
    const api = mockApi();
    await renderWithApi(<EntityLlmPlatformContent />, api);
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(
      await within(summary).findByRole('region', { name: 'Pods ready' }),
    ).toHaveTextContent('2 / 2');
    expect(
      await screen.findByRole('figure', { name: 'End-to-end latency' }),
    ).toBeInTheDocument();
  });
});

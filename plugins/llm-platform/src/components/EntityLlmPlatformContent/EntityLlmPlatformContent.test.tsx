import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { EntityLlmPlatformContent } from './EntityLlmPlatformContent';
import { isLlmPlatformAvailable } from '../../isLlmPlatformAvailable';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'llama', annotations },
  spec: {},
});

describe('EntityLlmPlatformContent', () => {
  it('shows the selector the backend will use for an annotated entity', async () => {
    const annotated = entity({
      'backstage.io/kubernetes-id': 'llama',
      'backstage.io/kubernetes-namespace': 'llm-serving',
    });
    expect(isLlmPlatformAvailable(annotated)).toBe(true);
    await renderInTestApp(
      <EntityProvider entity={annotated}>
        <EntityLlmPlatformContent />
      </EntityProvider>,
    );
    expect(await screen.findByText('Workload selection')).toBeInTheDocument();
    expect(
      screen.getByText('backstage.io/kubernetes-id=llama'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Namespace: llm-serving/)).toBeInTheDocument();
  });

  it('explains an invalid annotation instead of showing data', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={entity({
          'backstage.io/kubernetes-label-selector': 'app in (',
        })}
      >
        <EntityLlmPlatformContent />
      </EntityProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The workload annotations are not valid');
    expect(alert).toHaveTextContent(/unbalanced parentheses/);
    expect(screen.queryByText('Workload selection')).not.toBeInTheDocument();
  });

  it('is not offered for an entity without the annotations', () => {
    expect(isLlmPlatformAvailable(entity({}))).toBe(false);
  });
});

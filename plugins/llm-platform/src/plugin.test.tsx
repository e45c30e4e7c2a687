import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { LlmPlatformGpuFitFieldExtension } from './plugin';
import { GpuFitField, gpuFitValidation } from './components/GpuFitField';

// What the legacy scaffolder page collects from its field extension outlet.
const CollectedFields = () => {
  const fields = useCustomFieldExtensions(
    <ScaffolderFieldExtensions>
      <LlmPlatformGpuFitFieldExtension />
    </ScaffolderFieldExtensions>,
  );
  return (
    <ul>
      {fields.map(field => (
        <li key={field.name}>
          {field.name}:{' '}
          {field.component === GpuFitField ? 'GPU fit field' : 'other'},{' '}
          {field.validation === gpuFitValidation
            ? 'planner validation'
            : 'no validation'}
        </li>
      ))}
    </ul>
  );
};

describe('LlmPlatformGpuFitFieldExtension', () => {
  it('gives the legacy scaffolder the field and its validation', async () => {
    await renderInTestApp(<CollectedFields />);
    expect(await screen.findByRole('listitem')).toHaveTextContent(
      'LlmPlatformGpuFit: GPU fit field, planner validation',
    );
  });
});

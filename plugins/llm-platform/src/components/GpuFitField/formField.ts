import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { GpuFitField } from './GpuFitField';
import { GPU_FIT_FIELD_NAME, GpuFitFieldSchema } from './schema';
import { gpuFitValidation } from './validation';

/** The GPU fit field for the new frontend system's scaffolder. */
export const gpuFitFormField = createFormField({
  name: GPU_FIT_FIELD_NAME,
  component: GpuFitField,
  validation: gpuFitValidation,
  schema: GpuFitFieldSchema,
});

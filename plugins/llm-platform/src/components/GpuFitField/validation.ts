import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { checkGpuFit, type GpuFitValue } from './gpuFit';

/**
 * Keeps the form from moving on with a configuration `llm-platform:plan`
 * would refuse, with the planner's reason as the message.
 */
export const gpuFitValidation: CustomFieldValidator<GpuFitValue> = (
  _value,
  validation,
  { formData },
) => {
  const check = checkGpuFit(formData);
  if (check.status === 'incomplete') {
    validation.addError(
      `The GPU fit cannot be checked without ${check.missing.join(', ')}.`,
    );
  } else if (check.status === 'invalid') {
    validation.addError(check.message);
  } else if (!check.result.fits) {
    validation.addError(check.result.reason);
  }
};

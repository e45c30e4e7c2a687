import { configApiRef } from '@backstage/core-plugin-api';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { availablePublishers } from './publishers';

/** Refuses a publisher the app cannot use, naming what is valid. */
export const publisherPickerValidation: CustomFieldValidator<string> = (
  value,
  validation,
  { apiHolder },
) => {
  const config = apiHolder.get(configApiRef);
  const available = config ? availablePublishers(config) : ['local'];
  if (value !== undefined && !available.includes(value as never)) {
    validation.addError(
      value === 'github'
        ? 'GitHub is not available: the app has no GitHub integration (integrations.github). Choose the local git repository.'
        : `"${value}" is not a publisher; choose one of: ${available.join(
            ', ',
          )}.`,
    );
  }
};

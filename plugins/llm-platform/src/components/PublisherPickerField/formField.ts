import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { PublisherPickerField } from './PublisherPickerField';
import {
  PUBLISHER_PICKER_FIELD_NAME,
  PublisherPickerFieldSchema,
} from './schema';
import { publisherPickerValidation } from './validation';

/** The publisher picker for the new frontend system's scaffolder. */
export const publisherPickerFormField = createFormField({
  name: PUBLISHER_PICKER_FIELD_NAME,
  component: PublisherPickerField,
  validation: publisherPickerValidation,
  schema: PublisherPickerFieldSchema,
});

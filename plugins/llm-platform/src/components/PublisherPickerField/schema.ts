import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** The publisher the template's steps branch on: `local` or `github`. */
export const PublisherPickerFieldSchema = makeFieldSchema({
  output: z => z.enum(['local', 'github']),
});

/** The name templates give as `ui:field`. */
export const PUBLISHER_PICKER_FIELD_NAME = 'LlmPlatformPublisherPicker';

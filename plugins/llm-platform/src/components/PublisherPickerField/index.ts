export { PublisherPickerField } from './PublisherPickerField';
export { publisherPickerValidation } from './validation';
export {
  PUBLISHER_PICKER_FIELD_NAME,
  PublisherPickerFieldSchema,
} from './schema';

export * from './types';
export { VALIDATION_RULES } from './rules';
export {
  validateRepository,
  formatValidationReport,
  collectRepositoryFiles,
  type ValidateOptions,
  type DirectoryReader,
} from './validate';
export { runValidatorCli, type CliEnvironment } from './cli';

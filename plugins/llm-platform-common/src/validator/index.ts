export * from './types';
export { VALIDATION_RULES } from './rules';
export {
  validateRepository,
  formatValidationReport,
  collectRepositoryFiles,
  directoryReader,
  type ValidateOptions,
  type DirectoryReader,
  type NodeFileSystem,
} from './validate';
export { runValidatorCli, type CliEnvironment } from './cli';
export { kservePredictorPodSpec } from './repo';

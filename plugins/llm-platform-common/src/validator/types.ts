/**
 * One file of the repository under validation, path relative to its root
 * with forward slashes.
 *
 * @public
 */
export interface RepoFile {
  path: string;
  content: string;
}

/**
 * How bad a finding is. Errors fail the scaffolder step and the CLI.
 *
 * @public
 */
export type Severity = 'error' | 'warning';

/**
 * Something a rule found.
 *
 * @public
 */
export interface Finding {
  /** Stable rule id, for example `LLMP-D02`. */
  ruleId: string;
  severity: Severity;
  file: string;
  /** 1-based line. */
  line: number;
  /** Ids in FAILURES.md of the seed failures this finding would cause. */
  failures: string[];
  message: string;
  fix: string;
}

/**
 * A check over the whole repository.
 *
 * @public
 */
export interface ValidationRule {
  id: string;
  title: string;
  failures: string[];
  severity: Severity;
  fix: string;
  check(repo: import('./repo').RepoIndex): RuleHit[];
}

/**
 * What a rule reports; the engine adds the rule's id, failures and defaults.
 *
 * @public
 */
export interface RuleHit {
  file: string;
  line: number;
  message: string;
  severity?: Severity;
  fix?: string;
}

/**
 * Result of {@link validateRepository}.
 *
 * @public
 */
export interface ValidationReport {
  findings: Finding[];
  errorCount: number;
  warningCount: number;
  filesChecked: number;
  rulesRun: number;
}

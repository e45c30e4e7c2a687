import { RepoIndex } from './repo';
import { VALIDATION_RULES } from './rules';
import type { Finding, RepoFile, ValidationReport } from './types';

/**
 * Options of {@link validateRepository}.
 *
 * @public
 */
export interface ValidateOptions {
  /** Rule ids to skip. */
  disable?: string[];
}

/**
 * Runs the preflight rule catalogue over a repository's files. Pure: the
 * caller reads the files (see {@link collectRepositoryFiles}).
 *
 * @public
 */
export function validateRepository(
  files: RepoFile[],
  options: ValidateOptions = {},
): ValidationReport {
  const unknown = (options.disable ?? []).filter(
    id => !VALIDATION_RULES.some(r => r.id === id),
  );
  if (unknown.length) {
    throw new Error(
      `unknown rule id ${unknown.join(', ')}; rules are ${VALIDATION_RULES.map(
        r => r.id,
      ).join(', ')}`,
    );
  }
  const repo = new RepoIndex(files);
  const rules = VALIDATION_RULES.filter(r => !options.disable?.includes(r.id));
  const findings: Finding[] = repo.parseErrors.map(e => ({
    ruleId: 'yaml-parses',
    severity: 'warning',
    file: e.file,
    line: e.line,
    failures: [],
    message: `YAML does not parse, so no rule could check it: ${e.message}`,
    fix: 'Fix the YAML syntax.',
  }));
  for (const rule of rules) {
    for (const hit of rule.check(repo)) {
      findings.push({
        ruleId: rule.id,
        severity: hit.severity ?? rule.severity,
        file: hit.file,
        line: hit.line,
        failures: rule.failures,
        message: hit.message,
        fix: hit.fix ?? rule.fix,
      });
    }
  }
  findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.ruleId.localeCompare(b.ruleId),
  );
  return {
    findings,
    errorCount: findings.filter(f => f.severity === 'error').length,
    warningCount: findings.filter(f => f.severity === 'warning').length,
    filesChecked: repo.files.size,
    rulesRun: rules.length,
  };
}

/**
 * Human-readable report, one finding per paragraph, like a compiler's.
 *
 * @public
 */
export function formatValidationReport(report: ValidationReport): string {
  const lines = report.findings.map(
    f =>
      `${f.file}:${f.line}: ${f.severity} [${f.ruleId}] (${
        f.failures.join(', ') || 'syntax'
      }) ${f.message}\n  fix: ${f.fix}`,
  );
  lines.push(
    `${report.errorCount} error(s), ${report.warningCount} warning(s) in ${report.filesChecked} files, ${report.rulesRun} rules`,
  );
  return lines.join('\n');
}

/**
 * The part of a file system {@link collectRepositoryFiles} needs, so that this
 * package stays free of Node imports; pass `fs` and `path` adapters.
 *
 * @public
 */
export interface DirectoryReader {
  list(dir: string): { name: string; isDirectory: boolean }[];
  read(file: string): string;
  join(...parts: string[]): string;
}

/**
 * The parts of Node's `fs` module that {@link directoryReader} uses.
 *
 * @public
 */
export interface NodeFileSystem {
  readdirSync(
    dir: string,
    options: { withFileTypes: true },
  ): { name: string; isDirectory(): boolean }[];
  readFileSync(file: string, encoding: 'utf8'): string;
}

/**
 * A {@link DirectoryReader} over Node's `fs` and `path` modules, which the
 * caller passes in: `directoryReader(fs, path)`.
 *
 * @public
 */
export function directoryReader(
  fs: NodeFileSystem,
  path: { join(...parts: string[]): string },
): DirectoryReader {
  return {
    list: dir =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .map(e => ({ name: e.name, isDirectory: e.isDirectory() })),
    read: file => fs.readFileSync(file, 'utf8'),
    join: (...parts) => path.join(...parts),
  };
}

const SKIP_DIRS = new Set([
  '.git',
  'node_modules',
  '.terraform',
  'dist',
  '__pycache__',
  '.venv',
]);
const TEXT_FILE =
  /(\.(ya?ml|json|tf|tfvars|py|txt|md|sh|toml|cfg|conf|ini|env)|(^|\/)Dockerfile(\.[^/]*)?|\.Dockerfile)$/;

/**
 * Reads every text file of a repository that a rule may look at.
 *
 * @public
 */
export function collectRepositoryFiles(
  root: string,
  reader: DirectoryReader,
): RepoFile[] {
  const files: RepoFile[] = [];
  const walk = (relative: string) => {
    for (const entry of reader.list(
      relative ? reader.join(root, relative) : root,
    )) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (TEXT_FILE.test(path)) {
        files.push({ path, content: reader.read(reader.join(root, path)) });
      }
    }
  };
  walk('');
  return files;
}

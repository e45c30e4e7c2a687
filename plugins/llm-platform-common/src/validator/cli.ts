import {
  collectRepositoryFiles,
  formatValidationReport,
  validateRepository,
  type DirectoryReader,
} from './validate';

const USAGE = `Usage: llm-platform-validate [directory] [--json] [--fail-on error|warning|never] [--disable rule-id,...]

Runs the LLM Platform preflight rules over a repository (default: the current
directory). Exits 1 when findings reach --fail-on (default: error), 2 on bad usage.`;

/**
 * What the command-line tool needs from its environment.
 *
 * @public
 */
export interface CliEnvironment {
  /** Resolves a path given on the command line against the working directory. */
  resolve(path: string): string;
  reader: DirectoryReader & { isDirectory(path: string): boolean };
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * The `llm-platform-validate` command; returns the exit code.
 *
 * @public
 */
export function runValidatorCli(argv: string[], env: CliEnvironment): number {
  let dir: string | undefined;
  let json = false;
  let failOn = 'error';
  let disable: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      env.stdout(USAGE);
      return 0;
    } else if (arg === '--fail-on') failOn = argv[++i] ?? '';
    else if (arg === '--disable')
      disable = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (!arg.startsWith('-') && dir === undefined) dir = arg;
    else {
      env.stderr(`unknown argument "${arg}"\n${USAGE}`);
      return 2;
    }
  }
  if (!['error', 'warning', 'never'].includes(failOn)) {
    env.stderr(`--fail-on must be error, warning or never, got "${failOn}"`);
    return 2;
  }
  const root = env.resolve(dir ?? '.');
  if (!env.reader.isDirectory(root)) {
    env.stderr(`"${dir}" is not a directory`);
    return 2;
  }
  let report;
  try {
    report = validateRepository(collectRepositoryFiles(root, env.reader), {
      disable,
    });
  } catch (e) {
    env.stderr(String((e as Error).message));
    return 2;
  }
  env.stdout(
    json ? JSON.stringify(report, null, 2) : formatValidationReport(report),
  );
  const failing =
    (failOn === 'error' && report.errorCount > 0) ||
    (failOn === 'warning' && report.errorCount + report.warningCount > 0);
  return failing ? 1 : 0;
}

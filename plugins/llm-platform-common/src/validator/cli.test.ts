import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runValidatorCli } from './cli';
import { directoryReader } from './validate';

const FIXTURES = path.join(__dirname, '__fixtures__');

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runValidatorCli(argv, {
    resolve: p => path.resolve(FIXTURES, p),
    reader: {
      ...directoryReader(fs, path),
      isDirectory: p => fs.existsSync(p) && fs.statSync(p).isDirectory(),
    },
    stdout: t => out.push(t),
    stderr: t => err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('llm-platform-validate', () => {
  it('passes a clean repository', () => {
    const { code, out } = run(['clean']);
    expect(code).toBe(0);
    expect(out).toMatch(/^0 error\(s\), 0 warning\(s\)/);
  });

  it('fails on errors and prints file:line, rule, seed failure and fix', () => {
    // The D14 seed directory alone holds only a kustomization with commonLabels.
    const { code, out } = run(['seeds/D14']);
    expect(code).toBe(1);
    expect(out).toContain(
      'k8s/base/kustomization.yaml:3: error [D14-no-common-labels] (D14, D15)',
    );
    expect(out).toMatch(/\n {2}fix: Replace commonLabels/);
  });

  it('writes JSON and honours --fail-on never', () => {
    const { code, out } = run(['seeds/D14', '--json', '--fail-on', 'never']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.errorCount).toBeGreaterThan(0);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'D14-no-common-labels', line: 3 }),
    );
  });

  it.each([
    [['--fail-on', 'sometimes'], /--fail-on must be/],
    [['no-such-dir'], /"no-such-dir" is not a directory/],
    [['clean', '--disable', 'D99-x'], /unknown rule id D99-x/],
    [['clean', '--verbose'], /unknown argument "--verbose"/],
  ])('rejects %j with exit code 2', (argv, message) => {
    const { code, err } = run(argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('runs as a command', () => {
    const bin = path.resolve(__dirname, '../../bin/llm-platform-validate');
    const result = spawnSync(
      process.execPath,
      [bin, path.join(FIXTURES, 'seeds', 'D21')],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('services/gateway/Dockerfile:');
    expect(result.stdout).toContain('[D21-no-copy-outside-context]');
    expect(result.status).toBe(1);
  }, 60_000);
});

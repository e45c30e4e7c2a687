import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('generated OpenAPI router', () => {
  it('matches src/schema/openapi.yaml', () => {
    const script = path.resolve(
      __dirname,
      '../../scripts/generate-openapi-router.js',
    );
    // Throws, with the command to run, when the generated file is stale.
    expect(() =>
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});

// The one writer of docs/benchmarks.md's generated blocks, shared by every
// benchmark that writes its own results (--write) and by write-section.ts.
import fs from 'node:fs';
import path from 'node:path';

export const BENCHMARKS_DOC = path.resolve(
  __dirname,
  '../../docs/benchmarks.md',
);

/**
 * Replaces the text between `<!-- benchmark:<name>:start -->` and
 * `<!-- benchmark:<name>:end -->` with `markdown`, formatted as the
 * repository's prettier formats markdown (tables aligned); the rest of the
 * document is left as it is.
 */
export function writeBenchmarkSection(name: string, markdown: string) {
  const start = `<!-- benchmark:${name}:start -->`;
  const end = `<!-- benchmark:${name}:end -->`;
  const doc = fs.readFileSync(BENCHMARKS_DOC, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) {
    throw new Error(`docs/benchmarks.md has no ${start} … ${end} markers`);
  }
  // eslint-disable-next-line @backstage/no-undeclared-imports
  const prettier = require('prettier');
  const formatted = prettier.format(markdown, {
    ...prettier.resolveConfig.sync(BENCHMARKS_DOC),
    parser: 'markdown',
  });
  fs.writeFileSync(
    BENCHMARKS_DOC,
    `${doc.slice(0, from + start.length)}\n\n${formatted}\n${doc.slice(to)}`,
  );
}

// Writes a benchmark's markdown output into docs/benchmarks.md, between the
// section's markers, as scripts/benchmarks.sh does after each benchmark:
//
//   node --require @backstage/cli/config/nodeTransform.cjs \
//     scripts/bench/write-section.ts <name> <output.md> "<command>"
//
// The text between `<!-- benchmark:<name>:start -->` and
// `<!-- benchmark:<name>:end -->` is replaced; the rest is left as it is.
import fs from 'node:fs';
import os from 'node:os';
import { writeBenchmarkSection } from './docSection';

const [name, file, command] = process.argv.slice(2);
if (!name || !file || !command) {
  console.error('usage: write-section.ts <name> <output.md> "<command>"');
  process.exit(2);
}
const output = fs
  .readFileSync(file, 'utf8')
  // yarn's own lines, when the benchmark runs through a package script
  .split('\n')
  .filter(line => !/^(➤|\[setup\])/.test(line))
  .join('\n')
  .trim();
// Plain lines (no markdown table) are kept as they are, in a code block.
const body = /^\|/m.test(output) ? output : `\`\`\`text\n${output}\n\`\`\``;
const [load1] = os.loadavg();
const text = [
  `Output of \`${command}\`, run by \`./scripts/benchmarks.sh\` on ${new Date()
    .toISOString()
    .slice(0, 16)}Z (Node ${process.version}, ${
    os.cpus().length
  } cores, load average ${load1.toFixed(1)} at the end):`,
  '',
  body,
].join('\n');
writeBenchmarkSection(name, text);

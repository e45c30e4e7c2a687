/**
 * Times each step of the llm-platform template through the real actions:
 * the fit planner, fetch:template rendering the full skeleton, and the
 * preflight validator over the result.
 *
 *   yarn workspace @llm-platform/templates-tests bench [runs]
 */
import fs from 'node:fs/promises';
import { SEED_PARAMETERS } from './llmPlatform/parameterSets';
import { renderTemplate } from './renderTemplate';

const FULL = {
  ...SEED_PARAMETERS,
  environments: ['dev', 'staging', 'prod'],
};
const STEPS = ['plan', 'fetch', 'validate'];

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

/** Renders the template `runs` times and summarises each step's duration in ms. */
export async function benchmarkRender(runs: number) {
  const samples: Record<string, number[]> = { total: [] };
  for (let i = -1; i < runs; i++) {
    const rendered = await renderTemplate('llm-platform', FULL, {
      until: 'validate',
    });
    await fs.rm(rendered.workspace, { recursive: true, force: true });
    if (i < 0) continue; // warm-up: module loading and the test backend
    let total = 0;
    for (const id of STEPS) {
      const ms = rendered.steps[id].durationMs;
      (samples[id] ??= []).push(ms);
      total += ms;
    }
    samples.total.push(total);
  }
  return Object.fromEntries(
    Object.entries(samples).map(([id, s]) => [id, summary(s)]),
  );
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 20);
  benchmarkRender(runs).then(
    result => {
      const fmt = (n: number) => `${n.toFixed(1)} ms`;
      const lines = [
        `llm-platform template, ${runs} runs, all services and observability, 3 environments`,
        ...[...STEPS, 'total'].map(
          id =>
            `${id.padEnd(9)} median ${fmt(result[id].median)}, p95 ${fmt(
              result[id].p95,
            )}, max ${fmt(result[id].max)}`,
        ),
        `validate / fetch (medians): ${(
          result.validate.median / result.fetch.median
        ).toFixed(2)}`,
        '',
      ];
      process.stdout.write(lines.join('\n'));
      process.exit(0);
    },
    error => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    },
  );
}

// Benchmark of the GPU fit planner and the preflight validator, and the
// planner's calibration against public vLLM figures.
//
//   node --require @backstage/cli/config/nodeTransform.cjs \
//     scripts/bench/planner-validator.ts [--runs 7]
//
// Prints a markdown report; docs/benchmarks.md ("Planner and validator")
// records one run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  INSTANCE_CATALOG,
  MODEL_CATALOG,
  calibrationReport,
  collectRepositoryFiles,
  directoryReader,
  planGpuFit,
  validateRepository,
  type PlanInput,
  type RepoFile,
} from '../../plugins/llm-platform-common/src';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', '7'));
const FIXTURE = path.resolve(
  __dirname,
  '../../plugins/llm-platform-common/src/validator/__fixtures__/clean',
);

const reader = directoryReader(fs, path);

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median over runs of the mean time of one call, in milliseconds. */
function time(iterations: number, fn: () => unknown): number {
  fn();
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e6 / iterations);
  }
  return median(runs);
}

const fitting: PlanInput = {
  model: 'mistral-7b-instruct-v0.2-awq',
  instanceType: 'g4dn.xlarge',
  maxModelLen: 4096,
  gpuMemoryUtilization: 0.9,
};
const refused: PlanInput = {
  model: 'mistral-7b-instruct-v0.2',
  instanceType: 'g4dn.xlarge',
  quantization: 'none',
  maxModelLen: 2048,
  gpuMemoryUtilization: 0.95,
};
const auto: PlanInput = {
  model: 'llama-3.1-70b-instruct',
  instanceType: 'p4de.24xlarge',
  quantization: 'auto',
  maxModelLen: 8192,
};

const rows: [string, number, number][] = [];
const planBudget = 1;
rows.push([
  'plan that fits (Mistral AWQ on g4dn.xlarge)',
  time(20000, () => planGpuFit(fitting)),
  planBudget,
]);
rows.push([
  'plan with auto quantization (Llama 70B on p4de)',
  time(5000, () => planGpuFit(auto)),
  planBudget,
]);
rows.push([
  'refusal with four suggestions (Mistral fp16 on T4)',
  time(2000, () => planGpuFit(refused)),
  planBudget,
]);
const everyPair = () => {
  for (const m of MODEL_CATALOG) {
    for (const i of INSTANCE_CATALOG) {
      planGpuFit({ model: m.id!, instanceType: i.type, maxModelLen: 4096 });
    }
  }
};
const pairs = MODEL_CATALOG.length * INSTANCE_CATALOG.length;
rows.push([
  `every catalog model on every instance (${pairs} plans)`,
  time(5, everyPair),
  planBudget * pairs,
]);

// A larger repository: the clean fixture copied into ten platform directories.
const clean = collectRepositoryFiles(FIXTURE, reader);
const tenfold: RepoFile[] = Array.from({ length: 10 }, (_, n) =>
  clean.map(f => ({ path: `platform-${n}/${f.path}`, content: f.content })),
).flat();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmp-bench-'));
for (const f of tenfold) {
  fs.mkdirSync(path.dirname(path.join(tmp, f.path)), { recursive: true });
  fs.writeFileSync(path.join(tmp, f.path), f.content);
}
const validatorBudget = 1000;
rows.push([
  `validate the clean repository, read from disk (${clean.length} files)`,
  time(20, () => validateRepository(collectRepositoryFiles(FIXTURE, reader))),
  validatorBudget,
]);
rows.push([
  `validate ten platforms in one repository, read from disk (${tenfold.length} files)`,
  time(5, () => validateRepository(collectRepositoryFiles(tmp, reader))),
  validatorBudget,
]);
fs.rmSync(tmp, { recursive: true, force: true });

const fmt = (ms: number) =>
  ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(1)} ms`;
console.log(
  `Node ${process.version}, ${
    os.cpus().length
  } cores, median of ${RUNS} runs\n`,
);
console.log('| operation | time per call | budget | share of budget |');
console.log('| --- | --- | --- | --- |');
for (const [what, ms, budget] of rows) {
  console.log(
    `| ${what} | ${fmt(ms)} | ${fmt(budget)} | ${((ms / budget) * 100).toFixed(
      2,
    )}% |`,
  );
}

console.log('\n| calibration point | figure | observed | estimated | error |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of calibrationReport()) {
  const digits = r.figure === 'kvCacheTokens' ? 0 : 2;
  console.log(
    `| ${r.point} | ${r.figure} | ${r.observed} | ${r.estimate.toFixed(
      digits,
    )} | ${(r.error * 100).toFixed(1)}% |`,
  );
}

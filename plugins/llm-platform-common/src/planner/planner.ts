import {
  GPU_CATALOG,
  INSTANCE_CATALOG,
  MODEL_CATALOG,
  findGpu,
  findInstance,
  findModel,
} from './catalog';
import { GiB, estimateVllmMemory, vllmSchedulerDefaults } from './memory';
import {
  estimateNodeAllocatable,
  formatMemoryQuantity,
  modelCacheGiB,
  shmSizeMiB,
  vllmContainerResources,
} from './resources';
import {
  PlanInputError,
  type GpuPlan,
  type GpuSpec,
  type InstanceSpec,
  type MemoryEstimate,
  type ModelSpec,
  type PlanInput,
  type PlanResult,
  type PlanSuggestion,
  type Quantization,
  type QuantizationChoice,
} from './types';

const QUANTIZATIONS: QuantizationChoice[] = [
  'auto',
  'none',
  'awq',
  'gptq',
  'fp8',
];
// `auto` tries the least lossy first: 8-bit before 4-bit.
const AUTO_ORDER: Quantization[] = ['none', 'fp8', 'awq', 'gptq'];
const TP_SIZES = [1, 2, 4, 8];
const DEFAULT_UTILIZATION = 0.9;

/** One fully specified configuration to evaluate. */
interface Candidate {
  base: ModelSpec;
  instance: InstanceSpec;
  gpu: GpuSpec;
  quantization: Quantization;
  maxModelLen: number;
  utilization: number;
  tp: number;
  maxNumSeqs?: number;
}

interface Evaluation {
  candidate: Candidate;
  checkpoint: ModelSpec;
  memory: MemoryEstimate;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  fits: boolean;
  /** Set when the configuration is impossible regardless of memory. */
  unsupported?: string;
}

const gb = (n: number) => `${n.toFixed(2)} GiB`;
const count = (n: number) => n.toLocaleString('en-US');

function resolveModel(model: PlanInput['model']): ModelSpec {
  if (typeof model === 'string') {
    const found = findModel(model);
    if (!found) {
      throw new PlanInputError(
        `model "${model}" is not in the catalog; use one of ${MODEL_CATALOG.map(
          m => m.id,
        ).join(
          ', ',
        )}, or give the model's numbers (hfId, numLayers, hiddenSize, numAttentionHeads, numKeyValueHeads, paramsBillion, vocabSize)`,
      );
    }
    return found;
  }
  const positive: (keyof ModelSpec)[] = [
    'numLayers',
    'hiddenSize',
    'numAttentionHeads',
    'numKeyValueHeads',
    'paramsBillion',
    'vocabSize',
  ];
  for (const key of positive) {
    const value = model[key];
    if (typeof value !== 'number' || !(value > 0)) {
      throw new PlanInputError(
        `model.${key} must be a positive number from the model's config.json, got ${JSON.stringify(
          value,
        )}`,
      );
    }
  }
  if (!model.hfId?.trim()) {
    throw new PlanInputError(
      'model.hfId must name the Hugging Face repository',
    );
  }
  if (model.numAttentionHeads % model.numKeyValueHeads !== 0) {
    throw new PlanInputError(
      `model.numAttentionHeads (${model.numAttentionHeads}) must be a multiple of model.numKeyValueHeads (${model.numKeyValueHeads})`,
    );
  }
  return model;
}

function resolveInstance(input: PlanInput, tp: number): InstanceSpec {
  const types = INSTANCE_CATALOG.map(i => i.type).join(', ');
  if (input.instanceType) {
    const instance = findInstance(input.instanceType);
    if (!instance) {
      throw new PlanInputError(
        `instance type "${input.instanceType}" is not in the catalog; use one of ${types}`,
      );
    }
    if (input.gpu && findGpu(input.gpu)?.id !== instance.gpu) {
      throw new PlanInputError(
        `instance type ${instance.type} has ${instance.gpu} GPUs, not "${input.gpu}"; give one of the two`,
      );
    }
    return instance;
  }
  if (input.gpu) {
    const gpu = findGpu(input.gpu);
    if (!gpu) {
      throw new PlanInputError(
        `GPU "${input.gpu}" is not in the catalog; use one of ${GPU_CATALOG.map(
          g => g.id,
        ).join(', ')}`,
      );
    }
    const instances = INSTANCE_CATALOG.filter(i => i.gpu === gpu.id);
    return (
      instances.find(i => i.gpuCount >= tp) ?? instances[instances.length - 1]
    );
  }
  throw new PlanInputError(`give an instance type (one of ${types}) or a GPU`);
}

function checkpointFor(
  base: ModelSpec,
  quantization: Quantization,
): ModelSpec | string {
  if (base.checkpointQuantization) {
    return base.checkpointQuantization === quantization
      ? base
      : `${
          base.hfId
        } is a ${base.checkpointQuantization.toUpperCase()} checkpoint; it can only be served with quantization ${
          base.checkpointQuantization
        }`;
  }
  if (quantization === 'none' || quantization === 'fp8') return base;
  const buildId = base.quantizedBuilds?.[quantization];
  if (buildId) return findModel(buildId)!;
  if (!base.id) {
    // A model given by its numbers: trust that its repository holds this format.
    return { ...base, checkpointQuantization: quantization };
  }
  return `the catalog has no ${quantization.toUpperCase()} build of ${
    base.hfId
  }`;
}

function unsupportedReason(
  gpu: GpuSpec,
  quantization: Quantization,
): string | undefined {
  if (quantization === 'fp8' && gpu.computeCapability < 8.9) {
    return `FP8 needs compute capability 8.9 or higher (L4, L40S, H100, H200); the ${gpu.name} has ${gpu.computeCapability}`;
  }
  if (quantization === 'awq' && gpu.computeCapability < 7.5) {
    return `AWQ needs compute capability 7.5 or higher`;
  }
  return undefined;
}

function evaluate(c: Candidate): Evaluation {
  const defaults = vllmSchedulerDefaults(c.gpu.usableGiB);
  const maxNumSeqs = c.maxNumSeqs ?? defaults.maxNumSeqs;
  const maxNumBatchedTokens = Math.max(
    defaults.maxNumBatchedTokens,
    maxNumSeqs,
  );
  const checkpoint = checkpointFor(c.base, c.quantization);
  const model = typeof checkpoint === 'string' ? c.base : checkpoint;
  const memory = estimateVllmMemory({
    model,
    quantization: c.quantization,
    usableGiB: c.gpu.usableGiB,
    gpuMemoryUtilization: c.utilization,
    tensorParallelSize: c.tp,
    maxModelLen: c.maxModelLen,
    maxNumBatchedTokens,
    maxNumSeqs,
  });
  let unsupported =
    typeof checkpoint === 'string'
      ? checkpoint
      : unsupportedReason(c.gpu, c.quantization);
  if (!unsupported && c.tp > c.instance.gpuCount) {
    unsupported = `tensor-parallel size ${c.tp} needs ${c.tp} GPUs; ${c.instance.type} has ${c.instance.gpuCount}`;
  }
  if (!unsupported && model.numAttentionHeads % c.tp !== 0) {
    unsupported = `tensor-parallel size ${c.tp} does not divide the model's ${model.numAttentionHeads} attention heads`;
  }
  return {
    candidate: c,
    checkpoint: model,
    memory,
    maxNumSeqs,
    maxNumBatchedTokens,
    fits: !unsupported && memory.kvCacheTokens >= c.maxModelLen,
    unsupported,
  };
}

/** With `auto`, the first quantization in AUTO_ORDER that fits, else the most compressed tried. */
function evaluateChoice(
  c: Omit<Candidate, 'quantization'>,
  choice: QuantizationChoice,
): Evaluation {
  if (choice !== 'auto') return evaluate({ ...c, quantization: choice });
  const order = c.base.checkpointQuantization
    ? [c.base.checkpointQuantization]
    : AUTO_ORDER;
  const tried = order
    .map(quantization => evaluate({ ...c, quantization }))
    .filter(e => !e.unsupported);
  return (
    tried.find(e => e.fits) ??
    tried[tried.length - 1] ??
    evaluate({ ...c, quantization: 'none' })
  );
}

function refusal(e: Evaluation): { reason: string; shortfallGiB?: number } {
  const c = e.candidate;
  const what = `${c.base.displayName ?? c.base.hfId} (${c.quantization}) on ${
    c.instance.type
  } (${c.tp} x ${c.gpu.name})`;
  if (e.unsupported) return { reason: `${what}: ${e.unsupported}.` };
  const m = e.memory;
  const neededGiB = (c.maxModelLen * m.kvBytesPerToken) / GiB;
  const shortfallGiB = neededGiB - Math.max(0, m.kvCacheGiB);
  const fixed = m.weightsGiB + m.activationGiB + m.nonTorchGiB;
  if (m.kvCacheGiB <= 0) {
    return {
      shortfallGiB: neededGiB - m.kvCacheGiB,
      reason:
        `${what}: weights ${gb(m.weightsGiB)} plus activation and overhead ${gb(
          m.activationGiB + m.nonTorchGiB,
        )} exceed the ${gb(m.budgetGiB)} vLLM may use (${
          c.gpu.usableGiB
        } GiB x ${c.utilization}) by ${gb(
          fixed - m.budgetGiB,
        )}, leaving nothing for the KV cache; a ${count(
          c.maxModelLen,
        )}-token context needs ${gb(neededGiB)} more. ` +
        `vLLM would fail with "No available memory for the cache blocks".`,
    };
  }
  return {
    shortfallGiB,
    reason:
      `${what}: the KV cache holds ${count(m.kvCacheTokens)} tokens (${gb(
        m.kvCacheGiB,
      )}) but max model len is ${count(c.maxModelLen)}: short by ${count(
        c.maxModelLen - m.kvCacheTokens,
      )} tokens (${gb(shortfallGiB)}). ` +
      `vLLM would fail with "The model's max seq len (${c.maxModelLen}) is larger than the maximum number of tokens that can be stored in KV cache (${m.kvCacheTokens})".`,
  };
}

function suggest(
  requested: Evaluation,
  choice: QuantizationChoice,
): PlanSuggestion[] {
  const c = requested.candidate;
  const suggestions: PlanSuggestion[] = [];
  const fitsIn = (e: Evaluation) =>
    `${count(e.memory.kvCacheTokens)} KV tokens`;

  for (const quantization of ['fp8', 'awq', 'gptq'] as Quantization[]) {
    if (quantization === c.quantization || c.base.checkpointQuantization)
      continue;
    const e = evaluate({ ...c, quantization });
    if (e.fits) {
      suggestions.push({
        kind: 'quantize',
        description: `Quantize to ${quantization.toUpperCase()} (${
          e.checkpoint.hfId
        }): ${fitsIn(e)} at ${count(c.maxModelLen)} context.`,
        change: { quantization },
        kvCacheTokens: e.memory.kvCacheTokens,
      });
      break;
    }
  }

  if (!requested.unsupported && requested.memory.kvCacheTokens > 0) {
    const tokens = requested.memory.kvCacheTokens;
    const step = tokens >= 2048 ? 1024 : 256;
    for (let len = Math.floor(tokens / step) * step; len >= 256; len -= step) {
      const e = evaluate({ ...c, maxModelLen: len });
      if (e.fits) {
        suggestions.push({
          kind: 'shorter-context',
          description: `Shorten max model len to ${count(len)} tokens: ${fitsIn(
            e,
          )}.`,
          change: { maxModelLen: len },
          kvCacheTokens: e.memory.kvCacheTokens,
        });
        break;
      }
    }
  }

  const larger = INSTANCE_CATALOG.map(instance => ({
    instance,
    gpu: findGpu(instance.gpu)!,
  }))
    .filter(
      ({ instance, gpu }) =>
        gpu.usableGiB > c.gpu.usableGiB && instance.gpuCount >= c.tp,
    )
    .sort(
      (a, b) =>
        a.gpu.usableGiB - b.gpu.usableGiB ||
        a.instance.gpuCount - b.instance.gpuCount ||
        a.instance.vcpu - b.instance.vcpu,
    );
  for (const { instance, gpu } of larger) {
    const e = evaluateChoice({ ...c, instance, gpu }, choice);
    if (e.fits) {
      suggestions.push({
        kind: 'larger-gpu',
        description: `Use ${instance.type} (${gpu.name}, ${
          gpu.memoryGB
        } GB): ${fitsIn(e)} with ${e.candidate.quantization}.`,
        change: {
          instanceType: instance.type,
          ...(choice === 'auto'
            ? {}
            : { quantization: e.candidate.quantization }),
        },
        kvCacheTokens: e.memory.kvCacheTokens,
      });
      break;
    }
  }

  const multi = INSTANCE_CATALOG.map(instance => ({
    instance,
    gpu: findGpu(instance.gpu)!,
  }))
    .filter(({ instance }) => instance.gpuCount > 1)
    .sort(
      (a, b) =>
        Number(b.gpu.id === c.gpu.id) - Number(a.gpu.id === c.gpu.id) ||
        a.gpu.usableGiB * a.instance.gpuCount -
          b.gpu.usableGiB * b.instance.gpuCount,
    );
  const tensorParallel = multi
    .flatMap(({ instance, gpu }) =>
      TP_SIZES.filter(t => t > c.tp && t <= instance.gpuCount).map(tp => ({
        instance,
        gpu,
        tp,
      })),
    )
    .map(option => evaluateChoice({ ...c, ...option }, choice))
    .find(e => e.fits);
  if (tensorParallel) {
    const { instance, gpu, tp } = tensorParallel.candidate;
    suggestions.push({
      kind: 'tensor-parallel',
      description: `Use tensor parallelism ${tp} on ${instance.type} (${
        instance.gpuCount
      } x ${gpu.name}): ${fitsIn(tensorParallel)} with ${
        tensorParallel.candidate.quantization
      }.`,
      change: { instanceType: instance.type, tensorParallelSize: tp },
      kvCacheTokens: tensorParallel.memory.kvCacheTokens,
    });
  }
  return suggestions;
}

function buildPlan(e: Evaluation, input: PlanInput): GpuPlan {
  const c = e.candidate;
  // AWQ and GPTQ kernels run in fp16, and Turing (T4) has no bf16.
  const dtype =
    c.gpu.computeCapability < 8 ||
    c.quantization === 'awq' ||
    c.quantization === 'gptq'
      ? 'half'
      : 'bfloat16';
  const resources = vllmContainerResources(c.instance, c.tp);
  const memoryLimitMiB = parseQuantityMiB(resources.limits.memory);
  const args = [
    '--model',
    e.checkpoint.hfId,
    '--dtype',
    dtype,
    ...(c.quantization === 'none' ? [] : ['--quantization', c.quantization]),
    '--max-model-len',
    String(c.maxModelLen),
    '--gpu-memory-utilization',
    c.utilization.toFixed(2),
    ...(c.tp > 1 ? ['--tensor-parallel-size', String(c.tp)] : []),
    ...(input.maxNumSeqs ? ['--max-num-seqs', String(input.maxNumSeqs)] : []),
    '--port',
    '8000',
  ];
  const concurrent = Math.floor(e.memory.kvCacheTokens / c.maxModelLen);
  const warnings: string[] = [];
  if (c.utilization > 0.95) {
    warnings.push(
      `gpu memory utilisation ${c.utilization} leaves under 5% for CUDA graphs and other processes; 0.90 is safer`,
    );
  }
  if (concurrent < 2) {
    warnings.push(
      `only ${concurrent} full-length sequence fits at once; longer requests queue`,
    );
  }
  if (memoryLimitMiB < 8192) {
    warnings.push(
      `the container gets ${resources.limits.memory} of host memory; model loading may be slow`,
    );
  }
  return {
    model: {
      id: e.checkpoint.id,
      hfId: e.checkpoint.hfId,
      displayName: e.checkpoint.displayName ?? e.checkpoint.hfId,
    },
    quantization: c.quantization,
    dtype,
    tensorParallelSize: c.tp,
    maxModelLen: c.maxModelLen,
    gpuMemoryUtilization: c.utilization,
    maxNumSeqs: e.maxNumSeqs,
    maxNumBatchedTokens: e.maxNumBatchedTokens,
    memory: e.memory,
    kvCacheTokens: e.memory.kvCacheTokens,
    maxConcurrentFullSequences: concurrent,
    instanceType: c.instance.type,
    gpu: c.gpu.id,
    gpuCount: c.instance.gpuCount,
    resources,
    nodeAllocatable: estimateNodeAllocatable(c.instance),
    shmSize: formatMemoryQuantity(shmSizeMiB(c.tp, memoryLimitMiB)),
    modelCacheSize: `${modelCacheGiB(e.checkpoint)}Gi`,
    vllmArgs: args,
    warnings,
  };
}

function parseQuantityMiB(quantity: string): number {
  const n = parseFloat(quantity);
  return quantity.endsWith('Gi') ? n * 1024 : n;
}

/**
 * Plans a vLLM deployment of a model on a GPU instance, following vLLM's own
 * memory accounting, or explains why it cannot serve and what would.
 * A pure function: same input, same result, no I/O.
 *
 * @public
 */
export function planGpuFit(input: PlanInput): PlanResult {
  const base = resolveModel(input.model);
  const choice = input.quantization ?? 'auto';
  if (!QUANTIZATIONS.includes(choice)) {
    throw new PlanInputError(
      `quantization "${choice}" is not one of ${QUANTIZATIONS.join(', ')}`,
    );
  }
  const tp = input.tensorParallelSize ?? 1;
  if (!TP_SIZES.includes(tp)) {
    throw new PlanInputError(
      `tensorParallelSize must be one of ${TP_SIZES.join(', ')}, got ${tp}`,
    );
  }
  const utilization = input.gpuMemoryUtilization ?? DEFAULT_UTILIZATION;
  if (!(utilization > 0 && utilization < 1)) {
    throw new PlanInputError(
      `gpuMemoryUtilization must be between 0 and 1 (vLLM's default is 0.9), got ${utilization}`,
    );
  }
  const maxLen = input.maxModelLen;
  const modelMax = base.maxPositionEmbeddings;
  if (
    !Number.isInteger(maxLen) ||
    maxLen < 16 ||
    (modelMax && maxLen > modelMax)
  ) {
    throw new PlanInputError(
      `maxModelLen must be a whole number of tokens from 16 to ${
        modelMax ? count(modelMax) : 'the model maximum'
      } for ${base.hfId}, got ${maxLen}`,
    );
  }
  if (
    input.maxNumSeqs !== undefined &&
    (!Number.isInteger(input.maxNumSeqs) || input.maxNumSeqs < 1)
  ) {
    throw new PlanInputError(
      `maxNumSeqs must be a positive whole number, got ${input.maxNumSeqs}`,
    );
  }
  const instance = resolveInstance(input, tp);
  const gpu = findGpu(instance.gpu)!;
  const evaluation = evaluateChoice(
    {
      base,
      instance,
      gpu,
      maxModelLen: maxLen,
      utilization,
      tp,
      maxNumSeqs: input.maxNumSeqs,
    },
    choice,
  );
  if (evaluation.fits) {
    return { fits: true, plan: buildPlan(evaluation, input) };
  }
  const { reason, shortfallGiB } = refusal(evaluation);
  return {
    fits: false,
    reason,
    shortfallGiB,
    memory: evaluation.unsupported ? undefined : evaluation.memory,
    suggestions: suggest(evaluation, choice),
  };
}

/**
 * The text a person reads for a refusal: the reason with its shortfall, then
 * each configuration that fits. The scaffolder action and the template field
 * both show this.
 *
 * @public
 */
export function formatPlanRefusal(
  result: Extract<PlanResult, { fits: false }>,
): string {
  const lines = [result.reason];
  if (result.suggestions.length) {
    lines.push('Configurations that fit:');
    for (const s of result.suggestions) {
      lines.push(`- ${s.description} Change: ${JSON.stringify(s.change)}`);
    }
  } else {
    lines.push('No configuration in the catalog fits this model.');
  }
  return lines.join('\n');
}

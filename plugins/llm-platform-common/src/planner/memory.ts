import type { MemoryEstimate, ModelSpec, Quantization } from './types';

/** Bytes in a GiB; vLLM logs "GiB" and divides by this. */
export const GiB = 1024 ** 3;

/** vLLM allocates the KV cache in blocks of this many tokens. */
export const KV_BLOCK_TOKENS = 16;

/**
 * Calibration constants of the memory model. Each is fitted on the public
 * figures in `data/calibration.json`; the calibration test reports the error.
 */
export const MEMORY_MODEL = {
  /** Bytes of activation per batched token and unit of layer width (hidden + MLP shard). */
  activationBytesPerTokenWidth: 4,
  /** Sampler logits are float32. */
  logitBytes: 4,
  /** CUDA context, cuBLAS workspaces and other memory torch does not allocate. */
  nonTorchGiB: 0.12,
  /** NCCL buffers added on every rank once tensor parallelism is on. */
  ncclGiB: 0.25,
  /** 4-bit group-128 checkpoints: 4 bits plus a 16-bit scale and a 4-bit zero per 128 weights. */
  int4BytesPerWeight: 0.5 + 2.5 / 128,
} as const;

/**
 * The defaults vLLM (V1 engine, OpenAI server) applies when the flags are not
 * given: larger batches on GPUs with 70 GiB or more.
 *
 * @public
 */
export function vllmSchedulerDefaults(usableGiB: number): {
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
} {
  return usableGiB >= 70
    ? { maxNumBatchedTokens: 8192, maxNumSeqs: 1024 }
    : { maxNumBatchedTokens: 2048, maxNumSeqs: 256 };
}

function intermediateSize(model: ModelSpec): number {
  return model.intermediateSize ?? Math.round(model.hiddenSize * 3.5);
}

/**
 * Head dimension, from the config or hidden size / heads.
 *
 * @public
 */
export function headDim(model: ModelSpec): number {
  return model.headDim ?? model.hiddenSize / model.numAttentionHeads;
}

/**
 * Bytes of weights for the whole model: parameters times bytes per parameter,
 * with embeddings and output head kept at 16 bits by every quantization.
 *
 * @public
 */
export function estimateWeightBytes(
  model: ModelSpec,
  quantization: Quantization,
): number {
  const total = model.paramsBillion * 1e9;
  const embedding =
    model.vocabSize * model.hiddenSize * (model.tiedEmbeddings ? 1 : 2);
  const linear = Math.max(0, total - embedding);
  switch (quantization) {
    case 'none':
      return total * 2;
    case 'fp8':
      return linear + embedding * 2;
    default:
      return linear * MEMORY_MODEL.int4BytesPerWeight + embedding * 2;
  }
}

/**
 * KV-cache bytes one token takes on one GPU:
 * `2 x layers x kv_heads_per_rank x head_dim x bytes`.
 *
 * @public
 */
export function kvBytesPerToken(
  model: ModelSpec,
  tensorParallelSize: number,
  kvDtypeBytes = 2,
): number {
  const kvHeadsPerRank = Math.max(
    1,
    Math.floor(model.numKeyValueHeads / tensorParallelSize),
  );
  return 2 * model.numLayers * kvHeadsPerRank * headDim(model) * kvDtypeBytes;
}

/**
 * Input of {@link estimateVllmMemory}.
 *
 * @public
 */
export interface MemoryModelInput {
  model: ModelSpec;
  quantization: Quantization;
  /** Total GPU memory CUDA reports, GiB. */
  usableGiB: number;
  gpuMemoryUtilization: number;
  tensorParallelSize: number;
  maxModelLen: number;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
}

/**
 * vLLM's own accounting for one GPU: it claims total x utilisation, loads the
 * weights, profiles a forward pass of `max_num_batched_tokens`, and gives what
 * is left after the activation peak and non-torch memory to the KV cache.
 *
 * @public
 */
export function estimateVllmMemory(input: MemoryModelInput): MemoryEstimate {
  const { model, tensorParallelSize: tp } = input;
  const budget = input.usableGiB * input.gpuMemoryUtilization * GiB;
  const weights = estimateWeightBytes(model, input.quantization) / tp;
  // The profile run's peak: the widest per-token tensors of a layer for every
  // batched token, the sampler's float32 logits for every sequence, and the
  // block tables, which grow with context.
  const activation =
    input.maxNumBatchedTokens *
      (model.hiddenSize + intermediateSize(model) / tp) *
      MEMORY_MODEL.activationBytesPerTokenWidth +
    (input.maxNumSeqs * model.vocabSize * MEMORY_MODEL.logitBytes) / tp +
    input.maxNumSeqs * Math.ceil(input.maxModelLen / KV_BLOCK_TOKENS) * 4;
  const nonTorch =
    (MEMORY_MODEL.nonTorchGiB + (tp > 1 ? MEMORY_MODEL.ncclGiB : 0)) * GiB;
  const kv = budget - weights - activation - nonTorch;
  const perToken = kvBytesPerToken(model, tp);
  const blocks = kv > 0 ? Math.floor(kv / (perToken * KV_BLOCK_TOKENS)) : 0;
  return {
    budgetGiB: budget / GiB,
    weightsGiB: weights / GiB,
    activationGiB: activation / GiB,
    nonTorchGiB: nonTorch / GiB,
    kvCacheGiB: kv / GiB,
    kvBytesPerToken: perToken,
    kvCacheTokens: blocks * KV_BLOCK_TOKENS,
  };
}

/**
 * Quantization the planner may choose or be asked for. `auto` lets the
 * planner pick the least lossy one that fits.
 *
 * @public
 */
export type QuantizationChoice = 'auto' | 'none' | 'awq' | 'gptq' | 'fp8';

/**
 * A concrete quantization (everything but `auto`).
 *
 * @public
 */
export type Quantization = Exclude<QuantizationChoice, 'auto'>;

/**
 * The architecture numbers the memory model needs, as found in a model's
 * Hugging Face `config.json`.
 *
 * @public
 */
export interface ModelSpec {
  /** Catalog id; absent for a model given by its numbers. */
  id?: string;
  displayName?: string;
  /** Hugging Face repository id, passed to vLLM as `--model`. */
  hfId: string;
  numLayers: number;
  hiddenSize: number;
  /** MLP width; defaults to 3.5 x hidden size when unknown. */
  intermediateSize?: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  /** Defaults to hidden size / attention heads. */
  headDim?: number;
  paramsBillion: number;
  vocabSize: number;
  /** The longest context the model supports. */
  maxPositionEmbeddings?: number;
  /** True when the output head shares the embedding matrix. */
  tiedEmbeddings?: boolean;
  /** Set when the checkpoint itself is already quantized. */
  checkpointQuantization?: Quantization;
  /** Catalog ids of pre-quantized builds of this model. */
  quantizedBuilds?: Partial<Record<Quantization, string>>;
  baseModel?: string;
  source?: string;
}

/**
 * A GPU as vLLM sees it.
 *
 * @public
 */
export interface GpuSpec {
  id: string;
  name: string;
  memoryGB: number;
  /** What CUDA reports as total memory, in GiB. */
  usableGiB: number;
  computeCapability: number;
  interconnect: 'pcie' | 'nvlink';
}

/**
 * An EC2 instance type with GPUs.
 *
 * @public
 */
export interface InstanceSpec {
  type: string;
  gpu: string;
  gpuCount: number;
  vcpu: number;
  memoryGiB: number;
  maxPods: number;
}

/**
 * Input of {@link planGpuFit}.
 *
 * @public
 */
export interface PlanInput {
  /** A catalog id, a catalog model's Hugging Face id, or the model's numbers. */
  model: string | ModelSpec;
  /** An EC2 instance type from the catalog. Either this or `gpu`. */
  instanceType?: string;
  /** A GPU id from the catalog; the smallest instance that holds the TP size is used. */
  gpu?: string;
  /** Defaults to `auto`. */
  quantization?: QuantizationChoice;
  maxModelLen: number;
  /** Share of GPU memory vLLM may claim; defaults to 0.90 like vLLM. */
  gpuMemoryUtilization?: number;
  /** Defaults to 1. */
  tensorParallelSize?: number;
  /** vLLM `--max-num-seqs`; defaults to vLLM's own default for the GPU. */
  maxNumSeqs?: number;
}

/**
 * vLLM's memory budget for one GPU, in GiB.
 *
 * @public
 */
export interface MemoryEstimate {
  /** total x utilisation */
  budgetGiB: number;
  weightsGiB: number;
  activationGiB: number;
  nonTorchGiB: number;
  /** What is left for the KV cache (negative when nothing is). */
  kvCacheGiB: number;
  kvBytesPerToken: number;
  /** Whole 16-token blocks, in tokens. */
  kvCacheTokens: number;
}

/**
 * Kubernetes resources for the vLLM container, as quantities.
 *
 * @public
 */
export interface ContainerResources {
  requests: { cpu: string; memory: string; 'nvidia.com/gpu': string };
  limits: { cpu: string; memory: string; 'nvidia.com/gpu': string };
}

/**
 * A configuration that does fit, offered when the requested one does not.
 *
 * @public
 */
export interface PlanSuggestion {
  kind: 'quantize' | 'shorter-context' | 'larger-gpu' | 'tensor-parallel';
  /** One sentence a person can act on. */
  description: string;
  /** The inputs to change, ready to merge into the request. */
  change: {
    quantization?: Quantization;
    maxModelLen?: number;
    instanceType?: string;
    tensorParallelSize?: number;
  };
  kvCacheTokens: number;
}

/**
 * A configuration that fits, with everything the deployment needs.
 *
 * @public
 */
export interface GpuPlan {
  model: { id?: string; hfId: string; displayName: string };
  quantization: Quantization;
  dtype: 'half' | 'bfloat16';
  tensorParallelSize: number;
  maxModelLen: number;
  gpuMemoryUtilization: number;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  memory: MemoryEstimate;
  /** KV-cache tokens across the whole tensor-parallel group. */
  kvCacheTokens: number;
  /** Full-length sequences that fit in the KV cache at once. */
  maxConcurrentFullSequences: number;
  instanceType: string;
  gpu: string;
  gpuCount: number;
  resources: ContainerResources;
  nodeAllocatable: { cpuMillis: number; memoryMiB: number };
  shmSize: string;
  modelCacheSize: string;
  vllmArgs: string[];
  warnings: string[];
}

/**
 * The planner's verdict.
 *
 * @public
 */
export type PlanResult =
  | { fits: true; plan: GpuPlan }
  | {
      fits: false;
      /** Why it does not fit, with the shortfall. */
      reason: string;
      /** GiB of KV cache missing, when memory is the reason. */
      shortfallGiB?: number;
      /** The estimate for the requested configuration, when one was made. */
      memory?: MemoryEstimate;
      suggestions: PlanSuggestion[];
    };

/**
 * Thrown for input the planner cannot interpret at all (unknown model or
 * instance, nonsensical numbers). Not thrown for configurations that merely
 * do not fit: those are a {@link PlanResult} with `fits: false`.
 *
 * @public
 */
export class PlanInputError extends Error {
  readonly name = 'PlanInputError';
}

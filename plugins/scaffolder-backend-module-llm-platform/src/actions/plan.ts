import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GPU_CATALOG,
  INSTANCE_CATALOG,
  MODEL_CATALOG,
  PlanInputError,
  formatPlanRefusal,
  planGpuFit,
  type PlanInput,
  type PlanResult,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { examples } from './plan.examples';

/**
 * `llm-platform:plan`: the GPU fit planner. Fails with an InputError when the
 * model cannot serve on the chosen GPU, saying by how much and what would fit.
 *
 * @public
 */
export function createPlanAction() {
  return createTemplateAction({
    id: 'llm-platform:plan',
    description:
      'Plans a vLLM deployment: checks that the model fits the GPU the way vLLM accounts memory, and outputs quantization, dtype, tensor parallelism, KV-cache capacity, container resources inside the node allocatable, volume sizes and the vLLM arguments. Refuses configurations that cannot serve, with the shortfall and configurations that fit.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        model: z =>
          z
            .string()
            .optional()
            .describe(
              `Catalog model id or its Hugging Face id: ${MODEL_CATALOG.map(
                m => m.id,
              ).join(
                ', ',
              )}. Leave empty and give customModel for another model.`,
            ),
        customModel: z =>
          z
            .object({
              hfId: z.string().describe('Hugging Face repository id'),
              numLayers: z
                .number()
                .int()
                .positive()
                .describe('num_hidden_layers'),
              hiddenSize: z.number().int().positive().describe('hidden_size'),
              intermediateSize: z
                .number()
                .int()
                .positive()
                .optional()
                .describe('intermediate_size (MLP width)'),
              numAttentionHeads: z
                .number()
                .int()
                .positive()
                .describe('num_attention_heads'),
              numKeyValueHeads: z
                .number()
                .int()
                .positive()
                .describe('num_key_value_heads'),
              headDim: z
                .number()
                .int()
                .positive()
                .optional()
                .describe(
                  'head_dim; defaults to hidden_size / num_attention_heads',
                ),
              paramsBillion: z
                .number()
                .positive()
                .describe('parameter count in billions'),
              vocabSize: z.number().int().positive().describe('vocab_size'),
              maxPositionEmbeddings: z
                .number()
                .int()
                .positive()
                .optional()
                .describe('max_position_embeddings'),
            })
            .optional()
            .describe(
              'A model outside the catalog, by its config.json numbers',
            ),
        instanceType: z =>
          z
            .string()
            .optional()
            .describe(
              `EC2 instance type of the GPU node group: ${INSTANCE_CATALOG.map(
                i => i.type,
              ).join(', ')}`,
            ),
        gpu: z =>
          z
            .string()
            .optional()
            .describe(
              `GPU instead of an instance type (${GPU_CATALOG.map(
                g => g.id,
              ).join(
                ', ',
              )}); the smallest instance holding the tensor-parallel size is chosen`,
            ),
        quantization: z =>
          z
            .enum(['auto', 'none', 'awq', 'gptq', 'fp8'])
            .default('auto')
            .describe(
              'auto picks full precision when it fits, then FP8, then 4-bit AWQ or GPTQ',
            ),
        maxModelLen: z =>
          z
            .number()
            .int()
            .min(16)
            .describe(
              'Longest request, prompt plus output, in tokens (vLLM --max-model-len)',
            ),
        gpuMemoryUtilization: z =>
          z
            .number()
            .gt(0)
            .lt(1)
            .optional()
            .describe('Share of GPU memory vLLM may claim; default 0.90'),
        tensorParallelSize: z =>
          z
            .number()
            .int()
            .optional()
            .describe('GPUs one model server spans: 1, 2, 4 or 8; default 1'),
        maxNumSeqs: z =>
          z
            .number()
            .int()
            .positive()
            .optional()
            .describe(
              "Concurrent sequences (vLLM --max-num-seqs); default vLLM's",
            ),
      },
      output: {
        modelId: z => z.string().describe('Hugging Face id vLLM loads'),
        quantization: z =>
          z
            .enum(['none', 'awq', 'gptq', 'fp8'])
            .describe('Chosen quantization'),
        dtype: z => z.enum(['half', 'bfloat16']).describe('vLLM --dtype'),
        tensorParallelSize: z =>
          z.number().describe('vLLM --tensor-parallel-size'),
        maxModelLen: z => z.number().describe('vLLM --max-model-len'),
        gpuMemoryUtilization: z =>
          z.number().describe('vLLM --gpu-memory-utilization'),
        weightsGiB: z => z.number().describe('Estimated weights per GPU, GiB'),
        activationGiB: z =>
          z.number().describe('Estimated profiling activation peak, GiB'),
        overheadGiB: z =>
          z.number().describe('Estimated non-torch memory (CUDA, NCCL), GiB'),
        kvCacheGiB: z => z.number().describe('Estimated KV cache per GPU, GiB'),
        kvCacheTokens: z => z.number().describe('KV-cache capacity in tokens'),
        maxConcurrentSequences: z =>
          z.number().describe('Full-length sequences that fit at once'),
        instanceType: z => z.string().describe('EC2 instance type'),
        gpuCount: z => z.number().describe('GPUs on the instance'),
        resources: z =>
          z
            .object({
              requests: z.record(z.string()),
              limits: z.record(z.string()),
            })
            .describe('vLLM container requests and limits'),
        shmSize: z => z.string().describe('/dev/shm emptyDir size limit'),
        modelCacheSize: z => z.string().describe('Model-cache PVC size'),
        vllmArgs: z => z.array(z.string()).describe('vLLM server arguments'),
        warnings: z =>
          z.array(z.string()).describe('Things worth a second look'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      if (!input.model === !input.customModel) {
        throw new InputError(
          'Give exactly one of model (a catalog id) or customModel (the numbers of another model)',
        );
      }
      const request: PlanInput = {
        model: input.customModel ?? input.model!,
        instanceType: input.instanceType,
        gpu: input.gpu,
        quantization: input.quantization ?? 'auto',
        maxModelLen: input.maxModelLen,
        gpuMemoryUtilization: input.gpuMemoryUtilization,
        tensorParallelSize: input.tensorParallelSize,
        maxNumSeqs: input.maxNumSeqs,
      };
      let result: PlanResult;
      try {
        result = planGpuFit(request);
      } catch (error) {
        if (error instanceof PlanInputError) {
          throw new InputError(error.message);
        }
        throw error;
      }
      if (!result.fits) {
        throw new InputError(formatPlanRefusal(result));
      }
      const { plan } = result;
      ctx.logger.info(
        `Planned ${plan.model.hfId} on ${plan.instanceType}: ${plan.quantization}, ${plan.kvCacheTokens} KV tokens`,
      );
      for (const warning of plan.warnings) ctx.logger.warn(warning);
      const round = (n: number) => Math.round(n * 100) / 100;
      ctx.output('modelId', plan.model.hfId);
      ctx.output('quantization', plan.quantization);
      ctx.output('dtype', plan.dtype);
      ctx.output('tensorParallelSize', plan.tensorParallelSize);
      ctx.output('maxModelLen', plan.maxModelLen);
      ctx.output('gpuMemoryUtilization', plan.gpuMemoryUtilization);
      ctx.output('weightsGiB', round(plan.memory.weightsGiB));
      ctx.output('activationGiB', round(plan.memory.activationGiB));
      ctx.output('overheadGiB', round(plan.memory.nonTorchGiB));
      ctx.output('kvCacheGiB', round(plan.memory.kvCacheGiB));
      ctx.output('kvCacheTokens', plan.kvCacheTokens);
      ctx.output('maxConcurrentSequences', plan.maxConcurrentFullSequences);
      ctx.output('instanceType', plan.instanceType);
      ctx.output('gpuCount', plan.gpuCount);
      ctx.output('resources', plan.resources);
      ctx.output('shmSize', plan.shmSize);
      ctx.output('modelCacheSize', plan.modelCacheSize);
      ctx.output('vllmArgs', plan.vllmArgs);
      ctx.output('warnings', plan.warnings);
    },
  });
}

import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The value the GPU fit field writes: the verdict and, when it fits, the
 * numbers a reviewer wants to see. The template's plan step recomputes them.
 */
export const GpuFitFieldSchema = makeFieldSchema({
  output: z =>
    z.object({
      fits: z.boolean().describe('Whether the planner accepted the form'),
      quantization: z
        .string()
        .optional()
        .describe('Quantization the planner chose'),
      kvCacheTokens: z
        .number()
        .optional()
        .describe('KV-cache capacity in tokens'),
      maxConcurrentSequences: z
        .number()
        .optional()
        .describe('Full-length sequences that fit at once'),
    }),
});

/** The name templates give as `ui:field`. */
export const GPU_FIT_FIELD_NAME = 'LlmPlatformGpuFit';

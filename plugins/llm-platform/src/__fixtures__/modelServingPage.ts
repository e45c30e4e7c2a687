import type { TemplateParameterSchema } from '@backstage/plugin-scaffolder-react';
import { GPU_FIT_FIELD_NAME } from '../components/GpuFitField/schema';

/** A "Model serving" page shaped like templates/llm-platform's. */
export const modelServingManifest: TemplateParameterSchema = {
  title: 'LLM platform',
  steps: [
    {
      title: 'Model serving',
      schema: {
        type: 'object',
        required: ['model', 'instanceType', 'quantization', 'maxModelLen'],
        properties: {
          model: {
            title: 'Model',
            type: 'string',
            enum: [
              'mistral-7b-instruct-v0.2',
              'mistral-7b-instruct-v0.2-awq',
              'llama-3.1-70b-instruct',
            ],
          },
          instanceType: {
            title: 'GPU instance type',
            type: 'string',
            enum: ['g4dn.xlarge', 'g5.xlarge', 'g6e.xlarge', 'g5.12xlarge'],
          },
          quantization: {
            title: 'Quantization',
            type: 'string',
            enum: ['auto', 'none', 'awq', 'gptq', 'fp8'],
          },
          tensorParallelSize: {
            title: 'GPUs per model server',
            type: 'integer',
            enum: [1, 2, 4, 8],
          },
          maxModelLen: { title: 'Max context length', type: 'integer' },
          fitCheck: {
            title: 'GPU fit',
            description:
              "The fit planner's verdict on the model, instance type, quantization, GPUs and context above.",
            type: 'object',
            'ui:field': GPU_FIT_FIELD_NAME,
          },
        },
      },
    },
  ],
};

/** Mistral-7B AWQ on a T4 at 4,096 tokens: fits (the deployment-fixes record). */
export const AWQ_ON_T4 = {
  model: 'mistral-7b-instruct-v0.2-awq',
  instanceType: 'g4dn.xlarge',
  quantization: 'auto',
  maxModelLen: 4096,
  tensorParallelSize: 1,
};

/** Mistral-7B in fp16 on a T4: refused, as in the deployment-fixes record. */
export const FP16_ON_T4 = {
  ...AWQ_ON_T4,
  model: 'mistral-7b-instruct-v0.2',
  quantization: 'none',
};

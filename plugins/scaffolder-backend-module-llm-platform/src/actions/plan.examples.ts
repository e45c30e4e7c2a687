import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Plan the AWQ build of Mistral-7B on a g4dn.xlarge (T4) at 4096 tokens, the configuration the deployment-fixes record settled on',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'llm-platform:plan',
          name: 'Plan GPU fit',
          input: {
            model: 'mistral-7b-instruct-v0.2-awq',
            instanceType: 'g4dn.xlarge',
            maxModelLen: 4096,
            gpuMemoryUtilization: 0.9,
          },
        },
      ],
    }),
  },
  {
    description:
      'Let the planner choose the quantization for Llama-3.1-8B on an L4 GPU with a 64k context',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'llm-platform:plan',
          name: 'Plan GPU fit',
          input: {
            model: 'llama-3.1-8b-instruct',
            gpu: 'l4',
            quantization: 'auto',
            maxModelLen: 65536,
          },
        },
      ],
    }),
  },
  {
    description:
      'Serve Llama-3.1-70B across four H100s with tensor parallelism, limiting concurrent sequences',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'llm-platform:plan',
          name: 'Plan GPU fit',
          input: {
            model: 'llama-3.1-70b-instruct',
            instanceType: 'p5.48xlarge',
            quantization: 'none',
            tensorParallelSize: 4,
            maxModelLen: 32768,
            maxNumSeqs: 128,
          },
        },
      ],
    }),
  },
  {
    description:
      'Plan a model outside the catalog from the numbers in its config.json',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'llm-platform:plan',
          name: 'Plan GPU fit',
          input: {
            customModel: {
              hfId: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
              numLayers: 22,
              hiddenSize: 2048,
              intermediateSize: 5632,
              numAttentionHeads: 32,
              numKeyValueHeads: 4,
              paramsBillion: 1.1,
              vocabSize: 32000,
              maxPositionEmbeddings: 2048,
            },
            instanceType: 'g4dn.xlarge',
            quantization: 'none',
            maxModelLen: 2048,
          },
        },
      ],
    }),
  },
];

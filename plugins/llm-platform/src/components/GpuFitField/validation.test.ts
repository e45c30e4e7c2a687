import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import {
  formatPlanRefusal,
  planGpuFit,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { gpuFitValidation } from './validation';

async function errorsFor(formData: Record<string, any>) {
  const validation = createFieldValidation();
  await gpuFitValidation({ fits: false }, validation, {
    apiHolder: { get: () => undefined },
    formData,
    schema: {},
  });
  return validation.__errors ?? [];
}

const SEED = {
  model: 'mistral-7b-instruct-v0.2',
  instanceType: 'g4dn.xlarge',
  quantization: 'none',
  maxModelLen: 4096,
  tensorParallelSize: 1,
};

describe('gpuFitValidation', () => {
  it('refuses what llm-platform:plan refuses, with the planner reason', async () => {
    const result = planGpuFit(SEED as any);
    if (result.fits) throw new Error('the seed configuration should not fit');
    const [message] = await errorsFor(SEED);
    expect(message).toBe(result.reason);
    expect(formatPlanRefusal(result).startsWith(message)).toBe(true);
  });

  it('accepts what the planner accepts, judging the form and not the stored value', async () => {
    expect(await errorsFor({ ...SEED, quantization: 'awq' })).toEqual([]);
  });

  it('reports input the planner cannot read and input that is missing', async () => {
    expect(await errorsFor({ ...SEED, instanceType: 'g9.huge' })).toEqual([
      expect.stringContaining('instance type "g9.huge" is not in the catalog'),
    ]);
    expect(
      await errorsFor({
        model: 'custom',
        customModel: { hfId: 'acme/model', numLayers: 32 },
        instanceType: 'g5.xlarge',
      }),
    ).toEqual([
      "The GPU fit cannot be checked without the custom model's hiddenSize, numAttentionHeads, numKeyValueHeads, paramsBillion, vocabSize, a max context length.",
    ]);
  });
});

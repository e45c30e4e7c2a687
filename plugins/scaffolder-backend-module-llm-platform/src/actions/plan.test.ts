import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createPlanAction } from './plan';
import { examples } from './plan.examples';

function run(input: Record<string, unknown>) {
  const action = createPlanAction();
  const ctx = createMockActionContext({ input: input as any });
  return { ctx, done: action.handler(ctx as any) };
}

describe('llm-platform:plan', () => {
  it('declares its schemas, examples and dry-run support', () => {
    const action = createPlanAction();
    expect(action.id).toBe('llm-platform:plan');
    expect(action.supportsDryRun).toBe(true);
    const input = action.schema?.input as any;
    expect(Object.keys(input.properties)).toEqual(
      expect.arrayContaining([
        'model',
        'instanceType',
        'quantization',
        'maxModelLen',
      ]),
    );
    expect(input.properties.maxModelLen.description).toMatch(/max-model-len/);
    expect(input.required).toEqual(['maxModelLen']);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe('llm-platform:plan');
      const { ctx, done } = run(step.input);
      await done;
      const outputs = Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
      );
      expect(outputs.kvCacheTokens).toBeGreaterThanOrEqual(
        step.input.maxModelLen,
      );
      expect(outputs.maxModelLen).toBe(step.input.maxModelLen);
      expect(outputs.vllmArgs).toEqual(
        expect.arrayContaining(['--model', outputs.modelId]),
      );
      expect(outputs.resources.requests['nvidia.com/gpu']).toBe(
        String(outputs.tensorParallelSize),
      );
    },
  );

  it('outputs the plan the deployment-fixes record settled on', async () => {
    const { ctx, done } = run({
      model: 'mistral-7b-instruct-v0.2-awq',
      instanceType: 'g4dn.xlarge',
      maxModelLen: 4096,
      gpuMemoryUtilization: 0.9,
    });
    await done;
    expect(ctx.output).toHaveBeenCalledWith('quantization', 'awq');
    expect(ctx.output).toHaveBeenCalledWith('dtype', 'half');
    expect(ctx.output).toHaveBeenCalledWith('instanceType', 'g4dn.xlarge');
    expect(ctx.output).toHaveBeenCalledWith('gpuCount', 1);
    expect(ctx.output).toHaveBeenCalledWith(
      'modelId',
      'TheBloke/Mistral-7B-Instruct-v0.2-AWQ',
    );
  });

  it('refuses Mistral-7B fp16 on a T4 with an InputError giving the shortfall and fixes', async () => {
    const { ctx, done } = run({
      model: 'mistral-7b-instruct-v0.2',
      instanceType: 'g4dn.xlarge',
      quantization: 'none',
      maxModelLen: 2048,
      gpuMemoryUtilization: 0.95,
    });
    await expect(done).rejects.toThrow(InputError);
    await expect(done).rejects.toThrow(
      /short by [\d,]+ tokens \(0\.\d\d GiB\)/,
    );
    await expect(done).rejects.toThrow(/Quantize to AWQ/);
    await expect(done).rejects.toThrow(/"tensorParallelSize":2/);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it.each([
    [{ instanceType: 'g5.xlarge', maxModelLen: 4096 }, /exactly one of model/],
    [
      {
        model: 'x',
        customModel: { hfId: 'y' },
        instanceType: 'g5.xlarge',
        maxModelLen: 4096,
      },
      /exactly one of model/,
    ],
    [
      { model: 'gpt-5', instanceType: 'g5.xlarge', maxModelLen: 4096 },
      /not in the catalog/,
    ],
    [
      {
        model: 'mistral-7b-instruct-v0.2',
        instanceType: 'x1.large',
        maxModelLen: 4096,
      },
      /instance type "x1.large"/,
    ],
  ])('rejects bad input %j as an InputError', async (input, message) => {
    const { done } = run(input);
    await expect(done).rejects.toThrow(InputError);
    await expect(done).rejects.toThrow(message);
  });
});

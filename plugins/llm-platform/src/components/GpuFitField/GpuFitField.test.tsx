import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import {
  planGpuFit,
  type PlanInput,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  AWQ_ON_T4,
  FP16_ON_T4,
  modelServingManifest as manifest,
} from '../../__fixtures__/modelServingPage';
import { GpuFitField } from './GpuFitField';
import { GPU_FIT_FIELD_NAME } from './schema';
import { gpuFitValidation } from './validation';

// The form jsdom renders is the scaffolder's whole Stepper; slow under load.
jest.setTimeout(30_000);

const tokens = (n: number) => n.toLocaleString('en-US');

function plan(values: typeof AWQ_ON_T4) {
  return planGpuFit(values as PlanInput);
}

function acceptedPlan(values: typeof AWQ_ON_T4) {
  const result = plan(values);
  if (!result.fits) throw new Error(`expected ${values.model} to fit`);
  return result.plan;
}

function refusal(values: typeof AWQ_ON_T4) {
  const result = plan(values);
  if (result.fits) throw new Error(`expected ${values.model} not to fit`);
  return result;
}

async function renderField(values: Record<string, unknown>, formData?: {}) {
  const onChange = jest.fn();
  const props = {
    name: 'fitCheck',
    schema: {
      title: 'GPU fit',
      description: 'What the planner says about this page',
    },
    uiSchema: {},
    idSchema: { $id: 'root_fitCheck' },
    formData,
    onChange,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    disabled: false,
    readonly: false,
    rawErrors: [],
    registry: { formContext: { formData: values } },
  } as any;
  await renderInTestApp(<GpuFitField {...props} />);
  return { onChange };
}

describe('GpuFitField', () => {
  it('shows the verdict, the KV-cache capacity and the memory of a configuration that fits', async () => {
    const expected = acceptedPlan(AWQ_ON_T4);
    const { onChange } = await renderField(AWQ_ON_T4);

    const verdict = await screen.findByRole('status');
    expect(verdict).toHaveTextContent('Fits');
    expect(verdict).toHaveTextContent(
      'Mistral-7B-Instruct-v0.2 AWQ (4-bit) on g4dn.xlarge (1 x NVIDIA T4), AWQ, dtype half',
    );
    expect(
      screen.getByText(
        `KV cache: ${tokens(expected.kvCacheTokens)} tokens, room for ${
          expected.maxConcurrentFullSequences
        } full-length sequences of 4,096 tokens at once.`,
      ),
    ).toBeInTheDocument();
    const memory = screen.getByRole('list', { name: 'GPU memory' });
    expect(
      within(memory).getByRole('listitem', { name: 'Weights' }),
    ).toHaveTextContent(`${expected.memory.weightsGiB.toFixed(2)} GiB`);
    expect(
      within(memory).getByRole('listitem', { name: 'KV cache' }),
    ).toHaveTextContent(`${expected.memory.kvCacheGiB.toFixed(2)} GiB`);
    expect(onChange).toHaveBeenCalledWith({
      fits: true,
      quantization: 'awq',
      kvCacheTokens: expected.kvCacheTokens,
      maxConcurrentSequences: expected.maxConcurrentFullSequences,
    });
  });

  it('refuses fp16 Mistral-7B on a T4 with the reason and the configurations that fit', async () => {
    const expected = refusal(FP16_ON_T4);
    const { onChange } = await renderField(FP16_ON_T4);

    const verdict = await screen.findByRole('status');
    expect(verdict).toHaveTextContent('Does not fit');
    expect(verdict).toHaveTextContent(expected.reason);
    const suggestions = screen.getByRole('list', {
      name: 'Configurations that fit',
    });
    expect(
      within(suggestions)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(expected.suggestions.map(s => s.description));
    expect(expected.suggestions.map(s => s.kind)).toContain('quantize');
    expect(onChange).toHaveBeenCalledWith({ fits: false });
  });

  it('does not write its value again when it already holds the verdict', async () => {
    const expected = acceptedPlan(AWQ_ON_T4);
    const { onChange } = await renderField(AWQ_ON_T4, {
      fits: true,
      quantization: 'awq',
      kvCacheTokens: expected.kvCacheTokens,
      maxConcurrentSequences: expected.maxConcurrentFullSequences,
    });
    expect(await screen.findByRole('status')).toHaveTextContent('Fits');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('asks for what is missing before it plans', async () => {
    await renderField({ model: 'qwen2.5-0.5b-instruct' });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Choose an instance type, a max context length to check the fit.',
    );
  });

  it('plans a custom Hugging Face model from its numbers', async () => {
    const customModel = {
      hfId: 'Qwen/Qwen2.5-7B-Instruct',
      numLayers: 28,
      hiddenSize: 3584,
      numAttentionHeads: 28,
      numKeyValueHeads: 4,
      paramsBillion: 7.62,
      vocabSize: 152064,
    };
    const values = {
      model: 'custom',
      customModel,
      instanceType: 'g6e.xlarge',
      quantization: 'none',
      maxModelLen: 8192,
    };
    const expected = acceptedPlan({ ...values, model: customModel } as any);
    await renderField(values);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Qwen/Qwen2.5-7B-Instruct on g6e.xlarge',
    );
    expect(
      screen.getByText(
        new RegExp(`KV cache: ${tokens(expected.kvCacheTokens)} tokens`),
      ),
    ).toBeInTheDocument();
  });

  it('explains numbers the planner cannot read', async () => {
    await renderField({
      model: 'custom',
      customModel: {
        hfId: 'acme/odd-model',
        numLayers: 32,
        hiddenSize: 4096,
        numAttentionHeads: 32,
        numKeyValueHeads: 5,
        paramsBillion: 7,
        vocabSize: 32000,
      },
      instanceType: 'g5.xlarge',
      maxModelLen: 4096,
    });
    const verdict = await screen.findByRole('status');
    expect(verdict).toHaveTextContent('Cannot be planned');
    expect(verdict).toHaveTextContent(
      'model.numAttentionHeads (32) must be a multiple of model.numKeyValueHeads (5)',
    );
  });
});

const extensions = [
  {
    name: GPU_FIT_FIELD_NAME,
    component: GpuFitField,
    validation: gpuFitValidation,
  },
];

describe('GpuFitField in the scaffolder form', () => {
  // The Stepper scrolls to the top of each page; jsdom has no scrolling.
  beforeEach(() => {
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });

  it('follows the sibling fields as the person edits them', async () => {
    const user = userEvent.setup();
    await renderInTestApp(
      <Stepper
        manifest={manifest}
        extensions={extensions}
        onCreate={jest.fn()}
        initialState={FP16_ON_T4}
      />,
    );
    expect(await screen.findByRole('status')).toHaveTextContent('Does not fit');

    await user.click(screen.getByRole('button', { name: /Quantization/ }));
    await user.click(await screen.findByRole('option', { name: 'awq' }));
    const expected = acceptedPlan({ ...FP16_ON_T4, quantization: 'awq' });
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Fits'),
    );
    expect(
      screen.getByText(
        new RegExp(`KV cache: ${tokens(expected.kvCacheTokens)} tokens`),
      ),
    ).toBeInTheDocument();

    const context = screen.getByRole('spinbutton', {
      name: /Max context length/,
    });
    await user.clear(context);
    await user.type(context, '16384');
    const longer = acceptedPlan({
      ...FP16_ON_T4,
      quantization: 'awq',
      maxModelLen: 16384,
    });
    expect(
      await screen.findByText(
        new RegExp(
          `room for ${longer.maxConcurrentFullSequences} full-length sequences of 16,384 tokens`,
        ),
      ),
    ).toBeInTheDocument();
  });

  it('keeps the form from moving on with a refused plan, with the planner reason', async () => {
    const user = userEvent.setup();
    const expected = refusal(FP16_ON_T4);
    await renderInTestApp(
      <Stepper
        manifest={manifest}
        extensions={extensions}
        onCreate={jest.fn()}
        initialState={FP16_ON_T4}
      />,
    );
    await user.click(await screen.findByRole('button', { name: 'Review' }));
    expect(
      (await screen.findAllByText(expected.reason, { exact: false })).length,
    ).toBeGreaterThan(1);
    expect(screen.getByRole('button', { name: 'Review' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
  });

  it('lets a configuration that fits through to the review', async () => {
    const user = userEvent.setup();
    const onCreate = jest.fn();
    const expected = acceptedPlan(AWQ_ON_T4);
    await renderInTestApp(
      <Stepper
        manifest={manifest}
        extensions={extensions}
        onCreate={onCreate}
        initialState={AWQ_ON_T4}
      />,
    );
    expect(await screen.findByRole('status')).toHaveTextContent('Fits');
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        ...AWQ_ON_T4,
        fitCheck: {
          fits: true,
          quantization: 'awq',
          kvCacheTokens: expected.kvCacheTokens,
          maxConcurrentSequences: expected.maxConcurrentFullSequences,
        },
      }),
    );
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parse } from 'yaml';
import { renderInTestApp } from '@backstage/test-utils';
import type { TemplateParameterSchema } from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import {
  planGpuFit,
  type PlanInput,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { GpuFitField } from './GpuFitField';
import { GPU_FIT_FIELD_NAME } from './schema';
import { gpuFitValidation } from './validation';

// The repository's own template, so the wiring of its page is what is tested.
const TEMPLATE = path.resolve(
  __dirname,
  '../../../../../templates/llm-platform/template.yaml',
);

jest.setTimeout(30_000);

function modelServingPage(): TemplateParameterSchema {
  const doc = parse(fs.readFileSync(TEMPLATE, 'utf8'));
  const page = doc.spec.parameters.find(
    (p: { title: string }) => p.title === 'Model serving',
  );
  return {
    title: doc.metadata.title,
    steps: [{ title: page.title, schema: page }],
  };
}

const extensions = [
  {
    name: GPU_FIT_FIELD_NAME,
    component: GpuFitField,
    validation: gpuFitValidation,
  },
];

// Mistral-7B in fp16 on a T4, the deployment-fixes record's refused case.
const FP16_ON_T4 = {
  model: 'mistral-7b-instruct-v0.2',
  instanceType: 'g4dn.xlarge',
  quantization: 'none',
  tensorParallelSize: 1,
  maxModelLen: 4096,
  replicas: 1,
  gpuMinSize: 1,
  gpuMaxSize: 2,
};

describe('the Model serving page of templates/llm-platform', () => {
  beforeEach(() => {
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });

  it('carries the GPU fit field', () => {
    const page = modelServingPage().steps[0].schema as any;
    expect(page.properties.fitCheck['ui:field']).toBe(GPU_FIT_FIELD_NAME);
  });

  it('refuses fp16 Mistral-7B on a T4 and lets the AWQ quantization through', async () => {
    const user = userEvent.setup();
    const onCreate = jest.fn();
    const refused = planGpuFit(FP16_ON_T4 as PlanInput);
    const accepted = planGpuFit({
      ...FP16_ON_T4,
      quantization: 'awq',
    } as PlanInput);
    if (refused.fits || !accepted.fits) {
      throw new Error('the planner should refuse fp16 and accept AWQ on a T4');
    }
    await renderInTestApp(
      <Stepper
        manifest={modelServingPage()}
        extensions={extensions}
        onCreate={onCreate}
        initialState={FP16_ON_T4}
      />,
    );
    const field = await screen.findByRole('region', { name: 'GPU fit' });
    expect(within(field).getByRole('status')).toHaveTextContent('Does not fit');

    await user.click(screen.getByRole('button', { name: 'Review' }));
    expect(
      (await screen.findAllByText(refused.reason, { exact: false })).length,
    ).toBeGreaterThan(1);
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /Quantization/ }));
    await user.click(await screen.findByRole('option', { name: 'AWQ 4-bit' }));
    expect(await within(field).findByText('Fits')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        quantization: 'awq',
        fitCheck: {
          fits: true,
          quantization: 'awq',
          kvCacheTokens: accepted.plan.kvCacheTokens,
          maxConcurrentSequences: accepted.plan.maxConcurrentFullSequences,
        },
      }),
    );
  });
});

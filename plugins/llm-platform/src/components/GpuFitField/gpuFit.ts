import {
  PlanInputError,
  planGpuFit,
  type ModelSpec,
  type PlanInput,
  type PlanResult,
  type QuantizationChoice,
} from '@llm-platform/backstage-plugin-llm-platform-common';

/** The scaffolder form's values, all pages together. */
export type FormValues = Record<string, unknown>;

/**
 * What the field knows about the form: not enough to plan yet, input the
 * planner cannot read, or the planner's verdict.
 */
export type GpuFitCheck =
  | { status: 'incomplete'; missing: string[] }
  | { status: 'invalid'; message: string }
  | { status: 'planned'; result: PlanResult };

/**
 * The field's value in the form data, kept small: the review page shows it
 * and the template receives it, while the `llm-platform:plan` step plans again.
 */
export interface GpuFitValue {
  fits: boolean;
  quantization?: string;
  kvCacheTokens?: number;
  maxConcurrentSequences?: number;
}

// Same sentinel as the template's model enum: the numbers come in customModel.
const CUSTOM_MODEL = 'custom';

const optionalNumber = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

// The numbers the planner cannot do without, as the action's customModel.
const REQUIRED_CUSTOM_KEYS = [
  'hfId',
  'numLayers',
  'hiddenSize',
  'numAttentionHeads',
  'numKeyValueHeads',
  'paramsBillion',
  'vocabSize',
] as const;
const CUSTOM_MODEL_KEYS = [
  ...REQUIRED_CUSTOM_KEYS,
  'intermediateSize',
  'headDim',
  'maxPositionEmbeddings',
] as const;

function customModelOf(
  value: unknown,
): { spec: ModelSpec } | { missing: string[] } {
  const given =
    value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const missing = REQUIRED_CUSTOM_KEYS.filter(
    key => given[key] === undefined || given[key] === '',
  );
  if (missing.length) return { missing: [...missing] };
  const spec: Record<string, unknown> = {};
  // The same keys the action's customModel input keeps; the rest is dropped.
  for (const key of CUSTOM_MODEL_KEYS) {
    if (given[key] !== undefined) spec[key] = given[key];
  }
  return { spec: spec as unknown as ModelSpec };
}

/**
 * Reads the sibling fields, named like the inputs of `llm-platform:plan`, into
 * the planner's input, the way the template's plan step passes them.
 */
export function planInputFromForm(
  formData: FormValues | undefined,
): { input: PlanInput } | { missing: string[] } {
  const data = formData ?? {};
  const missing: string[] = [];
  let model: PlanInput['model'] | undefined;
  if (data.model === CUSTOM_MODEL) {
    const custom = customModelOf(data.customModel);
    if ('spec' in custom) model = custom.spec;
    else missing.push(`the custom model's ${custom.missing.join(', ')}`);
  } else if (typeof data.model === 'string' && data.model) {
    model = data.model;
  } else {
    missing.push('a model');
  }
  const instanceType =
    typeof data.instanceType === 'string' ? data.instanceType : undefined;
  const gpu = typeof data.gpu === 'string' ? data.gpu : undefined;
  if (!instanceType && !gpu) missing.push('an instance type');
  const maxModelLen = optionalNumber(data.maxModelLen);
  if (maxModelLen === undefined) missing.push('a max context length');
  if (missing.length || !model || maxModelLen === undefined) {
    return { missing };
  }
  return {
    input: {
      model,
      instanceType,
      gpu: instanceType ? undefined : gpu,
      quantization:
        typeof data.quantization === 'string'
          ? (data.quantization as QuantizationChoice)
          : 'auto',
      maxModelLen,
      gpuMemoryUtilization: optionalNumber(data.gpuMemoryUtilization),
      tensorParallelSize: optionalNumber(data.tensorParallelSize),
      maxNumSeqs: optionalNumber(data.maxNumSeqs),
    },
  };
}

/** Plans the form's configuration with the planner the backend action runs. */
export function checkGpuFit(formData: FormValues | undefined): GpuFitCheck {
  const read = planInputFromForm(formData);
  if ('missing' in read) {
    return { status: 'incomplete', missing: read.missing };
  }
  try {
    return { status: 'planned', result: planGpuFit(read.input) };
  } catch (error) {
    if (error instanceof PlanInputError) {
      return { status: 'invalid', message: error.message };
    }
    throw error;
  }
}

/** The field's value for a check: fits only when the planner accepted it. */
export function gpuFitValue(check: GpuFitCheck): GpuFitValue {
  if (check.status !== 'planned' || !check.result.fits) return { fits: false };
  const { result } = check;
  return {
    fits: true,
    quantization: result.plan.quantization,
    kvCacheTokens: result.plan.kvCacheTokens,
    maxConcurrentSequences: result.plan.maxConcurrentFullSequences,
  };
}

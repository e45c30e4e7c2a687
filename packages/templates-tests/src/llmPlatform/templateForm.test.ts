import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { customizeValidator } from '@rjsf/validator-ajv8';
import ajvErrors from 'ajv-errors';
import { loadTemplate } from '../renderTemplate';
import { PARAMETER_SETS, SEED_PARAMETERS } from './parameterSets';

// The scaffolder form validates each page as the frontend does: RJSF's ajv8
// validator with ajv-errors, so `errorMessage` is what a person reads.
const validator = customizeValidator();
ajvErrors(validator.ajv as any);

async function pages() {
  const { doc } = await loadTemplate('llm-platform');
  return doc.spec.parameters as any[];
}

async function messagesFor(parameters: Record<string, unknown>) {
  const messages: string[] = [];
  for (const page of await pages()) {
    const { errors } = validator.validateFormData(parameters, page);
    messages.push(...errors.map(e => e.message ?? ''));
  }
  return messages;
}

describe('the llm-platform template form', () => {
  it('is a valid v1beta3 template entity', async () => {
    const { doc } = await loadTemplate('llm-platform');
    expect(await templateEntityV1beta3Validator.check(doc)).toBe(true);
  });

  it.each(PARAMETER_SETS)(
    'accepts the parameters of $label',
    async ({ parameters }) => {
      expect(await messagesFor(parameters)).toEqual([]);
    },
  );

  it.each([
    ['awsAccountId', 'ACCOUNT_ID', 'An AWS account id is exactly 12 digits'],
    ['name', 'LLM_Platform', 'Use 1-24 lowercase letters'],
    ['clusterName', '9cluster', 'Start with a letter'],
    ['vpcCidr', '10.0.0.0/8', 'An IPv4 CIDR from /16 to /20'],
    ['environments', [], 'Choose at least one environment'],
    ['kubernetesVersion', '1.27', 'Pick a listed EKS version'],
    ['maxModelLen', 100, 'At least 256 tokens'],
    ['tensorParallelSize', 3, 'Tensor parallelism spans 1, 2, 4 or 8 GPUs'],
    ['stateBucket', 'My_Bucket', 'S3 bucket names are 3-63 lowercase'],
  ])('explains a bad %s', async (field, value, message) => {
    const messages = await messagesFor({ ...SEED_PARAMETERS, [field]: value });
    expect(messages).toEqual([expect.stringContaining(message)]);
  });

  it.each(['123456789012', '000000000000', '111111111111', '012345678901'])(
    'refuses the placeholder account id %s and says why (D19)',
    async awsAccountId => {
      const messages = await messagesFor({ ...SEED_PARAMETERS, awsAccountId });
      expect(messages).toEqual([
        expect.stringContaining('This is a placeholder account id'),
      ]);
    },
  );

  it.each(['388691194728', '100000000000', '123456789013'])(
    'accepts the real-looking account id %s',
    async awsAccountId => {
      expect(await messagesFor({ ...SEED_PARAMETERS, awsAccountId })).toEqual(
        [],
      );
    },
  );

  it('refuses pipelines without a team service for them to call', async () => {
    expect(
      await messagesFor({
        ...SEED_PARAMETERS,
        argoWorkflows: true,
        services: ['gateway', 'quant-api'],
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'The pipelines (Argo Workflows) call finetune-api or eval-api',
        ),
      ]),
    );
    expect(
      await messagesFor({
        ...SEED_PARAMETERS,
        argoWorkflows: true,
        services: ['eval-api'],
      }),
    ).toEqual([]);
  });

  it('asks for the numbers of a custom Hugging Face model', async () => {
    const messages = await messagesFor({
      ...SEED_PARAMETERS,
      model: 'custom',
      customModel: { hfId: 'not-an-id', numLayers: 32 },
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Give "<owner>/<model>"'),
        "must have required property 'Hidden size (hidden_size)'",
      ]),
    );
  });

  it('asks for the repository when publishing to GitHub', async () => {
    const messages = await messagesFor({
      ...SEED_PARAMETERS,
      publisher: 'github',
    });
    expect(messages).toContain(
      "must have required property 'Repository location'",
    );
  });
});

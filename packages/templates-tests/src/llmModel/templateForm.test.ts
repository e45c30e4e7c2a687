import { customizeValidator } from '@rjsf/validator-ajv8';
import ajvErrors from 'ajv-errors';
import { loadTemplate } from '../renderTemplate';
import { modelParameters } from './renderLlmModel';

// Each page validated as the scaffolder's frontend does (RJSF ajv8 with
// ajv-errors), so `errorMessage` is what a person reads.
const validator = customizeValidator();
ajvErrors(validator.ajv as any);

async function messagesFor(parameters: Record<string, unknown>) {
  const { doc } = await loadTemplate('llm-model');
  const messages: string[] = [];
  for (const page of doc.spec.parameters as any[]) {
    const { errors } = validator.validateFormData(parameters, page);
    messages.push(...errors.map(e => e.message ?? ''));
  }
  return messages;
}

describe('the llm-model template form', () => {
  it('accepts the parameters the render tests use', async () => {
    expect(await messagesFor(modelParameters())).toEqual([]);
  });

  it('has the same GPU fit field and model fields as the platform template', async () => {
    const { doc } = await loadTemplate('llm-model');
    const platform = (await loadTemplate('llm-platform')).doc;
    const modelPage = (d: any) =>
      d.spec.parameters.find((p: any) => p.properties?.fitCheck);
    const fields = [
      'model',
      'instanceType',
      'quantization',
      'tensorParallelSize',
      'maxModelLen',
    ];
    for (const field of fields) {
      expect(modelPage(doc).properties[field]).toEqual(
        modelPage(platform).properties[field],
      );
    }
    expect(modelPage(doc).properties.fitCheck['ui:field']).toBe(
      'LlmPlatformGpuFit',
    );
  });

  it.each([
    ['name', 'Demo_Qwen', 'Use 1-40 lowercase letters'],
    ['environments', [], 'Choose at least one environment'],
    ['maxModelLen', 100, 'At least 256 tokens'],
    ['replicas', 0, 'At least one replica'],
  ])('explains a bad %s', async (field, value, message) => {
    expect(await messagesFor(modelParameters({ [field]: value }))).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('explains a bad local repository name', async () => {
    // The name sits in a oneOf branch: ajv also reports the branch itself.
    const messages = await messagesFor(
      modelParameters({ platformRepo: '../etc' }),
    );
    expect(messages[0]).toContain('A repository name: letters, digits');
  });

  it('asks for the local repository, or for the GitHub repository', async () => {
    expect(
      await messagesFor(modelParameters({ platformRepo: undefined })),
    ).toContain("must have required property 'Local platform repository'");
    expect(
      await messagesFor(
        modelParameters({ publisher: 'github', platformRepo: undefined }),
      ),
    ).toContain("must have required property 'Platform repository'");
  });
});

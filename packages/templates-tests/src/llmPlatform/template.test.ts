import fs from 'node:fs/promises';
import path from 'node:path';
import { loadTemplate, renderTemplate } from '../renderTemplate';
import { listFiles } from './generatedRepo';
import { PARAMETER_SETS, SEED_PARAMETERS } from './parameterSets';

jest.setTimeout(120_000);

function fieldsOf(schema: any, prefix = ''): [string, any][] {
  const fields: [string, any][] = [];
  for (const [name, field] of Object.entries<any>(schema.properties ?? {})) {
    fields.push([`${prefix}${name}`, field]);
    if (field.type === 'object')
      fields.push(...fieldsOf(field, `${prefix}${name}.`));
  }
  for (const dependency of Object.values<any>(schema.dependencies ?? {})) {
    for (const branch of dependency.oneOf ?? [])
      fields.push(...fieldsOf(branch, prefix));
  }
  return fields;
}

describe('templates/llm-platform/template.yaml', () => {
  it('has the five parameter pages of the issue', async () => {
    const { doc } = await loadTemplate('llm-platform');
    expect(doc.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(doc.spec.parameters.map((page: any) => page.title)).toEqual([
      'Component',
      'AWS and cluster',
      'Model serving',
      'Team services and observability',
      'Repository',
    ]);
    expect(doc.spec.parameters[0].properties.name['ui:field']).toBe(
      'EntityNamePicker',
    );
    expect(doc.spec.parameters[0].properties.owner['ui:field']).toBe(
      'OwnerPicker',
    );
  });

  it('gives every field a title, a description or widget, and a message for each of its constraints', async () => {
    const { doc } = await loadTemplate('llm-platform');
    const constraints = [
      'pattern',
      'enum',
      'minimum',
      'maximum',
      'minLength',
      'maxLength',
      'minItems',
      'exclusiveMinimum',
      'not',
    ];
    for (const page of doc.spec.parameters) {
      for (const [name, field] of fieldsOf(page)) {
        if (field.enum && Object.keys(field).length === 1) continue; // a oneOf discriminator
        if (field.not && !field.type) continue; // the other branch of a oneOf
        expect({ name, title: Boolean(field.title) }).toEqual({
          name,
          title: true,
        });
        const explained =
          Boolean(field.description) || page.title === 'Model serving';
        expect({ name, explained }).toEqual({ name, explained: true });
        for (const c of constraints.filter(
          k =>
            k in field &&
            !(k === 'enum' && field['ui:widget'] === 'checkboxes'),
        )) {
          const message =
            typeof field.errorMessage === 'string'
              ? field.errorMessage
              : field.errorMessage?.[c];
          expect({ name, constraint: c, message: Boolean(message) }).toEqual({
            name,
            constraint: c,
            message: true,
          });
        }
      }
    }
  });

  it('plans, renders, validates, publishes and registers, in that order', async () => {
    const { doc } = await loadTemplate('llm-platform');
    expect(doc.spec.steps.map((s: any) => s.action)).toEqual([
      'llm-platform:plan',
      'fetch:template',
      'llm-platform:validate',
      'llm-platform:publish:local',
      'publish:github',
      'catalog:register',
    ]);
    expect(doc.spec.steps[2].input).toEqual({ path: '.' });
    expect(doc.spec.output.links.map((l: any) => l.title)).toEqual([
      'Repository',
      'System in the catalog',
      'Model server',
      'LLM Platform tab of the model server',
    ]);
  });

  it('passes the skeleton every value it reads', async () => {
    const { file, doc } = await loadTemplate('llm-platform');
    const fetch = doc.spec.steps.find(
      (s: any) => s.action === 'fetch:template',
    );
    const skeleton = path.join(path.dirname(file), fetch.input.url);
    const given = new Set<string>();
    const walk = (obj: any, prefix: string) => {
      for (const [k, v] of Object.entries<any>(obj)) {
        given.add(`${prefix}${k}`);
        if (v && typeof v === 'object' && !Array.isArray(v))
          walk(v, `${prefix}${k}.`);
      }
    };
    walk(fetch.input.values, '');
    const used = new Set<string>();
    for (const f of await listFiles(skeleton)) {
      const text = `${f}\n${await fs.readFile(path.join(skeleton, f), 'utf8')}`;
      for (const m of text.matchAll(/\bvalues\.([A-Za-z]+(?:\.[A-Za-z]+)?)/g))
        used.add(m[1]);
    }
    for (const ref of used) {
      expect({ ref, given: given.has(ref) }).toEqual({
        ref,
        given: true,
      });
    }
  });

  it('refuses a model that cannot serve on the GPU before writing any file, saying what would fit', async () => {
    const refused = renderTemplate(
      'llm-platform',
      {
        ...SEED_PARAMETERS,
        model: 'llama-3.1-70b-instruct',
        quantization: 'none',
        instanceType: 'g4dn.xlarge',
      },
      { until: 'fetch' },
    );
    await expect(refused).rejects.toThrow(
      /Configurations that fit|No configuration/,
    );
  });

  it('links the GitHub repository in the catalog when publishing to GitHub', async () => {
    const github = PARAMETER_SETS.find(
      s => s.parameters.publisher === 'github',
    )!;
    const rendered = await renderTemplate('llm-platform', github.parameters, {
      until: 'fetch',
    });
    const catalog = await fs.readFile(
      path.join(rendered.workspace, 'catalog-info.yaml'),
      'utf8',
    );
    await fs.rm(rendered.workspace, { recursive: true, force: true });
    expect(catalog).toContain('github.com/project-slug: acme/mixtral-platform');
    expect(catalog).toContain('url: https://github.com/acme/mixtral-platform');
    expect(catalog).toContain(
      'url: https://grafana.acme.example/d/llm-platform-vllm',
    );
    expect(rendered.steps.fetch.input.values.repoSlug).toBe(
      'acme/mixtral-platform',
    );
  });
});

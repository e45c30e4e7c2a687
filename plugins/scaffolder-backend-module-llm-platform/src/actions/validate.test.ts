import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createValidateAction } from './validate';
import { examples } from './validate.examples';

const CLEAN = {
  'k8s/kustomization.yaml': [
    'resources:',
    '  - api.yaml',
    'labels:',
    '  - pairs: { app.kubernetes.io/part-of: demo }',
    '    includeSelectors: false',
    '',
  ].join('\n'),
  'k8s/api.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: api }',
    'spec:',
    '  selector: { matchLabels: { app: api } }',
    '  template:',
    '    metadata: { labels: { app: api } }',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: python:3.11-slim',
    '          ports: [{ containerPort: 8000 }]',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: { name: api }',
    'spec:',
    '  selector: { app: api }',
    '  ports: [{ port: 8000, targetPort: 8000 }]',
    '',
  ].join('\n'),
  'services/api/Dockerfile': 'FROM python:3.11-slim\nCOPY . /app\n',
};

const BROKEN = {
  ...CLEAN,
  'k8s/kustomization.yaml':
    'resources:\n  - api.yaml\ncommonLabels:\n  app: demo\n',
  'services/api/Dockerfile':
    'FROM python:3.11-slim\nCOPY ../shared /app/shared\nENV PYTHONPATH=/app\n',
};

describe('llm-platform:validate', () => {
  const mockDir = createMockDirectory();

  function run(
    input: Record<string, unknown>,
    content: Record<string, string>,
  ) {
    mockDir.setContent(content);
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: mockDir.path,
    });
    return { ctx, done: createValidateAction().handler(ctx as any) };
  }

  const outputs = (ctx: any) =>
    Object.fromEntries(ctx.output.mock.calls.map(([k, v]: any) => [k, v]));

  it('declares its schema and dry-run support', () => {
    const action = createValidateAction();
    expect(action.id).toBe('llm-platform:validate');
    expect(action.supportsDryRun).toBe(true);
    expect((action.schema?.input as any).properties.failOn.description).toMatch(
      /Fail the step/,
    );
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example on a clean workspace: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe('llm-platform:validate');
      const { ctx, done } = run(step.input, CLEAN);
      await done;
      expect(outputs(ctx)).toEqual({
        findings: [],
        errorCount: 0,
        warningCount: 0,
      });
    },
  );

  it('fails the step on errors, naming file, line, rule, seed failure and fix', async () => {
    const { ctx, done } = run({}, BROKEN);
    await expect(done).rejects.toThrow(InputError);
    await expect(done).rejects.toThrow(
      /k8s\/kustomization\.yaml:3 error \[D14-no-common-labels\] \(D14, D15\)/,
    );
    await expect(done).rejects.toThrow(
      /services\/api\/Dockerfile:2 error \[D21-no-copy-outside-context\] \(D21\).*Fix: Build from the parent directory/,
    );
    expect(outputs(ctx).errorCount).toBe(2);
  });

  it('only reports when failOn is never', async () => {
    const { ctx, done } = run({ failOn: 'never' }, BROKEN);
    await done;
    expect(outputs(ctx).findings.map((f: any) => f.ruleId)).toEqual([
      'D14-no-common-labels',
      'D21-no-copy-outside-context',
    ]);
  });

  it('checks only the given directory', async () => {
    const { ctx, done } = run({ path: 'services' }, BROKEN);
    await expect(done).rejects.toThrow(/D21/);
    expect(outputs(ctx).findings).toHaveLength(1);
  });

  it.each([
    [{ path: '../outside' }, /must stay inside the workspace/],
    [{ path: 'nope' }, /is not a directory of the workspace/],
    [{ failOn: 'sometimes' }, /failOn must be error, warning or never/],
    [{ disable: ['D00-nothing'] }, /unknown rule id D00-nothing/],
  ])('rejects %j', async (input, message) => {
    const { done } = run(input, CLEAN);
    await expect(done).rejects.toThrow(InputError);
    await expect(done).rejects.toThrow(message);
  });
});

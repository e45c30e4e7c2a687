import fs from 'node:fs';
import path from 'node:path';
import { screen, waitFor } from '@testing-library/react';
import { parse } from 'yaml';
import userEvent from '@testing-library/user-event';
import { configApiRef } from '@backstage/core-plugin-api';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import type { ComponentProps } from 'react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { PublisherPickerField } from './PublisherPickerField';
import { PUBLISHER_PICKER_FIELD_NAME } from './schema';
import { publisherPickerValidation } from './validation';

// The form jsdom renders is the scaffolder's whole Stepper; slow under load.
jest.setTimeout(30_000);

// The repository page of templates/llm-platform/template.yaml.
const manifest = {
  title: 'Publish',
  steps: [
    {
      title: 'Repository',
      schema: {
        required: ['publisher'],
        properties: {
          publisher: {
            title: 'Where to publish',
            type: 'string',
            description: 'A local git repository, or GitHub',
            default: 'local',
            enum: ['local', 'github'],
            'ui:field': PUBLISHER_PICKER_FIELD_NAME,
          },
        },
        dependencies: {
          publisher: {
            oneOf: [
              { properties: { publisher: { enum: ['local'] } } },
              {
                properties: {
                  publisher: { enum: ['github'] },
                  repoName: { title: 'Repository name', type: 'string' },
                },
                required: ['repoName'],
              },
            ],
          },
        },
      },
    },
  ],
} as any;

const extensions = [
  {
    name: PUBLISHER_PICKER_FIELD_NAME,
    component: PublisherPickerField,
    validation: publisherPickerValidation,
  },
];

async function renderForm(
  config: object,
  initialState: ComponentProps<typeof Stepper>['initialState'] = {},
) {
  const onCreate = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data: config })]]}>
      <Stepper
        manifest={manifest}
        extensions={extensions}
        onCreate={onCreate}
        initialState={initialState}
      />
    </TestApiProvider>,
  );
  return onCreate;
}

describe('PublisherPickerField', () => {
  beforeEach(() => {
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });

  it('offers only the local repository when the app has no GitHub integration, and says why', async () => {
    const user = userEvent.setup();
    const onCreate = await renderForm({});
    const group = await screen.findByRole('radiogroup', {
      name: /Where to publish/,
    });
    expect(group).toBeInTheDocument();
    expect(
      screen.getByRole('radio', { name: /Local git repository/ }),
    ).toBeChecked();
    expect(screen.queryByRole('radio', { name: /GitHub/ })).toBeNull();
    expect(
      screen.getByText(
        /GitHub is offered once the app has a GitHub integration/,
      ),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith({ publisher: 'local' });
  });

  it('offers GitHub with its host when an integration is configured', async () => {
    const user = userEvent.setup();
    const onCreate = await renderForm({
      integrations: { github: [{ host: 'github.example.com' }] },
    });
    await user.click(
      await screen.findByRole('radio', { name: 'GitHub (github.example.com)' }),
    );
    await user.type(
      await screen.findByRole('textbox', { name: /Repository name/ }),
      'acme',
    );
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith({
      publisher: 'github',
      repoName: 'acme',
    });
  });

  it('turns a GitHub choice into the local one when the app has no integration', async () => {
    const user = userEvent.setup();
    const onCreate = await renderForm({}, { publisher: 'github' });
    await waitFor(() =>
      expect(
        screen.getByRole('radio', { name: /Local git repository/ }),
      ).toBeChecked(),
    );
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith({ publisher: 'local' });
  });
});

describe('the Repository page of templates/llm-platform', () => {
  beforeEach(() => {
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });

  it('asks where to publish with this field, offering the local repository without GitHub', async () => {
    const doc = parse(
      fs.readFileSync(
        path.resolve(
          __dirname,
          '../../../../../templates/llm-platform/template.yaml',
        ),
        'utf8',
      ),
    );
    const page = doc.spec.parameters.find(
      (p: { title: string }) => p.title === 'Repository',
    );
    expect(page.properties.publisher['ui:field']).toBe(
      PUBLISHER_PICKER_FIELD_NAME,
    );
    const user = userEvent.setup();
    const onCreate = jest.fn();
    await renderInTestApp(
      <TestApiProvider apis={[[configApiRef, mockApis.config({ data: {} })]]}>
        <Stepper
          manifest={{
            title: doc.metadata.title,
            steps: [{ title: page.title, schema: page }],
          }}
          extensions={extensions}
          onCreate={onCreate}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('radio', { name: /Local git repository/ }),
    ).toBeChecked();
    expect(screen.queryByRole('radio', { name: /GitHub/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({ publisher: 'local' }),
    );
  });
});

describe('publisherPickerValidation', () => {
  const validate = (value: string, config: object) => {
    const addError = jest.fn();
    publisherPickerValidation(
      value,
      { addError } as any,
      {
        apiHolder: { get: () => mockApis.config({ data: config }) },
        formData: {},
        schema: {},
      } as any,
    );
    return addError.mock.calls.map(([m]) => m);
  };

  it('refuses GitHub without an integration, naming the config key', () => {
    expect(validate('github', {})).toEqual([
      'GitHub is not available: the app has no GitHub integration (integrations.github). Choose the local git repository.',
    ]);
    expect(
      validate('github', {
        integrations: { github: [{ host: 'github.com' }] },
      }),
    ).toEqual([]);
  });

  it('refuses an unknown publisher with the valid ones', () => {
    expect(validate('gitlab', {})).toEqual([
      '"gitlab" is not a publisher; choose one of: local.',
    ]);
    expect(validate('local', {})).toEqual([]);
  });
});

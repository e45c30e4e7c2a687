import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Copy the local platform repository into the workspace before rendering into it',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch-local',
          action: 'llm-platform:fetch:local',
          name: 'Fetch the local platform repository',
          input: { repoName: 'demo-platform' },
        },
      ],
    }),
  },
  {
    description: 'Copy it into a folder of the workspace',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch-local',
          action: 'llm-platform:fetch:local',
          name: 'Fetch the local platform repository',
          input: { repoName: 'demo-platform', targetPath: 'platform' },
        },
      ],
    }),
  },
];

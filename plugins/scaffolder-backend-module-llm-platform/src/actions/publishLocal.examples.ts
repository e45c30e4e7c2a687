import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write the rendered workspace as a local git repository and register its catalog-info.yaml',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'llm-platform:publish:local',
          name: 'Publish to a local repository',
          input: {
            repoName: 'demo-platform',
            description: 'LLM platform for the demo team',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish one directory of the workspace with a custom branch, message and author, without registering it',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'llm-platform:publish:local',
          name: 'Publish to a local repository',
          input: {
            repoName: 'demo-platform-infra',
            sourcePath: 'infra',
            defaultBranch: 'trunk',
            commitMessage: 'Infrastructure from the LLM Platform template',
            gitAuthorName: 'Platform Team',
            gitAuthorEmail: 'platform@example.com',
            register: false,
          },
        },
      ],
    }),
  },
];

import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Commit a new model server to the local platform repository and register its catalog file',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish-local',
          action: 'llm-platform:commit:local',
          name: 'Commit to the local platform repository',
          input: {
            repoName: 'demo-platform',
            commitMessage: 'Serve Qwen/Qwen2.5-7B-Instruct-AWQ as demo-qwen',
            newPaths: [
              'k8s/base/llm-serving/demo-qwen',
              'catalog/demo-qwen.yaml',
            ],
            catalogInfoPath: 'catalog/demo-qwen.yaml',
          },
        },
      ],
    }),
  },
  {
    description:
      'Commit changes from a folder of the workspace with a custom author, registering nothing',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish-local',
          action: 'llm-platform:commit:local',
          name: 'Commit to the local platform repository',
          input: {
            repoName: 'demo-platform',
            sourcePath: 'platform',
            commitMessage: 'Scale the dev overlay',
            gitAuthorName: 'Platform Team',
            gitAuthorEmail: 'platform@example.com',
          },
        },
      ],
    }),
  },
];

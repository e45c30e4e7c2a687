import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check the rendered repository after fetch:template and fail the step on any error',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'llm-platform:validate',
          name: 'Preflight checks',
          input: {},
        },
      ],
    }),
  },
  {
    description:
      'Check only the Kubernetes manifests, and fail on warnings too',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'llm-platform:validate',
          name: 'Preflight checks',
          input: { path: 'k8s', failOn: 'warning' },
        },
      ],
    }),
  },
  {
    description:
      'Report findings without failing, and skip the Terraform tagging rule',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'llm-platform:validate',
          name: 'Preflight checks',
          input: { failOn: 'never', disable: ['P4-terraform-tags'] },
        },
      ],
    }),
  },
];

import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Deploy a rendered model server in dev and prod, and scrape its pods',
    example: yaml.stringify({
      steps: [
        {
          id: 'include',
          action: 'llm-platform:model:include',
          name: 'Add it to the overlays and the scrape config',
          input: {
            modelPath: 'k8s/base/llm-serving/demo-qwen',
            environments: ['dev', 'prod'],
            scrapeJob: {
              job_name: 'vllm-demo-qwen',
              kubernetes_sd_configs: [
                { role: 'pod', namespaces: { names: ['llm-serving'] } },
              ],
              relabel_configs: [
                {
                  source_labels: [
                    '__meta_kubernetes_pod_label_app_kubernetes_io_name',
                  ],
                  regex: 'demo-qwen',
                  action: 'keep',
                },
              ],
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploy it in dev only, in a repository whose overlays live elsewhere, without a scrape job',
    example: yaml.stringify({
      steps: [
        {
          id: 'include',
          action: 'llm-platform:model:include',
          name: 'Add it to the dev overlay',
          input: {
            modelPath: 'deploy/models/demo-qwen',
            environments: ['dev'],
            overlaysPath: 'deploy/envs',
          },
        },
      ],
    }),
  },
];

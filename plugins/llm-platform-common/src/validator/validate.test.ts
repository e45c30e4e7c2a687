import fs from 'node:fs';
import path from 'node:path';
import {
  collectRepositoryFiles,
  formatValidationReport,
  validateRepository,
} from './validate';
import { VALIDATION_RULES } from './rules';
import type { RepoFile } from './types';
import { CLEAN_DIR, cleanRepo, fixtureReader } from './__fixtures__/cleanRepo';

const FIXTURES = path.join(__dirname, '__fixtures__');

/** The clean repository with a seed's files laid over it and its DELETED paths removed. */
function seedRepo(seed: string): RepoFile[] {
  const dir = path.join(FIXTURES, 'seeds', seed);
  const overrides = collectRepositoryFiles(dir, fixtureReader);
  const deletedFile = path.join(dir, 'DELETED');
  const deleted = fs.existsSync(deletedFile)
    ? fs.readFileSync(deletedFile, 'utf8').split('\n').filter(Boolean)
    : [];
  return cleanRepo(overrides, { deleted });
}

function lineOf(files: RepoFile[], file: string, marker: string) {
  const content = files.find(f => f.path === file)?.content ?? '';
  const index = content.split('\n').findIndex(l => l.includes(marker));
  if (index < 0) throw new Error(`marker "${marker}" not in ${file}`);
  return index + 1;
}

describe('validateRepository', () => {
  it('finds nothing in a clean repository of our shape', () => {
    const files = collectRepositoryFiles(CLEAN_DIR, fixtureReader);
    const report = validateRepository(files);
    expect(formatValidationReport(report)).toBe(
      `0 error(s), 0 warning(s) in ${files.length} files, ${VALIDATION_RULES.length} rules`,
    );
  });

  // [seed fixture, rule, failure id, file, text on the reported line]
  it.each([
    [
      'D01',
      'D01-ebs-csi-driver',
      'D01',
      'k8s/base/llm/vllm.yaml',
      'storageClassName: gp3',
    ],
    [
      'D02',
      'D02-storage-class-defined',
      'D02',
      'k8s/base/llm/vllm.yaml',
      'storageClassName: gp3',
    ],
    [
      'D03',
      'D03-prometheus-fsgroup',
      'D03',
      'k8s/base/observability/prometheus.yaml',
      'containers:',
    ],
    [
      'D04',
      'D04-loki-removed-fields',
      'D04',
      'k8s/base/observability/loki.yaml',
      'enforce_metric_name',
    ],
    [
      'D05',
      'D05-loki-fsgroup',
      'D05',
      'k8s/base/observability/loki.yaml',
      'containers:',
    ],
    [
      'D06',
      'D06-referenced-config-defined',
      'D06',
      'k8s/base/observability/grafana.yaml',
      'GF_SECURITY_ADMIN_PASSWORD',
    ],
    [
      'D07',
      'D07-otel-loki-exporter-keys',
      'D07',
      'k8s/base/observability/otel-collector.yaml',
      'labels:',
    ],
    [
      'D08',
      'D08-crd-installed',
      'D08',
      'k8s/base/llm/servicemonitor.yaml',
      'apiVersion: monitoring.coreos.com/v1',
    ],
    [
      'D09',
      'D09-gpu-ami-type',
      'D09',
      'infra/envs/dev/terraform.tfvars',
      'ami_type       = "AL2_x86_64"',
    ],
    [
      'D10',
      'D10-device-plugin',
      'D10',
      'k8s/base/llm/vllm.yaml',
      '          resources:',
    ],
    [
      'D10-affinity',
      'D10-device-plugin',
      'D10',
      'k8s/base/gpu/nvidia-device-plugin.yaml',
      'nodeAffinity:',
    ],
    [
      'D11',
      'D11-requests-fit-node',
      'D11',
      'k8s/base/llm/vllm.yaml',
      'containers:',
    ],
    [
      'D12',
      'D12-general-capacity',
      'D12',
      'infra/envs/dev/terraform.tfvars',
      'desired_size   = 1',
    ],
    [
      'D13',
      'D13-generator-merge-base',
      'D13',
      'k8s/overlays/dev/kustomization.yaml',
      'behavior: merge',
    ],
    [
      'D14',
      'D14-no-common-labels',
      'D14',
      'k8s/base/kustomization.yaml',
      'commonLabels:',
    ],
    ['D16', 'D16-vllm-fits', 'D16', 'k8s/base/llm/vllm.yaml', 'args:'],
    [
      'D17',
      'D17-no-committed-secrets',
      'D17',
      'k8s/base/llm/hf-token-secret.yaml',
      'token: ${HF_TOKEN}',
    ],
    [
      'D18',
      'D18-kustomize-paths-exist',
      'D18',
      'k8s/base/kustomization.yaml',
      'llm/deployment.yaml',
    ],
    [
      'D19',
      'D19-no-account-placeholder',
      'D19',
      'k8s/base/gateway/deployment.yaml',
      'ACCOUNT_ID',
    ],
    [
      'D20',
      'D20-image-tags-pushed',
      'D20',
      'k8s/overlays/dev/kustomization.yaml',
      'newTag: dev-latest',
    ],
    [
      'D21',
      'D21-no-copy-outside-context',
      'D21',
      'services/gateway/Dockerfile',
      'COPY ../shared',
    ],
    [
      'D22',
      'D22-pythonpath-set',
      'D22',
      'services/gateway/Dockerfile',
      'WORKDIR /app/gateway',
    ],
    [
      'D23',
      'D23-python-imports-resolve',
      'D23',
      'services/shared/telemetry.py',
      'TraceContextTextMapPropagator',
    ],
    [
      'D23',
      'D23-python-imports-resolve',
      'D23',
      'services/shared/vllm_client.py',
      'import httpx',
    ],
    [
      'D24',
      'D24-health-endpoints',
      'D24',
      'services/gateway/main.py',
      'FastAPI(',
    ],
    [
      'D24',
      'D24-health-endpoints',
      'D24',
      'k8s/base/gateway/deployment.yaml',
      'path: /ready',
    ],
    [
      'D25',
      'D25-service-ports-match',
      'D25',
      'k8s/base/gateway/service.yaml',
      '- name: http',
    ],
    [
      'D26',
      'D26-service-urls-port',
      'D26',
      'k8s/base/gateway/configmap.yaml',
      'VLLM_BASE_URL',
    ],
    [
      'D27',
      'D27-no-calls-on-none',
      'D27',
      'services/gateway/main.py',
      'sagemaker.invoke(',
    ],
    [
      'D28',
      'D28-idempotent-addons',
      'D28',
      'scripts/install-addons.sh',
      'create-addon',
    ],
    [
      'P1',
      'P1-launch-template-user-data',
      'P1',
      'infra/modules/eks/launch-template.tf',
      'image_id',
    ],
    [
      'P2',
      'P2-no-unresolved-interpolation',
      'P2',
      'infra/envs/dev/terraform.tfvars',
      'values.region',
    ],
    [
      'P3',
      'P3-addons-after-nodes',
      'P3',
      'infra/modules/eks/calico.tf',
      'resource "helm_release" "calico"',
    ],
    [
      'P4',
      'P4-terraform-tags',
      'P4',
      'infra/modules/eks/main.tf',
      'resource "aws_eks_cluster"',
    ],
  ])(
    'catches seed failure %s with %s',
    (seed, ruleId, failure, file, marker) => {
      const files = seedRepo(seed);
      const report = validateRepository(files);
      const finding = report.findings.find(
        f => f.ruleId === ruleId && f.file === file,
      );
      expect(finding).toMatchObject({
        ruleId,
        file,
        line: lineOf(files, file, marker),
        failures: expect.arrayContaining([failure]),
      });
      expect(finding!.fix.length).toBeGreaterThan(20);
      // A broken repository reports only what the seed broke.
      expect(
        report.findings.every(f =>
          f.failures.some(id => seedIds(seed).includes(id)),
        ),
      ).toBe(true);
    },
  );

  it('explains the D16 refusal with the planner reason and its fixes', () => {
    const report = validateRepository(seedRepo('D16'));
    const finding = report.findings.find(f => f.ruleId === 'D16-vllm-fits')!;
    expect(finding.message).toMatch(/short by [\d,]+ tokens/);
    expect(finding.fix).toMatch(/Quantize to AWQ/);
  });

  it('reads vLLM settings given as a shell command too', () => {
    const files = seedRepo('D16').map(f =>
      f.path === 'k8s/base/llm/vllm.yaml'
        ? {
            ...f,
            content: f.content.replace(
              /args:\n(\s+- .*\n)+/,
              'command: ["/bin/sh", "-c", "vllm serve mistralai/Mistral-7B-Instruct-v0.2 --max-model-len 2048 --gpu-memory-utilization 0.95"]\n',
            ),
          }
        : f,
    );
    expect(
      files.find(f => f.path === 'k8s/base/llm/vllm.yaml')!.content,
    ).toContain('vllm serve');
    const report = validateRepository(files);
    expect(report.findings.map(f => f.ruleId)).toContain('D16-vllm-fits');
  });

  it('skips disabled rules and rejects unknown rule ids', () => {
    const files = seedRepo('D14');
    expect(
      validateRepository(files, { disable: ['D14-no-common-labels'] })
        .errorCount,
    ).toBe(0);
    expect(() => validateRepository(files, { disable: ['D99-nope'] })).toThrow(
      /unknown rule id D99-nope; rules are D01-ebs-csi-driver/,
    );
  });

  it('reports YAML that does not parse as a warning with its line', () => {
    const report = validateRepository([
      { path: 'k8s/broken.yaml', content: 'a: 1\nb: [1, 2\n' },
    ]);
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'yaml-parses',
        severity: 'warning',
        file: 'k8s/broken.yaml',
      }),
    ]);
  });

  it('gives every rule an id that names its FAILURES.md entries', () => {
    // The catalogue's ids: D01–D30, P1–P5 and the troubleshooting causes.
    const catalogued =
      /^(D(0[1-9]|[12]\d|30)|P[1-5]|T-(pending|crashloop|isvc|ingress|tfstate))$/;
    for (const rule of VALIDATION_RULES) {
      expect(rule.failures.length).toBeGreaterThan(0);
      expect(rule.failures.filter(id => !catalogued.test(id))).toEqual([]);
      expect(rule.id.startsWith(`${rule.failures[0]}-`)).toBe(true);
    }
  });
});

/** Failure ids a seed fixture may legitimately trigger (some seeds break two things). */
function seedIds(seed: string): string[] {
  const related: Record<string, string[]> = {
    D01: ['D01', 'D28'],
    D06: ['D06', 'D29'],
    'D10-affinity': ['D10'],
    D14: ['D14', 'D15'],
    D17: ['D17', 'D06'],
    D25: ['D25', 'D26'],
  };
  return related[seed] ?? [seed];
}

import { validateRepository } from '../validate';
import type { RepoFile } from '../types';
import { cleanFile, cleanRepo } from '../__fixtures__/cleanRepo';

// Every version the clean fixture names is pinned; each case below changes one
// file the way a repository drifts, and the rule names the file and line.
function unpinned(files: RepoFile[]) {
  return validateRepository(files)
    .findings.filter(f => f.ruleId === 'D04-versions-pinned')
    .map(f => ({ file: f.file, line: f.line, message: f.message }));
}

function lineOf(content: string, marker: string) {
  return content.split('\n').findIndex(l => l.includes(marker)) + 1;
}

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
  namespace: platform
spec:
  selector: { matchLabels: { app: batch } }
  template:
    metadata: { labels: { app: batch } }
    spec:
      containers:
        - name: batch
          image: ${image}
`;

const helmRelease = (
  version: string,
) => `resource "helm_release" "argo_workflows" {
  name       = "argo-workflows"
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argo-workflows"
${version}
  depends_on = [var.node_group_arns]
}
`;

const versionsTf = (constraint: string) => `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${constraint}"
    }
  }
}
`;

const PINNED: Record<string, string> = {
  'k8s/base/batch/deployment.yaml': deployment('python:3.12-slim'),
  'k8s/base/digest/deployment.yaml': deployment(
    'busybox@sha256:ab1a2e4ef1a42f8a2e6b2b4d3b5e0e3b7a8d9c0e1f2a3b4c5d6e7f8091a2b3c4',
  ),
  'infra/modules/argo/main.tf': helmRelease('  version    = var.chart_version'),
  'infra/modules/argo/variables.tf':
    'variable "chart_version" {\n  type    = string\n  default = "0.45.0"\n}\n',
  'infra/modules/vpc/main.tf': `module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.13.0"
}

module "labels" {
  source = "git::https://github.com/cloudposse/terraform-null-label.git?ref=0.25.0"
}

module "local" {
  source = "../eks"
}
`,
};

describe('pinned versions (D04, D07, D20)', () => {
  it('finds nothing in the clean repository', () => {
    expect(unpinned(cleanRepo({}))).toEqual([]);
  });

  it('finds nothing when every image, chart, provider and module names one version', () => {
    expect(unpinned(cleanRepo(PINNED))).toEqual([]);
  });

  it('lets the images built here use the deploy tag CI pushes (D20), and nothing else', () => {
    const overlay = cleanFile('k8s/overlays/dev/kustomization.yaml');
    expect(overlay).toMatch(/newTag: dev-latest/);
    const files = cleanRepo({
      'k8s/base/batch/deployment.yaml': deployment(
        'ghcr.io/acme/batch:dev-latest',
      ),
    });
    expect(unpinned(files)).toEqual([
      {
        file: 'k8s/base/batch/deployment.yaml',
        line: 13,
        message: expect.stringContaining('the moving tag "dev-latest"'),
      },
    ]);
  });

  it.each([
    ['the tag latest', 'python:latest', 'uses the tag "latest"'],
    ['no tag', 'python', 'has no tag'],
    [
      'no tag on a registry with a port',
      'registry.local:5000/batch',
      'has no tag',
    ],
  ])('fires on an image with %s', (_case, image, message) => {
    expect(
      unpinned(
        cleanRepo({ 'k8s/base/batch/deployment.yaml': deployment(image) }),
      ),
    ).toEqual([
      {
        file: 'k8s/base/batch/deployment.yaml',
        line: 13,
        message: expect.stringContaining(message),
      },
    ]);
  });

  it('reads the tag a kustomization gives an untagged image, and checks that tag', () => {
    const base = deployment('ghcr.io/acme/batch');
    const overlay = (tag: string) =>
      `${cleanFile(
        'k8s/overlays/dev/kustomization.yaml',
      ).trimEnd()}\n  - name: ghcr.io/acme/batch\n    newTag: ${tag}\n`;
    expect(
      unpinned(
        cleanRepo({
          'k8s/base/batch/deployment.yaml': base,
          'k8s/overlays/dev/kustomization.yaml': overlay('1.4.2'),
        }),
      ),
    ).toEqual([]);
    const latest = overlay('latest');
    expect(
      unpinned(
        cleanRepo({
          'k8s/base/batch/deployment.yaml': base,
          'k8s/overlays/dev/kustomization.yaml': latest,
        }),
      ),
    ).toEqual([
      {
        file: 'k8s/overlays/dev/kustomization.yaml',
        line: latest.split('\n').length - 1,
        message: expect.stringContaining('ghcr.io/acme/batch:latest'),
      },
    ]);
  });

  it('fires on a Dockerfile built FROM an untagged image, not on a build stage', () => {
    const dockerfile =
      'FROM python AS build\nRUN pip wheel -w /w fastapi\nFROM build\nCOPY . /app\n';
    expect(
      unpinned(cleanRepo({ 'services/gateway/Dockerfile': dockerfile })),
    ).toEqual([
      {
        file: 'services/gateway/Dockerfile',
        line: 1,
        message: expect.stringContaining('image python has no tag'),
      },
    ]);
  });

  it.each([
    ['no version', '', 'sets no chart version'],
    ['a range', '  version    = "^0.45.0"', 'not one pinned version'],
    [
      'a variable without a default',
      '  version    = var.chart_version',
      '(no literal default)',
    ],
  ])('fires on a Helm release with %s', (_case, version, message) => {
    const tf = helmRelease(version);
    const files = cleanRepo({ 'infra/modules/argo/main.tf': tf });
    expect(unpinned(files)).toEqual([
      {
        file: 'infra/modules/argo/main.tf',
        line: lineOf(tf, version.trim() || 'resource "helm_release"'),
        message: expect.stringContaining(message),
      },
    ]);
  });

  it.each([
    ['>= 5.0', 'which has no upper bound'],
    ['!= 5.1.0', 'which has no upper bound'],
  ])('fires on a provider constrained to %s', (constraint, message) => {
    const tf = versionsTf(constraint);
    expect(unpinned(cleanRepo({ 'infra/envs/dev/versions.tf': tf }))).toEqual([
      {
        file: 'infra/envs/dev/versions.tf',
        line: lineOf(tf, 'version ='),
        message: expect.stringContaining(message),
      },
    ]);
  });

  it('accepts a provider range with an upper bound', () => {
    expect(
      unpinned(
        cleanRepo({
          'infra/envs/dev/versions.tf': versionsTf('>= 5.0, < 6.0'),
        }),
      ),
    ).toEqual([]);
  });

  it('fires on a provider configured with no required_providers entry', () => {
    const files = cleanRepo({ 'infra/envs/dev/versions.tf': '' });
    expect(unpinned(files)).toEqual([
      {
        file: 'infra/envs/dev/main.tf',
        line: lineOf(cleanFile('infra/envs/dev/main.tf'), 'provider "aws"'),
        message: expect.stringContaining(
          'provider aws is configured without a required_providers entry',
        ),
      },
    ]);
  });

  it('fires on registry modules without a version and git modules without a ref', () => {
    const tf = `module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}

module "labels" {
  source = "git::https://github.com/cloudposse/terraform-null-label.git"
}
`;
    expect(unpinned(cleanRepo({ 'infra/modules/vpc/main.tf': tf }))).toEqual([
      {
        file: 'infra/modules/vpc/main.tf',
        line: 1,
        message: expect.stringContaining('has no version'),
      },
      {
        file: 'infra/modules/vpc/main.tf',
        line: 6,
        message: expect.stringContaining('without ?ref='),
      },
    ]);
  });

  it('fires on a Karpenter EC2NodeClass that follows the latest AMI', () => {
    const nodeClass = `apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: gpu
spec:
  role: demo-dev-node
  amiSelectorTerms:
    - alias: al2023@latest
`;
    expect(
      unpinned(
        cleanRepo({ 'k8s/base/karpenter/ec2nodeclass.yaml': nodeClass }),
      ),
    ).toEqual([
      {
        file: 'k8s/base/karpenter/ec2nodeclass.yaml',
        line: 8,
        message: expect.stringContaining('al2023@latest'),
      },
    ]);
  });
});

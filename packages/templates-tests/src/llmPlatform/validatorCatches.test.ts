import fs from 'node:fs';
import path from 'node:path';
import {
  collectRepositoryFiles,
  directoryReader,
  validateRepository,
  type RepoFile,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { ADDON_PARAMETERS, SEED_PARAMETERS } from './parameterSets';
import {
  GeneratedPlatform,
  removePlatform,
  renderLlmPlatform,
} from './renderLlmPlatform';

/**
 * One test per seed failure that can be seen in files: render the seed
 * platform, break the copy the way the seed describes, and see the preflight
 * rule catalogue (shared with llm-platform:validate) report that failure id.
 */
jest.setTimeout(120_000);

const nodeReader = directoryReader(fs, path);

type Files = Map<string, string>;

function edit(files: Files, file: string, from: string | RegExp, to: string) {
  const text = files.get(file);
  if (text === undefined) throw new Error(`no file ${file}`);
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file}: ${from} not found`);
  files.set(file, changed);
}

const account = SEED_PARAMETERS.awsAccountId;
const base = 'k8s/base';
const obs = `${base}/observability`;

const BREAKS: { id: string; how: string; apply: (f: Files) => void }[] = [
  {
    id: 'D01',
    how: 'the EBS CSI add-on is dropped from Terraform',
    apply: f => {
      edit(f, 'infra/live/main.tf', / {4}aws-ebs-csi-driver = \{[^}]*\}\n/, '');
      edit(
        f,
        'infra/live/variables.tf',
        / {4}aws-ebs-csi-driver = optional\(string\)\n/,
        '',
      );
    },
  },
  {
    id: 'D02',
    how: 'a PVC names a StorageClass nothing creates',
    apply: f =>
      edit(
        f,
        `${obs}/prometheus/deployment.yaml`,
        'storageClassName: gp3',
        'storageClassName: fast-ssd',
      ),
  },
  {
    id: 'D03',
    how: 'Prometheus loses its fsGroup',
    apply: f =>
      edit(
        f,
        `${obs}/prometheus/deployment.yaml`,
        '        fsGroup: 65534\n',
        '',
      ),
  },
  {
    id: 'D04',
    how: 'Loki 3 gets enforce_metric_name back',
    apply: f =>
      edit(
        f,
        `${obs}/loki/configmap.yaml`,
        '    limits_config:\n',
        '    limits_config:\n      enforce_metric_name: false\n',
      ),
  },
  {
    id: 'D05',
    how: 'Loki loses its fsGroup',
    apply: f =>
      edit(f, `${obs}/loki/deployment.yaml`, '        fsGroup: 10001\n', ''),
  },
  {
    id: 'D06',
    how: 'the dashboards provider ConfigMap is no longer defined',
    apply: f => {
      f.delete(`${obs}/grafana/dashboards-provider.yaml`);
      edit(
        f,
        `${obs}/grafana/kustomization.yaml`,
        '  - dashboards-provider.yaml\n',
        '',
      );
    },
  },
  {
    id: 'D07',
    how: 'the collector uses the loki exporter with a labels block',
    apply: f =>
      edit(
        f,
        `${obs}/otel-collector/configmap.yaml`,
        / {6}otlphttp\/loki:\n {8}endpoint: [^\n]*\n/,
        '      loki:\n        endpoint: http://loki.observability.svc.cluster.local:3100/loki/api/v1/push\n        labels:\n          attributes:\n            service.name: ""\n',
      ),
  },
  {
    id: 'D08',
    how: 'a ServiceMonitor is added without the Prometheus Operator',
    apply: f => {
      f.set(
        `${base}/llm-serving/servicemonitor.yaml`,
        'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: vllm\n  namespace: llm-serving\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: vllm\n  endpoints:\n    - port: http\n',
      );
      edit(
        f,
        `${base}/llm-serving/kustomization.yaml`,
        '  - vllm-service.yaml\n',
        '  - vllm-service.yaml\n  - servicemonitor.yaml\n',
      );
    },
  },
  {
    id: 'D09',
    how: 'the GPU node group sets no AMI type, so EKS picks the standard one',
    apply: f =>
      edit(
        f,
        'infra/modules/eks/main.tf',
        '  ami_type = var.gpu_ami_type\n',
        '',
      ),
  },
  {
    id: 'D10',
    how: 'the NVIDIA device plugin is not deployed',
    apply: f => {
      edit(f, `${base}/kustomization.yaml`, '  - gpu\n', '');
      f.delete(`${base}/gpu/kustomization.yaml`);
      f.delete(`${base}/gpu/nvidia-device-plugin.yaml`);
    },
  },
  {
    id: 'D11',
    how: 'vLLM requests 4 CPU and 16Gi on a g4dn.xlarge',
    apply: f =>
      edit(
        f,
        `${base}/llm-serving/vllm-deployment.yaml`,
        /requests:\n(\s+)cpu: "[^"]*"\n(\s+)memory: \S+/,
        'requests:\n$1cpu: "4"\n$2memory: 16Gi',
      ),
  },
  {
    id: 'D13',
    how: 'the dev overlay merges a configMapGenerator onto the plain gateway ConfigMap',
    apply: f =>
      edit(
        f,
        'k8s/overlays/dev/kustomization.yaml',
        'patches:\n',
        'configMapGenerator:\n  - name: gateway-config\n    namespace: platform\n    behavior: merge\n    literals:\n      - LOG_LEVEL=DEBUG\n\npatches:\n',
      ),
  },
  {
    id: 'D14',
    how: 'the base uses commonLabels',
    apply: f =>
      edit(
        f,
        `${base}/kustomization.yaml`,
        'labels:\n',
        'commonLabels:\n  app.kubernetes.io/part-of: llm-platform\nlabels:\n',
      ),
  },
  {
    id: 'D15',
    how: 'an overlay adds a label to every selector',
    apply: f =>
      edit(
        f,
        'k8s/overlays/dev/kustomization.yaml',
        'labels:\n',
        'commonLabels:\n  environment: dev\nlabels:\n',
      ),
  },
  {
    id: 'D16',
    how: 'vLLM serves Mistral-7B fp16 on the T4',
    apply: f =>
      edit(
        f,
        `${base}/llm-serving/vllm-deployment.yaml`,
        '            - "TheBloke/Mistral-7B-Instruct-v0.2-AWQ"\n            - "--dtype"\n            - "half"\n            - "--quantization"\n            - "awq"\n',
        '            - "mistralai/Mistral-7B-Instruct-v0.2"\n            - "--dtype"\n            - "half"\n',
      ),
  },
  {
    id: 'D17',
    how: 'a Secret with an unfilled ${HF_TOKEN} placeholder is committed',
    apply: f => {
      f.set(
        `${base}/llm-serving/hf-token-secret.yaml`,
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: hf-token\n  namespace: llm-serving\nstringData:\n  token: ${HF_TOKEN}\n',
      );
      edit(
        f,
        `${base}/llm-serving/kustomization.yaml`,
        'resources:\n',
        'resources:\n  - hf-token-secret.yaml\n',
      );
    },
  },
  {
    id: 'D18',
    how: 'the base lists a deleted file',
    apply: f =>
      edit(
        f,
        `${base}/llm-serving/kustomization.yaml`,
        'resources:\n',
        'resources:\n  - deployment.yaml\n',
      ),
  },
  {
    id: 'D19',
    how: 'images name ACCOUNT_ID',
    apply: f =>
      edit(
        f,
        `${base}/gateway/deployment.yaml`,
        `${account}.dkr.ecr`,
        'ACCOUNT_ID.dkr.ecr',
      ),
  },
  {
    id: 'D20',
    how: 'the dev overlay uses a tag CI never pushes',
    apply: f =>
      edit(
        f,
        'k8s/overlays/dev/kustomization.yaml',
        'newTag: dev-latest',
        'newTag: v1.2.3',
      ),
  },
  {
    id: 'D21',
    how: 'a Dockerfile copies ../shared',
    apply: f =>
      edit(
        f,
        'services/quant-api/Dockerfile',
        'COPY shared/ /app/shared/',
        'COPY ../shared /app/shared',
      ),
  },
  {
    id: 'D22',
    how: 'a Dockerfile loses PYTHONPATH',
    apply: f =>
      edit(f, 'services/eval-api/Dockerfile', 'ENV PYTHONPATH=/app\n', ''),
  },
  {
    id: 'D23',
    how: 'httpx is dropped from the requirements',
    apply: f =>
      edit(f, 'services/shared/requirements.txt', /^httpx==.*\n/m, ''),
  },
  {
    id: 'D24',
    how: 'the services stop serving /startup, which their probes call',
    apply: f =>
      edit(
        f,
        'services/shared/health.py',
        '@app.get("/startup"',
        '@app.get("/started"',
      ),
  },
  {
    id: 'D25',
    how: 'the gateway Service listens on 80 and forwards to 8000',
    apply: f =>
      edit(
        f,
        `${base}/gateway/service.yaml`,
        'port: 8000\n      targetPort: http',
        'port: 80\n      targetPort: 8000',
      ),
  },
  {
    id: 'D26',
    how: 'a route URL loses its port',
    apply: f =>
      edit(
        f,
        `${base}/gateway/configmap.yaml`,
        'http://quant-api.quant.svc.cluster.local:8000',
        'http://quant-api.quant.svc.cluster.local',
      ),
  },
  {
    id: 'D28',
    how: 'a script creates the add-on with the AWS CLI',
    apply: f =>
      edit(
        f,
        'scripts/golden-checks.sh',
        'set -euo pipefail\n',
        'set -euo pipefail\naws eks create-addon --cluster-name llmplatform-dev --addon-name aws-ebs-csi-driver\n',
      ),
  },
  {
    id: 'D29',
    how: 'the Grafana dashboards ConfigMap is no longer defined',
    apply: f => {
      f.delete(`${obs}/grafana/dashboards.yaml`);
      edit(f, `${obs}/grafana/kustomization.yaml`, '  - dashboards.yaml\n', '');
    },
  },
  {
    id: 'P1',
    how: 'the GPU group gets a custom launch template without user data',
    apply: f =>
      edit(
        f,
        'infra/modules/eks/main.tf',
        'resource "aws_eks_node_group" "gpu" {\n',
        'resource "aws_launch_template" "gpu" {\n  name_prefix = "gpu-"\n  image_id    = "ami-0123456789abcdef0"\n  tags        = var.tags\n}\n\nresource "aws_eks_node_group" "gpu" {\n  launch_template {\n    id      = aws_launch_template.gpu.id\n    version = "$Latest"\n  }\n',
      ),
  },
  {
    id: 'P2',
    how: 'a tag key keeps an unresolved value',
    apply: f =>
      edit(
        f,
        'infra/modules/eks/main.tf',
        '    "llm-platform.io/node-group" = "gpu"\n',
        '    "llm-platform.io/node-group" = "gpu"\n    "k8s.io/cluster-autoscaler/${{ values.clusterName }}" = "owned"\n',
      ),
  },
  {
    id: 'P4',
    how: 'the provider loses default_tags and the VPC its tags',
    apply: f => {
      edit(
        f,
        'infra/live/versions.tf',
        / {2}default_tags \{\n {4}tags = local\.tags\n {2}\}\n/,
        '',
      );
      edit(
        f,
        'infra/bootstrap/main.tf',
        / {2}default_tags \{\n {4}tags = local\.tags\n {2}\}\n/,
        '',
      );
      edit(
        f,
        'infra/modules/vpc/main.tf',
        '  tags = merge(var.tags, { Name = var.name })\n\n  lifecycle {',
        '  lifecycle {',
      );
    },
  },
  {
    id: 'D04',
    how: 'Grafana follows the latest image',
    apply: f =>
      edit(
        f,
        `${obs}/grafana/deployment.yaml`,
        /image: docker\.io\/grafana\/grafana:[\w.-]+/,
        'image: docker.io/grafana/grafana:latest',
      ),
  },
];

const karpenter = `${base}/karpenter`;

/** Mistakes in the add-ons, on the platform rendered with every add-on on. */
const ADDON_BREAKS: typeof BREAKS = [
  {
    id: 'D10',
    how: 'the GPU NodePool taints its nodes with a key the device plugin does not tolerate',
    apply: f =>
      edit(
        f,
        `${karpenter}/nodepool-gpu.yaml`,
        '        - key: nvidia.com/gpu\n',
        '        - key: dedicated\n',
      ),
  },
  {
    id: 'D10',
    how: 'the GPU NodePool loses the nvidia.com/gpu.present label',
    apply: f =>
      edit(
        f,
        `${karpenter}/nodepool-gpu.yaml`,
        '        nvidia.com/gpu.present: "true"\n',
        '',
      ),
  },
  {
    id: 'D08',
    how: 'NodePools stay while Terraform no longer installs Karpenter',
    apply: f => {
      for (const file of [...f.keys()])
        if (file.startsWith('infra/modules/karpenter/')) f.delete(file);
    },
  },
  {
    id: 'T-ingress',
    how: 'the private subnets lose the internal-elb tag the internal ALB needs',
    apply: f =>
      edit(
        f,
        'infra/modules/vpc/main.tf',
        /\n {4}"kubernetes\.io\/role\/internal-elb" += "1"/,
        '',
      ),
  },
  {
    id: 'T-ingress',
    how: 'the ALB ingress loses its health-check path',
    apply: f =>
      edit(
        f,
        `${base}/ingress/ingress.yaml`,
        /\n {4}alb\.ingress\.kubernetes\.io\/healthcheck-path: \/health/,
        '',
      ),
  },
  {
    id: 'T-ingress',
    how: 'Terraform no longer installs the AWS Load Balancer Controller',
    apply: f => {
      for (const file of [...f.keys()])
        if (file.startsWith('infra/modules/aws-load-balancer-controller/'))
          f.delete(file);
    },
  },
  {
    id: 'T-crashloop',
    how: 'the network policies deny egress but no longer allow DNS over UDP',
    apply: f =>
      edit(
        f,
        `${base}/network-policy/default-deny.yaml`,
        /\n {8}- protocol: UDP\n {10}port: 53/g,
        '',
      ),
  },
  {
    id: 'T-crashloop',
    how: 'the VPC CNI no longer enforces the network policies',
    apply: f =>
      edit(
        f,
        'infra/live/main.tf',
        /\n {6}configuration_values = jsonencode\(\{ enableNetworkPolicy = "true" \}\)/,
        '',
      ),
  },
  {
    id: 'P3',
    how: "mlflow's default-deny names another namespace",
    apply: f =>
      edit(
        f,
        `${base}/network-policy/default-deny.yaml`,
        'namespace: mlflow\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]',
        'namespace: ml-flow\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]',
      ),
  },
  {
    id: 'D04',
    how: 'the helm provider loses the upper bound of its version',
    apply: f =>
      edit(
        f,
        'infra/live/versions.tf',
        /version = "~> 2\.\d+"/,
        'version = ">= 2.17"',
      ),
  },
  {
    id: 'D04',
    how: 'the Karpenter chart version has no default any more',
    apply: f =>
      edit(
        f,
        'infra/modules/karpenter/variables.tf',
        /\n {2}default {5}= "1\.\d+\.\d+"/,
        '',
      ),
  },
  {
    id: 'T-isvc',
    how: 'the InferenceService names a runtime that does not exist',
    apply: f =>
      edit(
        f,
        `${base}/llm-serving/inferenceservice.yaml`,
        'runtime: vllm',
        'runtime: vllm-openai',
      ),
  },
  {
    id: 'D16',
    how: 'the vLLM ServingRuntime asks for a context the GPU cannot hold',
    apply: f =>
      edit(
        f,
        `${base}/llm-serving/servingruntime.yaml`,
        /--max-model-len(["=\s-]*)\d+/,
        '--max-model-len$1131072',
      ),
  },
  {
    id: 'D08',
    how: 'KServe kinds stay while Terraform no longer installs KServe',
    apply: f => {
      for (const file of [...f.keys()])
        if (file.startsWith('infra/modules/kserve/')) f.delete(file);
    },
  },
  {
    id: 'D26',
    how: 'the eval WorkflowTemplate calls eval-api without the port',
    apply: f =>
      edit(
        f,
        `${base}/pipelines/eval-workflowtemplate.yaml`,
        'eval-api.eval.svc.cluster.local:8000/predict',
        'eval-api.eval.svc.cluster.local/predict',
      ),
  },
  {
    id: 'D08',
    how: 'WorkflowTemplates stay while Terraform no longer installs Argo Workflows',
    apply: f => {
      for (const file of [...f.keys()])
        if (file.startsWith('infra/modules/argo-workflows/')) f.delete(file);
    },
  },
  {
    id: 'D06',
    how: 'nothing creates the mlflow-backend Secret MLflow reads',
    apply: f =>
      edit(
        f,
        'scripts/create-secrets.sh',
        'create secret generic mlflow-backend',
        'create secret generic mlflow-db',
      ),
  },
  {
    id: 'D17',
    how: 'the MLflow database password is committed in the manifests',
    apply: f =>
      edit(
        f,
        `${base}/mlflow/deployment.yaml`,
        '            - $(MLFLOW_BACKEND_STORE_URI)',
        '            - postgresql://mlflow:S3cretPassw0rd@mlflow-db.internal:5432/mlflow',
      ),
  },
];

function findingsAfter(files: RepoFile[], apply: (f: Files) => void) {
  const broken: Files = new Map(files.map(f => [f.path, f.content]));
  apply(broken);
  return validateRepository(
    [...broken].map(([filePath, content]) => ({ path: filePath, content })),
  ).findings;
}

describe.each([
  {
    platform: 'the seed platform',
    parameters: { ...SEED_PARAMETERS, environments: ['dev', 'prod'] },
    breaks: BREAKS,
  },
  {
    platform: 'the platform with every add-on',
    parameters: ADDON_PARAMETERS,
    breaks: ADDON_BREAKS,
  },
])('$platform', ({ parameters, breaks }) => {
  let p: GeneratedPlatform;
  let files: RepoFile[];

  beforeAll(async () => {
    p = await renderLlmPlatform(parameters);
    files = collectRepositoryFiles(p.dir, nodeReader);
  });
  afterAll(() => removePlatform(p));

  it('finds nothing in the repository as generated', () => {
    expect(validateRepository(files).findings).toEqual([]);
  });

  it.each(breaks)('$id: reports it when $how', ({ id, apply }) => {
    expect(
      findingsAfter(files, apply)
        .filter(f => f.failures.includes(id))
        .map(f => f.ruleId),
    ).not.toEqual([]);
  });
});

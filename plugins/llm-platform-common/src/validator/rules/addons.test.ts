import { validateRepository } from '../validate';
import type { RepoFile } from '../types';
import { cleanRepo } from '../__fixtures__/cleanRepo';

// The platform add-ons of the llm-platform template (Karpenter, ingress,
// network policy, KServe, Argo Workflows, MLflow) laid over the clean
// fixture: each rule stays quiet on the add-on as generated and fires on the
// mistake it names.
const repo = (
  added: Record<string, string>,
  edit?: (file: RepoFile) => string,
) => cleanRepo(added, { edit });

function withResources(extra: string[]) {
  return (f: RepoFile) =>
    f.path === 'k8s/base/kustomization.yaml'
      ? f.content.replace(
          'resources:\n',
          `resources:\n${extra.map(r => `  - ${r}\n`).join('')}`,
        )
      : f.content;
}

function findings(files: RepoFile[]) {
  return validateRepository(files).findings.map(f => ({
    ruleId: f.ruleId,
    file: f.file,
    line: f.line,
    message: f.message,
  }));
}

function lineOf(files: RepoFile[], file: string, marker: string) {
  const content = files.find(f => f.path === file)!.content;
  return content.split('\n').findIndex(l => l.includes(marker)) + 1;
}

const KARPENTER_TF = `resource "helm_release" "karpenter" {
  name       = "karpenter"
  namespace  = "karpenter"
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  version    = "1.7.3"

  depends_on = [var.node_group_arns]
}
`;

const GPU_NODEPOOL = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
spec:
  template:
    metadata:
      labels:
        nvidia.com/gpu.present: "true"
    spec:
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: gpu
      requirements:
        - key: node.kubernetes.io/instance-type
          operator: In
          values: ["g4dn.xlarge"]
      taints:
        - key: nvidia.com/gpu
          value: "true"
          effect: NoSchedule
  limits:
    nvidia.com/gpu: "2"
`;

describe('Karpenter GPU NodePools', () => {
  const karpenter = (nodePool: string, tf: string | null = KARPENTER_TF) =>
    repo(
      {
        'k8s/base/karpenter/nodepool-gpu.yaml': nodePool,
        ...(tf ? { 'infra/modules/karpenter/main.tf': tf } : {}),
      },
      withResources(['karpenter/nodepool-gpu.yaml']),
    );

  it('finds nothing when the NodePool carries the label and taint the device plugin expects, and Karpenter is installed', () => {
    expect(findings(karpenter(GPU_NODEPOOL))).toEqual([]);
  });

  it('D10: a NodePool taint the device plugin does not tolerate', () => {
    const files = karpenter(
      GPU_NODEPOOL.replace('- key: nvidia.com/gpu\n', '- key: gpu-only\n'),
    );
    expect(findings(files)).toEqual([
      {
        ruleId: 'D10-device-plugin',
        file: 'k8s/base/karpenter/nodepool-gpu.yaml',
        line: lineOf(
          files,
          'k8s/base/karpenter/nodepool-gpu.yaml',
          'template:',
        ),
        message: expect.stringMatching(
          /NodePool "gpu" taints its nodes gpu-only=true:NoSchedule, which device plugin "nvidia-device-plugin" does not tolerate/,
        ),
      },
    ]);
  });

  it('D10: a NodePool without the label the device plugin selects', () => {
    const files = karpenter(
      GPU_NODEPOOL.replace(
        'nvidia.com/gpu.present: "true"',
        'llm-platform.io/node-group: gpu',
      ),
    );
    expect(findings(files)).toEqual([
      expect.objectContaining({
        ruleId: 'D10-device-plugin',
        file: 'k8s/base/karpenter/nodepool-gpu.yaml',
        message: expect.stringContaining('does not select'),
      }),
    ]);
  });

  it('D08: NodePools without Karpenter installed', () => {
    const files = karpenter(GPU_NODEPOOL, null);
    expect(findings(files)).toEqual([
      expect.objectContaining({
        ruleId: 'D08-crd-installed',
        file: 'k8s/base/karpenter/nodepool-gpu.yaml',
        line: 1,
      }),
    ]);
  });

  it('leaves a NodePool of CPU nodes alone', () => {
    const cpuPool = GPU_NODEPOOL.replace('g4dn.xlarge', 'm6i.large').replace(
      /\n\s+taints:[\s\S]*?NoSchedule/,
      '',
    );
    expect(
      findings(karpenter(cpuPool.replace('nvidia.com/gpu.present', 'pool'))),
    ).toEqual([]);
  });
});

const ALB_INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: gateway
  namespace: platform
  annotations:
    alb.ingress.kubernetes.io/scheme: internal
    alb.ingress.kubernetes.io/target-type: ip
    alb.ingress.kubernetes.io/healthcheck-path: /health
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: gateway
                port:
                  number: 8000
`;

const ALB_CONTROLLER_TF = `resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  namespace  = "kube-system"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = "1.13.0"

  depends_on = [var.node_group_arns]
}
`;

const SUBNETS_TF = `resource "aws_subnet" "private" {
  vpc_id     = var.vpc_id
  cidr_block = "10.0.16.0/20"

  tags = merge(var.tags, {
    "kubernetes.io/role/internal-elb"           = "1"
    "kubernetes.io/cluster/\${var.cluster_name}" = "shared"
  })
}
`;

describe('ALB ingress (T-ingress)', () => {
  const alb = (parts: {
    ingress?: string;
    controller?: string | null;
    subnets?: string;
  }) =>
    repo(
      {
        'k8s/base/ingress/ingress.yaml': parts.ingress ?? ALB_INGRESS,
        'infra/modules/vpc/main.tf': parts.subnets ?? SUBNETS_TF,
        ...(parts.controller === null
          ? {}
          : {
              'infra/modules/alb/main.tf':
                parts.controller ?? ALB_CONTROLLER_TF,
            }),
      },
      withResources(['ingress/ingress.yaml']),
    );

  it('finds nothing with the controller, tagged subnets and a health-check path', () => {
    expect(findings(alb({}))).toEqual([]);
  });

  it('fires when nothing installs the AWS Load Balancer Controller', () => {
    expect(findings(alb({ controller: null }))).toEqual([
      expect.objectContaining({
        ruleId: 'T-ingress-alb',
        message: expect.stringContaining(
          'nothing installs the AWS Load Balancer Controller',
        ),
      }),
    ]);
  });

  it('fires when the subnets lack the role tag of the scheme', () => {
    const files = alb({
      subnets: SUBNETS_TF.replace(
        '    "kubernetes.io/role/internal-elb"           = "1"\n',
        '',
      ),
    });
    expect(findings(files)).toEqual([
      expect.objectContaining({
        ruleId: 'T-ingress-alb',
        file: 'k8s/base/ingress/ingress.yaml',
        line: lineOf(files, 'k8s/base/ingress/ingress.yaml', 'annotations:'),
        message: expect.stringContaining('kubernetes.io/role/internal-elb'),
      }),
    ]);
  });

  it('fires for an internet-facing ALB when only private subnets are tagged', () => {
    const files = alb({
      ingress: ALB_INGRESS.replace(
        'scheme: internal',
        'scheme: internet-facing',
      ),
    });
    expect(findings(files).map(f => f.message)).toEqual([
      expect.stringContaining(
        'no subnet in Terraform carries both kubernetes.io/role/elb',
      ),
    ]);
  });

  it('fires when the health check would probe "/"', () => {
    const files = alb({
      ingress: ALB_INGRESS.replace(
        '    alb.ingress.kubernetes.io/healthcheck-path: /health\n',
        '',
      ),
    });
    expect(findings(files)).toEqual([
      expect.objectContaining({
        ruleId: 'T-ingress-alb',
        message: expect.stringContaining('healthcheck-path'),
      }),
    ]);
  });
});

// The namespaces of the clean fixture, platform first: the DNS test breaks its
// first document.
const NAMESPACES = ['platform', 'llm', 'observability'];

const DENY = NAMESPACES.map(
  ns => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
).join('---\n');

const DNS = NAMESPACES.map(
  ns => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`,
).join('---\n');

const ADDONS_TF = `resource "aws_eks_addon" "vpc_cni" {
  cluster_name         = "demo-dev"
  addon_name           = "vpc-cni"
  configuration_values = jsonencode({ enableNetworkPolicy = "true" })
}
`;

describe('network policies (T-crashloop)', () => {
  const netpol = (files: Record<string, string>) =>
    repo(
      { 'infra/modules/addons/main.tf': ADDONS_TF, ...files },
      withResources(['network-policy/deny.yaml', 'network-policy/dns.yaml']),
    );

  it('finds nothing for default-deny with DNS allowed, enforced by the VPC CNI', () => {
    expect(
      findings(
        netpol({
          'k8s/base/network-policy/deny.yaml': DENY,
          'k8s/base/network-policy/dns.yaml': DNS,
        }),
      ),
    ).toEqual([]);
  });

  it('fires when a namespace denies egress and allows no DNS', () => {
    const files = netpol({
      'k8s/base/network-policy/deny.yaml': DENY,
      'k8s/base/network-policy/dns.yaml': DNS.replace(
        '        - protocol: UDP\n          port: 53\n',
        '',
      ),
    });
    expect(findings(files)).toEqual([
      {
        ruleId: 'T-crashloop-network-policy',
        file: 'k8s/base/network-policy/deny.yaml',
        line: lineOf(files, 'k8s/base/network-policy/deny.yaml', 'policyTypes'),
        message: expect.stringContaining('no policy there allows DNS'),
      },
    ]);
  });

  it('warns when nothing enforces the policies', () => {
    const files = netpol({
      'k8s/base/network-policy/deny.yaml': DENY,
      'k8s/base/network-policy/dns.yaml': DNS,
      'infra/modules/addons/main.tf': ADDONS_TF.replace(
        /\n.*configuration_values.*/,
        '',
      ),
    });
    expect(validateRepository(files).findings).toEqual([
      expect.objectContaining({
        ruleId: 'T-crashloop-network-policy',
        severity: 'warning',
        message: expect.stringContaining('nothing enforces them'),
      }),
    ]);
  });

  it('fires when a second CNI is installed next to the VPC CNI policy engine', () => {
    const files = netpol({
      'k8s/base/network-policy/deny.yaml': DENY,
      'k8s/base/network-policy/dns.yaml': DNS,
      'infra/modules/calico/main.tf': `resource "helm_release" "calico" {
  name       = "calico"
  repository = "https://docs.tigera.io/calico/charts"
  chart      = "tigera-operator"
  version    = "v3.28.2"
  depends_on = [var.node_group_arns]
}
`,
    });
    expect(findings(files).map(f => f.message)).toEqual([
      expect.stringContaining('two policy engines'),
    ]);
  });
});

const ADDON_NAMESPACES = `apiVersion: v1
kind: Namespace
metadata:
  name: argo
---
apiVersion: v1
kind: Namespace
metadata:
  name: mlflow
`;

const denyIn = (ns: string, types = '[Ingress, Egress]') => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: ${types}
`;

describe('namespaces without default-deny (P3)', () => {
  const uncovered = (files: Record<string, string>, tf = ADDONS_TF) =>
    findings(
      repo(
        {
          'infra/modules/addons/main.tf': tf,
          'k8s/base/network-policy/dns.yaml': DNS,
          'k8s/base/addons/namespaces.yaml': ADDON_NAMESPACES,
          ...files,
        },
        withResources([
          'addons/namespaces.yaml',
          'network-policy/deny.yaml',
          'network-policy/dns.yaml',
        ]),
      ),
    ).filter(f => f.ruleId === 'P3-netpol-default-deny');

  it("finds nothing when every namespace denies by default, the add-ons' included", () => {
    expect(
      uncovered({
        'k8s/base/network-policy/deny.yaml':
          DENY + denyIn('argo') + denyIn('mlflow'),
      }),
    ).toEqual([]);
  });

  it('finds nothing while network policies are off', () => {
    expect(
      findings(
        repo(
          { 'k8s/base/addons/namespaces.yaml': ADDON_NAMESPACES },
          withResources(['addons/namespaces.yaml']),
        ),
      ),
    ).toEqual([]);
  });

  it('fires on an add-on namespace left open, at its Namespace', () => {
    const found = uncovered({
      'k8s/base/network-policy/deny.yaml': DENY + denyIn('argo'),
    });
    expect(found).toEqual([
      {
        ruleId: 'P3-netpol-default-deny',
        file: 'k8s/base/addons/namespaces.yaml',
        line: 9,
        message: expect.stringMatching(
          /^namespace mlflow has no default-deny NetworkPolicy for ingress and egress: .* accept connections from any pod and reach any address$/,
        ),
      },
    ]);
  });

  it('fires when only ingress is denied', () => {
    const found = uncovered({
      'k8s/base/network-policy/deny.yaml':
        DENY + denyIn('argo') + denyIn('mlflow', '[Ingress]'),
    });
    expect(found.map(f => f.message)).toEqual([
      expect.stringMatching(
        /^namespace mlflow has no default-deny .* for egress: .* reach any address$/,
      ),
    ]);
  });

  it('fires on a namespace that only a workload names, once enforcement is on', () => {
    const jobs = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
  namespace: jobs
spec:
  selector: { matchLabels: { app: batch } }
  template:
    metadata: { labels: { app: batch } }
    spec:
      containers:
        - name: batch
          image: python:3.12-slim
`;
    const found = uncovered({
      'k8s/base/network-policy/deny.yaml':
        DENY + denyIn('argo') + denyIn('mlflow'),
      'k8s/base/jobs/batch.yaml': jobs,
    });
    expect(found).toEqual([
      expect.objectContaining({
        file: 'k8s/base/jobs/batch.yaml',
        line: 5,
        message: expect.stringContaining('namespace jobs'),
      }),
    ]);
  });
});

const RUNTIME = `apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata:
  name: vllm
  namespace: llm-serving
spec:
  supportedModelFormats:
    - name: vllm
      autoSelect: true
  containers:
    - name: kserve-container
      image: docker.io/vllm/vllm-openai:v0.10.1.1
`;

const ISVC = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: vllm
  namespace: llm-serving
spec:
  predictor:
    model:
      modelFormat:
        name: vllm
      runtime: vllm
`;

const KSERVE_TF = `resource "helm_release" "kserve_crd" {
  name       = "kserve-crd"
  repository = "oci://ghcr.io/kserve/charts"
  chart      = "kserve-crd"
  version    = "v0.15.2"
  depends_on = [var.node_group_arns]
}
`;

describe('KServe (T-isvc, D08)', () => {
  const kserve = (files: Record<string, string | null>) => {
    const all: Record<string, string> = {};
    const defaults: Record<string, string> = {
      'k8s/base/llm/runtime.yaml': RUNTIME,
      'k8s/base/llm/isvc.yaml': ISVC,
      'infra/modules/kserve/main.tf': KSERVE_TF,
    };
    for (const [p, c] of Object.entries({ ...defaults, ...files }))
      if (c !== null) all[p] = c;
    return repo(
      all,
      withResources(
        ['llm/runtime.yaml', 'llm/isvc.yaml'].filter(
          r => `k8s/base/${r}` in all,
        ),
      ),
    );
  };

  it('finds nothing for a vLLM runtime, its InferenceService and the KServe CRDs', () => {
    expect(findings(kserve({}))).toEqual([]);
  });

  it('fires when the InferenceService names a runtime nobody defines', () => {
    const files = kserve({ 'k8s/base/llm/runtime.yaml': null });
    expect(findings(files)).toEqual([
      {
        ruleId: 'T-isvc-runtime',
        file: 'k8s/base/llm/isvc.yaml',
        line: lineOf(files, 'k8s/base/llm/isvc.yaml', 'model:'),
        message: expect.stringContaining('names runtime "vllm"'),
      },
    ]);
  });

  it('fires when the runtime does not support the model format', () => {
    const files = kserve({
      'k8s/base/llm/runtime.yaml': RUNTIME.replace(
        '- name: vllm',
        '- name: huggingface',
      ),
    });
    expect(findings(files).map(f => f.message)).toEqual([
      expect.stringContaining('does not list in supportedModelFormats'),
    ]);
  });

  it('D08: KServe kinds without the KServe CRDs', () => {
    const files = kserve({ 'infra/modules/kserve/main.tf': null });
    expect(
      findings(files)
        .map(f => `${f.ruleId} ${f.file}`)
        .sort(),
    ).toEqual([
      'D08-crd-installed k8s/base/llm/isvc.yaml',
      'D08-crd-installed k8s/base/llm/runtime.yaml',
    ]);
  });
});

describe('MLflow backend store (D17)', () => {
  it('fires on a connection URL with its password, not on one filled from the environment', () => {
    const files = (uri: string) =>
      repo(
        {
          'k8s/base/mlflow/args.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: mlflow-args
  namespace: mlflow
data:
  uri: ${uri}
`,
        },
        withResources(['mlflow/args.yaml']),
      );
    expect(
      findings(files('postgresql://mlflow:hunter22@db.internal:5432/mlflow')),
    ).toEqual([
      expect.objectContaining({
        ruleId: 'D17-no-committed-secrets',
        file: 'k8s/base/mlflow/args.yaml',
        line: 7,
      }),
    ]);
    expect(
      findings(
        files('postgresql://mlflow:$(DB_PASSWORD)@db.internal:5432/mlflow'),
      ),
    ).toEqual([]);
  });
});

describe('KServe model servers under the model-server rules', () => {
  const GPU_ISVC = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: vllm
  namespace: llm-serving
spec:
  predictor:
    nodeSelector:
      nvidia.com/gpu.present: "true"
      node.kubernetes.io/instance-type: g4dn.xlarge
    tolerations:
      - key: nvidia.com/gpu
        operator: Exists
        effect: NoSchedule
    model:
      modelFormat:
        name: vllm
      runtime: vllm
      resources:
        requests:
          cpu: "3"
          memory: 12Gi
          nvidia.com/gpu: "1"
        limits:
          nvidia.com/gpu: "1"
`;
  const runtimeWith = (args: string) =>
    RUNTIME.replace(
      '      image: docker.io/vllm/vllm-openai:v0.10.1.1\n',
      `      image: docker.io/vllm/vllm-openai:v0.10.1.1\n      args: [${args}]\n`,
    );
  const kserve = (runtime: string, isvc = GPU_ISVC) =>
    repo(
      {
        'k8s/base/llm/runtime.yaml': runtime,
        'k8s/base/llm/isvc.yaml': isvc,
        'infra/modules/kserve/main.tf': KSERVE_TF,
      },
      withResources(['llm/runtime.yaml', 'llm/isvc.yaml']),
    );

  it('accepts a model that fits the GPU of the predictor', () => {
    expect(
      findings(
        kserve(
          runtimeWith(
            '"--model=TheBloke/Mistral-7B-Instruct-v0.2-AWQ", "--quantization=awq", "--dtype=half", "--max-model-len=4096"',
          ),
        ),
      ),
    ).toEqual([]);
  });

  it('D16: refuses Mistral-7B fp16 on the T4 the predictor selects', () => {
    const files = kserve(
      runtimeWith(
        '"--model=mistralai/Mistral-7B-Instruct-v0.2", "--dtype=half", "--max-model-len=2048"',
      ),
    );
    expect(findings(files).map(f => `${f.ruleId} ${f.file}`)).toEqual([
      'D16-vllm-fits k8s/base/llm/isvc.yaml',
    ]);
  });

  it('D11: refuses requests above what the predictor node can allocate', () => {
    const files = kserve(
      runtimeWith(
        '"--model=TheBloke/Mistral-7B-Instruct-v0.2-AWQ", "--quantization=awq", "--dtype=half", "--max-model-len=4096"',
      ),
      GPU_ISVC.replace('memory: 12Gi', 'memory: 16Gi'),
    );
    expect(findings(files).map(f => f.ruleId)).toEqual([
      'D11-requests-fit-node',
    ]);
  });
});

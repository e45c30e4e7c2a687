/**
 * Parameter sets of the llm-platform template's test matrix. Together they
 * cover every non-empty subset of environments, every GPU family of the
 * planner's catalog, pre-quantized (AWQ), planner-chosen and full-precision
 * models, a custom Hugging Face model, one and several replicas, and the
 * services and observability components on and off.
 */
export interface ParameterSet {
  label: string;
  parameters: Record<string, any>;
}

const ALL_SERVICES = ['gateway', 'quant-api', 'finetune-api', 'eval-api'];
const ALL_OBSERVABILITY = [
  'prometheus',
  'grafana',
  'loki',
  'tempo',
  'otel-collector',
  'dcgm-exporter',
];

function parameters(overrides: Record<string, any>): Record<string, any> {
  return {
    name: 'llm-platform',
    owner: 'group:default/ml-platform',
    system: 'llm-platform',
    description: 'LLM serving platform for the ML teams',
    awsAccountId: '388691194728',
    awsRegion: 'us-west-2',
    clusterName: 'llmplatform',
    kubernetesVersion: '1.32',
    environments: ['dev'],
    vpcCidr: '10.0.0.0/16',
    model: 'mistral-7b-instruct-v0.2-awq',
    instanceType: 'g4dn.xlarge',
    quantization: 'auto',
    tensorParallelSize: 1,
    maxModelLen: 4096,
    replicas: 1,
    gpuMinSize: 1,
    gpuMaxSize: 2,
    services: ALL_SERVICES,
    observability: ALL_OBSERVABILITY,
    grafanaUrl: 'http://localhost:3000',
    publisher: 'local',
    ...overrides,
  };
}

/** The seed deployment: Mistral-7B AWQ on a T4 at 4096 tokens, everything on. */
export const SEED_PARAMETERS = parameters({});

/** Every platform add-on on, as the break-it tests of the add-ons use it. */
export const ADDON_PARAMETERS = parameters({
  name: 'addons',
  model: 'qwen2.5-7b-instruct-awq',
  instanceType: 'g5.2xlarge',
  environments: ['dev', 'prod'],
  gpuMinSize: 0,
  gpuMaxSize: 3,
  gpuAutoscaling: 'karpenter',
  generalAutoscaling: 'karpenter',
  ingress: 'alb',
  networkPolicy: true,
  servingRuntime: 'kserve',
  argoWorkflows: true,
  mlflow: true,
});

export const PARAMETER_SETS: ParameterSet[] = [
  {
    label: 'T4 g4dn.xlarge, Mistral AWQ, dev, all on',
    parameters: SEED_PARAMETERS,
  },
  {
    label:
      'A10G g5.xlarge, Mistral fp16, staging, no services, no observability, internal ALB to vLLM, network policies',
    parameters: parameters({
      name: 'mistral-fp16',
      system: 'serving',
      model: 'mistral-7b-instruct-v0.2',
      quantization: 'none',
      instanceType: 'g5.xlarge',
      environments: ['staging'],
      services: [],
      observability: [],
      ingress: 'alb',
      networkPolicy: true,
    }),
  },
  {
    label:
      'L4 g6.xlarge, Llama 8B auto at 8192, prod, gateway, Prometheus and Grafana',
    parameters: parameters({
      model: 'llama-3.1-8b-instruct',
      instanceType: 'g6.xlarge',
      maxModelLen: 8192,
      environments: ['prod'],
      services: ['gateway'],
      observability: ['prometheus', 'grafana'],
      kubernetesVersion: '1.33',
      awsRegion: 'eu-west-1',
    }),
  },
  {
    label:
      'L40S g6e.xlarge, Qwen 7B fp16 at 16k, dev+staging, two team services, Loki and OTel, network policies, Argo eval pipeline, MLflow',
    parameters: parameters({
      model: 'qwen2.5-7b-instruct',
      quantization: 'none',
      instanceType: 'g6e.xlarge',
      maxModelLen: 16384,
      environments: ['dev', 'staging'],
      services: ['quant-api', 'eval-api'],
      observability: ['loki', 'otel-collector'],
      vpcCidr: '10.20.0.0/16',
      networkPolicy: true,
      argoWorkflows: true,
      mlflow: true,
    }),
  },
  {
    label:
      'A100 80 GB p4de, Llama 70B fp16 over 4 GPUs, dev+prod, Prometheus and DCGM',
    parameters: parameters({
      name: 'llama70b',
      model: 'llama-3.1-70b-instruct',
      quantization: 'none',
      instanceType: 'p4de.24xlarge',
      tensorParallelSize: 4,
      maxModelLen: 8192,
      environments: ['dev', 'prod'],
      observability: ['prometheus', 'dcgm-exporter'],
      kubernetesVersion: '1.30',
    }),
  },
  {
    label:
      'H100 p5, Mixtral fp8 over 2 GPUs, 2 replicas, staging+prod, GitHub, internet-facing ALB, network policies',
    parameters: parameters({
      model: 'mixtral-8x7b-instruct-v0.1',
      quantization: 'fp8',
      instanceType: 'p5.48xlarge',
      tensorParallelSize: 2,
      replicas: 2,
      gpuMinSize: 1,
      gpuMaxSize: 3,
      environments: ['staging', 'prod'],
      publisher: 'github',
      repoUrl: 'github.com?owner=acme&repo=mixtral-platform',
      ingress: 'alb',
      ingressScheme: 'internet-facing',
      networkPolicy: true,
      grafanaUrl: 'https://grafana.acme.example',
    }),
  },
  {
    label: 'A100 40 GB p4d, custom Hugging Face model, all environments',
    parameters: parameters({
      model: 'custom',
      customModel: {
        hfId: 'mistralai/Mistral-Nemo-Instruct-2407',
        numLayers: 40,
        hiddenSize: 5120,
        numAttentionHeads: 32,
        numKeyValueHeads: 8,
        headDim: 128,
        paramsBillion: 12.2,
        vocabSize: 131072,
        maxPositionEmbeddings: 131072,
      },
      instanceType: 'p4d.24xlarge',
      maxModelLen: 8192,
      environments: ['dev', 'staging', 'prod'],
    }),
  },
  {
    label: 'H200 p5e, small Qwen 0.5B, all environments, 3 replicas on KServe',
    parameters: parameters({
      model: 'qwen2.5-0.5b-instruct',
      instanceType: 'p5e.48xlarge',
      replicas: 3,
      gpuMinSize: 0,
      gpuMaxSize: 4,
      environments: ['dev', 'staging', 'prod'],
      servingRuntime: 'kserve',
    }),
  },
  {
    label:
      '4x T4 g4dn.12xlarge, Llama 8B AWQ, 2 single-GPU replicas, dev+staging, Karpenter GPU NodePool, Cluster Autoscaler',
    parameters: parameters({
      gpuAutoscaling: 'karpenter',
      generalAutoscaling: 'cluster-autoscaler',
      model: 'llama-3.1-8b-instruct-awq',
      instanceType: 'g4dn.12xlarge',
      replicas: 2,
      environments: ['dev', 'staging'],
      services: ['gateway', 'finetune-api'],
      observability: ['prometheus', 'grafana', 'tempo', 'otel-collector'],
    }),
  },
  {
    label:
      'A10G g5.2xlarge, Qwen 7B AWQ, dev+prod, every add-on: Karpenter for GPU and general nodes, ALB, network policies, KServe, Argo, MLflow',
    parameters: ADDON_PARAMETERS,
  },
];

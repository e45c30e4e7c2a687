import fs from 'node:fs/promises';
import path from 'node:path';
import {
  estimateNodeAllocatable,
  findInstance,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  containers,
  cpuMillis,
  K8sObject,
  memoryMiB,
  parseTerraform,
  podRequests,
  podSpec,
  runCommand,
  terraformEval,
  terraformFmtCheck,
  terraformReferences,
  validateKubernetesSchemas,
} from './generatedRepo';
import { connectionAllowed, Peer } from './networkPolicies';
import { PARAMETER_SETS } from './parameterSets';
import {
  GeneratedPlatform,
  removePlatform,
  renderLlmPlatform,
} from './renderLlmPlatform';

jest.setTimeout(180_000);

const PYTHON = '/usr/bin/python3';
const WORKLOADS = ['Deployment', 'DaemonSet', 'StatefulSet'];
// Secrets the manifests read that scripts/create-secrets.sh creates in the cluster.
const SECRETS_CREATED_BY_SCRIPT = [
  'hf-token',
  'grafana-admin',
  'mlflow-backend',
];
// Per-node requests of the EKS add-on DaemonSets (aws-node, kube-proxy,
// ebs-csi-node), as the fit planner's node reservations count them.
const ADDON_DAEMONSETS = { cpu: 155, memory: 248 };
// Cluster-wide kube-system pods on general nodes: 2 CoreDNS, 2 EBS CSI controllers.
const KUBE_SYSTEM = { cpu: 2 * 100 + 2 * 60, memory: 2 * 70 + 2 * 240 };
// EKS allocatable of the general node group's instance types.
const GENERAL_ALLOCATABLE: Record<string, { cpu: number; memory: number }> = {
  't3.large': { cpu: 1930, memory: 7069 },
  't3.xlarge': { cpu: 3920, memory: 14885 },
};
// Expressions GitHub Actions evaluates; only these may remain in the workflow.
const GITHUB_EXPRESSION = /^\s*(matrix|inputs|secrets|vars|env|github)\./;

function byKind(objects: K8sObject[], kind: string) {
  return objects.filter(o => o.kind === kind);
}

/**
 * Requests of the controllers Terraform installs with Helm on the general
 * nodes, from the `set` entries of each helm_release (replicas included).
 */
function helmControllerRequests(p: GeneratedPlatform) {
  const sum = { cpu: 0, memory: 0 };
  for (const [file, tf] of p.terraform) {
    if (!file.startsWith('infra/modules/')) continue;
    for (const [release] of Object.values<any[]>(
      tf.resource?.helm_release ?? {},
    )) {
      const set = Object.fromEntries(
        (release.set ?? []).map((s: any) => [s.name, s.value]),
      );
      const replicas = Number(set.replicas ?? set.replicaCount ?? 1);
      const requests = (key: string) =>
        Object.entries(set)
          .filter(([name]) => name.endsWith(`resources.requests.${key}`))
          .map(([, v]) => String(v));
      sum.cpu +=
        replicas * requests('cpu').reduce((a, q) => a + cpuMillis(q), 0);
      sum.memory +=
        replicas * requests('memory').reduce((a, q) => a + memoryMiB(q), 0);
    }
  }
  return sum;
}

/** True when the parameters choose an add-on that Terraform installs with Helm. */
function usesHelm(parameters: Record<string, any>) {
  return (
    [parameters.gpuAutoscaling, parameters.generalAutoscaling].some(
      a => a && a !== 'fixed',
    ) ||
    parameters.ingress === 'alb' ||
    parameters.servingRuntime === 'kserve' ||
    Boolean(parameters.argoWorkflows)
  );
}

function tfvars(p: GeneratedPlatform, env: string) {
  return p.terraform.get(`infra/envs/${env}/terraform.tfvars`)!;
}

/**
 * The CIDRs of the public or private subnets as infra/modules/vpc computes
 * them, evaluated by Terraform from the module's own cidr_block expression
 * for every availability zone it may use.
 */
async function vpcSubnets(p: GeneratedPlatform, kind: 'public' | 'private') {
  const vpc = p.terraform.get('infra/modules/vpc/main.tf')!;
  const variables = p.terraform.get('infra/modules/vpc/variables.tf')!;
  const azCount = variables.variable.az_count[0].default;
  const expression = String(vpc.resource.aws_subnet[kind][0].cidr_block)
    .replace(/^\$\{|\}$/g, '')
    .replace(/\bvar\.cidr\b/g, JSON.stringify(p.parameters.vpcCidr))
    .replace(/\bcount\.index\b/g, 'i');
  const [cidrs] = await terraformEval([
    `[for i in range(${azCount}) : ${expression}]`,
  ]);
  return cidrs as string[];
}

/** An address inside a CIDR block, `offset` after its network address. */
function addressIn(cidr: string, offset: number) {
  const n =
    cidr
      .split('/')[0]
      .split('.')
      .reduce((a, o) => a * 256 + Number(o), 0) + offset;
  return [24, 16, 8, 0].map(b => Math.floor(n / 2 ** b) % 256).join('.');
}

/** Whether a selector selects every pod. */
function selectsAll(selector: any) {
  return (
    !Object.keys(selector?.matchLabels ?? {}).length &&
    !(selector?.matchExpressions ?? []).length
  );
}

/** Collects what is wrong, so one assertion reports every problem at once. */
function problems() {
  const list: string[] = [];
  return {
    list,
    check(ok: unknown, problem: string) {
      if (!ok) list.push(problem);
    },
  };
}

describe.each(PARAMETER_SETS)('llm-platform: $label', ({ parameters }) => {
  let p: GeneratedPlatform;

  beforeAll(async () => {
    p = await renderLlmPlatform(parameters);
  });
  afterAll(() => removePlatform(p));

  it('renders no template expression, while GitHub expressions survive', async () => {
    const found = problems();
    for (const file of p.files) {
      const text = await p.read(file);
      if (file === '.github/workflows/ci.yaml') {
        for (const m of text.matchAll(/\$\{\{([^}]*)\}\}/g)) {
          found.check(GITHUB_EXPRESSION.test(m[1]), `${file}: ${m[0]}`);
        }
      } else {
        found.check(
          !text.includes('${{') && !/\{%|%\}/.test(text),
          `${file}: template syntax left`,
        );
      }
    }
    expect(found.list).toEqual([]);
    expect(await p.read('.github/workflows/ci.yaml')).toContain(
      '${{ vars.LLM_PLATFORM_VALIDATOR_PACKAGE }}',
    );
  });

  it('has shell scripts that parse and a workflow whose jobs and needs are consistent', async () => {
    for (const script of p.files.filter(f => f.endsWith('.sh'))) {
      const parsed = await runCommand('bash', ['-n', script], p.dir);
      expect({ script, ...parsed }).toEqual({ script, code: 0, output: '' });
    }
    const [workflow] = p.yaml.get('.github/workflows/ci.yaml')!;
    const jobs = Object.keys(workflow.jobs);
    expect(jobs).toEqual(
      expect.arrayContaining([
        'services',
        'terraform',
        'kubernetes',
        'preflight',
      ]),
    );
    const found = problems();
    for (const [name, job] of Object.entries<any>(workflow.jobs)) {
      found.check(
        job['runs-on'] && job.steps?.length,
        `job ${name} has no runner or steps`,
      );
      for (const need of job.needs ?? [])
        found.check(jobs.includes(need), `job ${name} needs unknown ${need}`);
    }
    expect(found.list).toEqual([]);
  });

  it('runs one Terraform root for every environment, each with its own state key, values and working directory', async () => {
    const found = problems();
    const keys = new Set<string>();
    for (const env of parameters.environments as string[]) {
      const backend = await parseTerraform(
        path.join(p.dir, `infra/envs/${env}/backend.hcl`),
      );
      // The same bucket, table and key as the per-environment roots had, so
      // existing state carries over.
      found.check(
        backend.key === `${parameters.name}/${env}/terraform.tfstate` &&
          backend.bucket === p.rendered.steps.fetch.input.values.stateBucket &&
          backend.dynamodb_table ===
            p.rendered.steps.fetch.input.values.lockTable &&
          backend.region === parameters.awsRegion &&
          backend.encrypt === true,
        `${env}: backend.hcl ${JSON.stringify(backend)}`,
      );
      keys.add(backend.key);
    }
    found.check(
      keys.size === parameters.environments.length,
      `state keys shared between environments: ${[...keys]}`,
    );
    const live = p.terraform.get('infra/live/backend.tf')!;
    found.check(
      JSON.stringify(live.terraform[0].backend) === '{"s3":[{}]}',
      `infra/live configures its backend itself: ${JSON.stringify(live)}`,
    );

    // scripts/terraform.sh against a terraform that prints what it was given.
    const bin = path.join(p.dir, '.stub-bin');
    await fs.mkdir(bin);
    await fs.writeFile(
      path.join(bin, 'terraform'),
      '#!/usr/bin/env bash\necho "TF_DATA_DIR=$TF_DATA_DIR $*"\n',
      { mode: 0o755 },
    );
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const tf = (...args: string[]) =>
      runCommand('bash', ['scripts/terraform.sh', ...args], p.dir, env);
    const [first] = parameters.environments as string[];
    const dataDir = `TF_DATA_DIR=${p.dir}/infra/live/.terraform-${first}`;
    const chdir = `-chdir=${p.dir}/infra/live`;
    expect(await tf(first, 'init')).toEqual({
      code: 0,
      output: `${dataDir} ${chdir} init -reconfigure -backend-config=../envs/${first}/backend.hcl\n`,
    });
    expect(await tf(first, 'apply', '-auto-approve')).toEqual({
      code: 0,
      output: `${dataDir} ${chdir} apply -var-file=../envs/${first}/terraform.tfvars -auto-approve\n`,
    });
    expect(await tf(first, 'output', '-raw', 'cluster_name')).toEqual({
      code: 0,
      output: `${dataDir} ${chdir} output -raw cluster_name\n`,
    });
    const missing = ['dev', 'staging', 'prod'].find(
      e => !parameters.environments.includes(e),
    );
    const refused = missing ? await tf(missing, 'apply') : undefined;
    found.check(
      !refused ||
        (refused.code === 2 &&
          refused.output.includes(`no environment "${missing}"`)),
      `scripts/terraform.sh runs for ${missing}, which was not chosen`,
    );
    await fs.rm(bin, { recursive: true });

    // The CI workflow's own check of the environments passes.
    const [workflow] = p.yaml.get('.github/workflows/ci.yaml')!;
    const step = workflow.jobs.terraform.steps.find(
      (st: any) => st.name === 'every environment has its state key and values',
    );
    expect(await runCommand('bash', ['-c', step.run], p.dir)).toEqual({
      code: 0,
      output: '',
    });
    expect(found.list).toEqual([]);
  });

  it('parses every YAML document', () => {
    expect(p.yaml.size).toBeGreaterThan(8);
    const empty = [...p.yaml]
      .filter(([, docs]) => docs.length === 0)
      .map(([file]) => file);
    expect(empty).toEqual([]);
  });

  it('passes the preflight validator step with no finding', () => {
    expect(p.rendered.steps.validate.output).toMatchObject({
      findings: [],
      errorCount: 0,
      warningCount: 0,
    });
  });

  it('validates every object against the Kubernetes OpenAPI schema, offline', () => {
    for (const [env, objects] of p.overlays) {
      expect({ env, errors: validateKubernetesSchemas(objects) }).toEqual({
        env,
        errors: [],
      });
    }
  });

  it('builds one overlay per chosen environment, each with the whole platform', () => {
    const overlayDirs = new Set(
      p.files
        .filter(f => f.startsWith('k8s/overlays/'))
        .map(f => f.split('/')[2]),
    );
    expect([...overlayDirs].sort()).toEqual(
      [...parameters.environments].sort(),
    );
    for (const [env, objects] of p.running) {
      const names = objects.map(o => `${o.kind}/${o.metadata.name}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'Deployment/vllm',
          'Service/vllm',
          'StorageClass/gp3',
          'DaemonSet/nvidia-device-plugin',
          ...parameters.services.map((s: string) => `Deployment/${s}`),
        ]),
      );
      const kserve = parameters.servingRuntime === 'kserve';
      const built = p.overlays
        .get(env)!
        .map(o => `${o.kind}/${o.metadata.name}`);
      expect({
        env,
        kserve: ['InferenceService/vllm', 'ServingRuntime/vllm'].every(n =>
          built.includes(n),
        ),
        deployment: built.includes('Deployment/vllm'),
      }).toEqual({ env, kserve, deployment: !kserve });
      const clusterScoped = [
        'Namespace',
        'StorageClass',
        'ClusterRole',
        'ClusterRoleBinding',
        'NodePool',
        'EC2NodeClass',
      ];
      const unplaced = objects
        .filter(o => !clusterScoped.includes(o.kind) && !o.metadata.namespace)
        .map(o => `${env}: ${o.kind}/${o.metadata.name}`);
      expect(unplaced).toEqual([]);
    }
  });

  it('leaves services and environments out when not chosen', () => {
    for (const svc of ['gateway', 'quant-api', 'finetune-api', 'eval-api']) {
      const chosen = parameters.services.includes(svc);
      expect({
        svc,
        code: p.files.includes(`services/${svc}/main.py`),
      }).toEqual({ svc, code: chosen });
      expect({
        svc,
        manifests: p.files.includes(`k8s/base/${svc}/deployment.yaml`),
      }).toEqual({ svc, manifests: chosen });
    }
    // One root module for every environment; an environment adds only its
    // state key and its values.
    for (const env of ['dev', 'staging', 'prod']) {
      const chosen = parameters.environments.includes(env);
      expect({
        env,
        files: p.files.filter(f => f.startsWith(`infra/envs/${env}/`)),
      }).toEqual({
        env,
        files: chosen
          ? [
              `infra/envs/${env}/backend.hcl`,
              `infra/envs/${env}/terraform.tfvars`,
            ]
          : [],
      });
    }
    expect(p.files.filter(f => f.startsWith('infra/live/'))).toEqual([
      'infra/live/backend.tf',
      'infra/live/main.tf',
      'infra/live/outputs.tf',
      'infra/live/variables.tf',
      'infra/live/versions.tf',
    ]);
  });

  it('passes terraform fmt -check, and every referenced variable, local and module output is defined', async () => {
    expect(await terraformFmtCheck(path.join(p.dir, 'infra'))).toBe('');
    const found = problems();
    const { terraform, read } = p;
    const roots = new Set(
      p.files.filter(f => f.endsWith('.tf')).map(f => path.dirname(f)),
    );
    for (const root of roots) {
      const tfFiles = p.files.filter(
        f => path.dirname(f) === root && f.endsWith('.tf'),
      );
      const parsed = tfFiles.map(f => terraform.get(f)!);
      const declaredVars = new Set(
        parsed.flatMap(t => Object.keys(t.variable ?? {})),
      );
      const declaredLocals = new Set(
        parsed.flatMap(t =>
          (t.locals ?? []).flatMap((l: object) => Object.keys(l)),
        ),
      );
      const modules: Record<string, any[]> = Object.assign(
        {},
        ...parsed.map(t => t.module ?? {}),
      );
      const text = (await Promise.all(tfFiles.map(f => read(f)))).join('\n');
      const refs = terraformReferences(text);
      for (const v of refs.vars)
        found.check(declaredVars.has(v), `${root}: var.${v} undeclared`);
      for (const l of refs.locals)
        found.check(declaredLocals.has(l), `${root}: local.${l} undeclared`);
      for (const ref of refs.moduleOutputs) {
        const [name, output] = ref.split('.');
        const source = modules[name]?.[0]?.source;
        const outputs = source
          ? p.terraform.get(
              path.normalize(path.join(root, source, 'outputs.tf')),
            )?.output ?? {}
          : {};
        found.check(
          output in outputs,
          `${root}: module.${ref} is not an output`,
        );
      }
      // Every module input without a default is passed by its callers.
      for (const [name, [call]] of Object.entries(modules)) {
        const moduleDir = path.normalize(path.join(root, call.source));
        const vars =
          p.terraform.get(path.join(moduleDir, 'variables.tf'))?.variable ?? {};
        for (const [v, [decl]] of Object.entries<any>(vars)) {
          found.check(
            'default' in decl || v in call,
            `${root}: module ${name} misses input ${v}`,
          );
        }
      }
    }
    // One moved block per module call of infra/live, from where the call sat
    // while infra/live called the platform as module.platform.
    const live = p.terraform.get('infra/live/main.tf')!;
    const liveModules = Object.keys(live.module);
    const moved = live.moved ?? [];
    const targets = moved.map(
      (m: any) => /^\$\{module\.(\w+)\}$/.exec(m.to)?.[1],
    );
    found.check(
      JSON.stringify([...targets].sort()) ===
        JSON.stringify([...liveModules].sort()),
      `moved blocks ${targets} do not cover the modules ${liveModules}`,
    );
    for (const m of moved)
      found.check(
        m.from === m.to.replace('module.', 'module.platform.module.'),
        `moved ${m.from} -> ${m.to}`,
      );
    // Each environment's tfvars gives every variable of infra/live without a
    // default a value, and names no variable infra/live does not declare.
    const vars = p.terraform.get('infra/live/variables.tf')!.variable;
    for (const env of parameters.environments) {
      const values = tfvars(p, env);
      for (const [v, [decl]] of Object.entries<any>(vars)) {
        found.check(
          'default' in decl || v in values,
          `${env}: tfvars misses ${v}`,
        );
      }
      for (const v of Object.keys(values))
        found.check(v in vars, `${env}: tfvars sets undeclared ${v}`);
      found.check(
        values.environment === env,
        `${env}: environment ${values.environment}`,
      );
    }
    expect(found.list).toEqual([]);
  });

  it('compiles every Python file and passes each service pytest suite under /usr/bin/python3', async () => {
    const pyFiles = p.files.filter(f => f.endsWith('.py'));
    expect(pyFiles.length).toBeGreaterThan(5);
    const compiled = await runCommand(
      PYTHON,
      ['-m', 'py_compile', ...pyFiles],
      p.dir,
    );
    expect(compiled.output).toBe('');
    for (const svc of parameters.services as string[]) {
      const result = await runCommand(
        PYTHON,
        ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'],
        path.join(p.dir, 'services', svc),
        { OTEL_EXPORTER_OTLP_ENDPOINT: '' },
      );
      expect({
        svc,
        code: result.code,
        output: result.code ? result.output : '',
      }).toEqual({
        svc,
        code: 0,
        output: '',
      });
    }
  });

  it('resolves references: selectors, ports, ConfigMaps, Secrets, PVCs and StorageClasses', async () => {
    const script = p.files.includes('scripts/create-secrets.sh')
      ? await p.read('scripts/create-secrets.sh')
      : '';
    const found = problems();
    for (const [env, objects] of p.running) {
      const has = (kind: string, name: string, ns?: string) =>
        objects.some(
          o =>
            o.kind === kind &&
            o.metadata.name === name &&
            (ns === undefined || o.metadata.namespace === ns),
        );
      const workloads = objects.filter(o => WORKLOADS.includes(o.kind));
      for (const svc of byKind(objects, 'Service')) {
        const where = `${env}: Service ${svc.metadata.name}`;
        const selected = workloads.filter(
          w =>
            w.metadata.namespace === svc.metadata.namespace &&
            Object.entries(svc.spec.selector).every(
              ([k, v]) => w.spec.template.metadata.labels?.[k] === v,
            ),
        );
        found.check(
          selected.length === 1,
          `${where} selects ${selected.length} workloads`,
        );
        const ports = selected
          .flatMap(w => containers(w))
          .flatMap(c => c.ports ?? []);
        for (const port of svc.spec.ports) {
          found.check(
            ports.some(
              cp =>
                cp.name === port.targetPort ||
                cp.containerPort === port.targetPort,
            ),
            `${where} targets ${port.targetPort}, which no container exposes`,
          );
        }
      }
      for (const w of workloads) {
        const ns = w.metadata.namespace;
        const where = `${env}: ${w.kind} ${w.metadata.name}`;
        const spec = podSpec(w);
        const labels = w.spec.template.metadata.labels ?? {};
        for (const [k, v] of Object.entries(w.spec.selector.matchLabels)) {
          found.check(
            labels[k] === v,
            `${where}: selector ${k}=${v} not on the pods`,
          );
        }
        for (const vol of spec.volumes ?? []) {
          found.check(
            !vol.configMap || has('ConfigMap', vol.configMap.name, ns),
            `${where}: ConfigMap ${vol.configMap?.name} missing`,
          );
          found.check(
            !vol.secret || has('Secret', vol.secret.secretName, ns),
            `${where}: Secret ${vol.secret?.secretName} missing`,
          );
          const claim = vol.persistentVolumeClaim?.claimName;
          found.check(
            !claim || has('PersistentVolumeClaim', claim, ns),
            `${where}: PVC ${claim} missing`,
          );
          const ephemeralClass =
            vol.ephemeral?.volumeClaimTemplate?.spec?.storageClassName;
          found.check(
            !ephemeralClass || has('StorageClass', ephemeralClass),
            `${where}: StorageClass ${ephemeralClass} missing`,
          );
        }
        found.check(
          !spec.serviceAccountName ||
            has('ServiceAccount', spec.serviceAccountName, ns),
          `${where}: ServiceAccount ${spec.serviceAccountName} missing`,
        );
        for (const c of containers(w)) {
          for (const from of c.envFrom ?? []) {
            const cm = from.configMapRef?.name;
            found.check(
              !cm || has('ConfigMap', cm, ns),
              `${where}: ConfigMap ${cm} missing`,
            );
            const secret = from.secretRef?.name;
            found.check(
              !secret ||
                has('Secret', secret, ns) ||
                (SECRETS_CREATED_BY_SCRIPT.includes(secret) &&
                  script.includes(`secret generic ${secret}`)),
              `${where}: Secret ${secret} neither defined nor created by scripts/create-secrets.sh`,
            );
          }
          for (const e of c.env ?? []) {
            const secret = e.valueFrom?.secretKeyRef?.name;
            found.check(
              !secret ||
                has('Secret', secret, ns) ||
                (SECRETS_CREATED_BY_SCRIPT.includes(secret) &&
                  script.includes(`secret generic ${secret}`)),
              `${where}: Secret ${secret} neither defined nor created by scripts/create-secrets.sh`,
            );
            const cm = e.valueFrom?.configMapKeyRef?.name;
            found.check(
              !cm || has('ConfigMap', cm, ns),
              `${where}: ConfigMap ${cm} missing`,
            );
          }
        }
      }
      for (const pvc of byKind(objects, 'PersistentVolumeClaim')) {
        found.check(
          has('StorageClass', pvc.spec.storageClassName),
          `${env}: PVC ${pvc.metadata.name} names missing StorageClass ${pvc.spec.storageClassName}`,
        );
      }
    }
    expect(found.list).toEqual([]);
  });

  it('fits the vLLM pods and the GPU DaemonSets into the GPU instance', () => {
    const instance = findInstance(p.plan.instanceType)!;
    const allocatable = estimateNodeAllocatable(instance);
    for (const [env, objects] of p.running) {
      const vllm = objects.find(
        o => o.kind === 'Deployment' && o.metadata.name === 'vllm',
      )!;
      const gpus = Number(
        containers(vllm)[0].resources.requests['nvidia.com/gpu'],
      );
      const podsPerNode = Math.min(
        vllm.spec.replicas,
        Math.floor(instance.gpuCount / gpus),
      );
      const gpuDaemonSets = byKind(objects, 'DaemonSet').filter(d =>
        JSON.stringify(podSpec(d).tolerations ?? []).includes('nvidia.com/gpu'),
      );
      const used = gpuDaemonSets
        .map(podRequests)
        .reduce(
          (s, r) => ({ cpu: s.cpu + r.cpu, memory: s.memory + r.memory }),
          { cpu: ADDON_DAEMONSETS.cpu, memory: ADDON_DAEMONSETS.memory },
        );
      const vllmRequests = podRequests(vllm);
      expect({
        env,
        cpuFits:
          used.cpu + podsPerNode * vllmRequests.cpu <= allocatable.cpuMillis,
      }).toEqual({ env, cpuFits: true });
      expect({
        env,
        memoryFits:
          used.memory + podsPerNode * vllmRequests.memory <=
          allocatable.memoryMiB,
      }).toEqual({ env, memoryFits: true });
      // /dev/shm is memory: it must fit inside the container's memory limit.
      const shm = podSpec(vllm).volumes.find((v: any) => v.name === 'dshm')
        .emptyDir.sizeLimit;
      expect(memoryMiB(shm)).toBeLessThan(
        memoryMiB(containers(vllm)[0].resources.limits.memory),
      );
      expect(gpus).toBe(p.plan.tensorParallelSize);
      expect(gpus).toBeLessThanOrEqual(instance.gpuCount);
    }
  });

  it('fits everything else into the general node group, the add-on controllers included', () => {
    const controllers = helmControllerRequests(p);
    expect(controllers.cpu > 0).toBe(usesHelm(parameters));
    for (const [env, objects] of p.running) {
      const vars = tfvars(p, env);
      const node = GENERAL_ALLOCATABLE[vars.general_instance_type];
      const nodes = vars.general_desired_size;
      const general = objects.filter(
        o => o.kind === 'Deployment' && o.metadata.name !== 'vllm',
      );
      for (const w of general) {
        expect(podSpec(w).nodeSelector).toEqual({
          'llm-platform.io/node-group': 'general',
        });
        expect(podRequests(w).cpu).toBeLessThan(node.cpu);
      }
      const total = general.reduce(
        (sum, w) => {
          const r = podRequests(w);
          const replicas = w.spec.replicas ?? 1;
          return {
            cpu: sum.cpu + r.cpu * replicas,
            memory: sum.memory + r.memory * replicas,
          };
        },
        {
          cpu: KUBE_SYSTEM.cpu + nodes * ADDON_DAEMONSETS.cpu + controllers.cpu,
          memory:
            KUBE_SYSTEM.memory +
            nodes * ADDON_DAEMONSETS.memory +
            controllers.memory,
        },
      );
      expect({
        env,
        ...total,
        fits:
          total.cpu <= nodes * node.cpu * 0.8 &&
          total.memory <= nodes * node.memory * 0.8,
      }).toEqual({
        env,
        ...total,
        fits: true,
      });
    }
  });

  it('names one version for every image, Helm chart, Terraform provider and module it renders (D04, D07, D20)', async () => {
    const found = problems();
    // Images CI builds from services/ carry the deploy tag it pushes (D20).
    const builtHere = (image: string) =>
      /\.dkr\.ecr\./.test(image) &&
      p.files.includes(
        `services/${image
          .split('@')[0]
          .split(':')[0]
          .split('/')
          .pop()}/Dockerfile`,
      );
    const checkImage = (image: string, where: string) => {
      if (/@sha256:[0-9a-f]{64}$/.test(image)) return;
      const tag = /:([\w][\w.-]*)$/.exec(image.split('/').pop()!)?.[1];
      found.check(tag, `${where}: ${image} has no tag`);
      found.check(
        !tag || !/latest/i.test(tag) || (tag !== 'latest' && builtHere(image)),
        `${where}: ${image} is not pinned`,
      );
    };
    for (const [env, objects] of p.overlays) {
      for (const o of objects) {
        const images = [
          ...containers(o),
          ...(o.kind === 'ServingRuntime' ? o.spec.containers : []),
          ...(o.kind === 'WorkflowTemplate'
            ? o.spec.templates.flatMap((t: any) =>
                [t.container, t.script].filter(Boolean),
              )
            : []),
        ].map((c: any) => c.image);
        for (const image of images)
          checkImage(image, `${env}: ${o.kind}/${o.metadata.name}`);
        for (const term of o.kind === 'EC2NodeClass'
          ? o.spec.amiSelectorTerms
          : [])
          found.check(
            !/@latest$/.test(term.alias ?? ''),
            `${env}: EC2NodeClass/${o.metadata.name} follows ${term.alias}`,
          );
      }
    }
    for (const file of p.files.filter(f => /(^|\/)Dockerfile$/.test(f))) {
      for (const [, image] of (await p.read(file)).matchAll(/^FROM\s+(\S+)/gm))
        checkImage(image, file);
    }
    const semver = /^v?\d+\.\d+\.\d+$/;
    const terraform = [...p.terraform];
    const variableDefault = (dir: string, name: string) =>
      terraform
        .filter(([f]) => path.dirname(f) === dir)
        .map(([, t]) => t.variable?.[name]?.[0]?.default)
        .find(d => d !== undefined);
    for (const [file, tf] of terraform) {
      for (const [name, [release]] of Object.entries<any[]>(
        tf.resource?.helm_release ?? {},
      )) {
        const ref = /^\$\{var\.([\w-]+)\}$/.exec(release.version ?? '');
        const version = ref
          ? variableDefault(path.dirname(file), ref[1])
          : release.version;
        found.check(
          semver.test(version ?? ''),
          `${file}: Helm release ${name} installs chart version ${release.version} (${version})`,
        );
      }
      for (const block of tf.terraform ?? []) {
        for (const providers of block.required_providers ?? []) {
          for (const [name, req] of Object.entries<any>(providers)) {
            found.check(
              /^~> \d+\.\d+$/.test(req.version) ||
                semver.test(req.version) ||
                /,\s*<\s*\d/.test(req.version),
              `${file}: provider ${name} constrained to ${req.version}`,
            );
          }
        }
      }
      for (const [name, [call]] of Object.entries<any[]>(tf.module ?? {})) {
        found.check(
          /^\.\.?\//.test(call.source) ||
            semver.test(call.version ?? '') ||
            /[?&]ref=/.test(call.source),
          `${file}: module ${name} from ${call.source} is not pinned`,
        );
      }
    }
    // Every configured provider is constrained in its root module.
    const roots = new Set(
      [...p.terraform]
        .filter(([, tf]) => tf.provider)
        .map(([f]) => path.dirname(f)),
    );
    for (const root of roots) {
      const inRoot = [...p.terraform].filter(([f]) => path.dirname(f) === root);
      const constrained = inRoot.flatMap(([, tf]) =>
        (tf.terraform ?? []).flatMap((b: any) =>
          (b.required_providers ?? []).flatMap(Object.keys),
        ),
      );
      for (const provider of inRoot.flatMap(([, tf]) =>
        Object.keys(tf.provider ?? {}),
      ))
        found.check(
          constrained.includes(provider),
          `${root}: provider ${provider} without a version constraint`,
        );
    }
    expect(found.list).toEqual([]);
    // The preflight rule agrees.
    expect(
      p.rendered.steps.validate.output.findings.filter(
        (f: any) => f.ruleId === 'D04-versions-pinned',
      ),
    ).toEqual([]);
  });

  it('has no placeholder, no commonLabels and no COPY from outside the build context', async () => {
    const found = problems();
    for (const file of p.files) {
      const text = await p.read(file);
      found.check(
        !/\bACCOUNT_ID\b|<account[ _-]?id>|\$\{HF_TOKEN\}|REPLACE_ME|CHANGEME/.test(
          text,
        ),
        `${file}: placeholder`,
      );
      found.check(
        !(/kustomization\.ya?ml$/.test(file) && text.includes('commonLabels')),
        `${file}: commonLabels`,
      );
      found.check(
        !(
          file.endsWith('Dockerfile') &&
          /^\s*(COPY|ADD)\s+(--\S+\s+)*\.\.\//m.test(text)
        ),
        `${file}: COPY ../`,
      );
    }
    expect(found.list).toEqual([]);
  });

  it('provisions GPU nodes the way the template says, with the labels and taint the device plugin and vLLM expect (D09, D10, D08)', () => {
    const karpenterGpu = parameters.gpuAutoscaling === 'karpenter';
    const karpenterAny =
      karpenterGpu || parameters.generalAutoscaling === 'karpenter';
    const found = problems();
    const eks = p.terraform.get('infra/modules/eks/main.tf')!;
    expect(Object.keys(eks.resource.aws_eks_node_group).sort()).toEqual(
      karpenterGpu ? ['general'] : ['general', 'gpu'],
    );
    const karpenterModule = p.terraform.get('infra/modules/karpenter/main.tf');
    expect(Boolean(karpenterModule)).toBe(karpenterAny);
    const release = karpenterModule?.resource.helm_release.karpenter[0];
    found.check(
      !karpenterAny ||
        (release.chart === 'karpenter' &&
          release.repository === 'oci://public.ecr.aws/karpenter'),
      'Karpenter is not installed from its chart',
    );
    const vpc = p.terraform.get('infra/modules/vpc/main.tf')!;
    found.check(
      JSON.stringify(vpc.resource.aws_subnet.private[0].tags).includes(
        'karpenter.sh/discovery',
      ) === karpenterAny,
      'private subnets: karpenter.sh/discovery tag when and only when Karpenter is used',
    );
    found.check(
      !karpenterAny ||
        karpenterModule!.resource.aws_ec2_tag.cluster_security_group[0].key ===
          'karpenter.sh/discovery',
      'cluster security group without karpenter.sh/discovery',
    );
    for (const [env, objects] of p.running) {
      const cluster = `${parameters.clusterName}-${env}`;
      const pools = byKind(objects, 'NodePool');
      const classes = byKind(objects, 'EC2NodeClass');
      found.check(
        Boolean(pools.length && classes.length) === karpenterAny,
        `${env}: NodePools and EC2NodeClasses when and only when Karpenter is used`,
      );
      for (const nodeClass of classes) {
        // The overlay names this environment's node role and discovery tag.
        found.check(
          nodeClass.spec.role === `${cluster}-node`,
          `${env}: EC2NodeClass ${nodeClass.metadata.name} role ${nodeClass.spec.role}`,
        );
        for (const terms of [
          'subnetSelectorTerms',
          'securityGroupSelectorTerms',
        ])
          found.check(
            JSON.stringify(nodeClass.spec[terms]) ===
              JSON.stringify([{ tags: { 'karpenter.sh/discovery': cluster } }]),
            `${env}: EC2NodeClass ${nodeClass.metadata.name} ${terms}`,
          );
      }
      for (const pool of pools) {
        const ref = pool.spec.template.spec.nodeClassRef.name;
        found.check(
          classes.some(c => c.metadata.name === ref),
          `${env}: NodePool ${pool.metadata.name} names missing EC2NodeClass ${ref}`,
        );
      }
      const gpuPool = pools.find(o => o.metadata.name === 'gpu');
      found.check(
        Boolean(gpuPool) === karpenterGpu,
        `${env}: GPU NodePool when and only when GPU nodes come from Karpenter`,
      );
      if (!gpuPool) continue;
      const poolLabels = gpuPool.spec.template.metadata.labels;
      const [taint] = gpuPool.spec.template.spec.taints;
      const plugin = objects.find(
        o =>
          o.kind === 'DaemonSet' && o.metadata.name === 'nvidia-device-plugin',
      )!;
      const vllm = objects.find(
        o => o.kind === 'Deployment' && o.metadata.name === 'vllm',
      )!;
      for (const expr of podSpec(plugin).affinity.nodeAffinity
        .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
        .matchExpressions) {
        found.check(
          expr.values.includes(poolLabels[expr.key]),
          `${env}: device plugin affinity ${expr.key} not on the GPU NodePool's nodes`,
        );
      }
      for (const w of [plugin, vllm]) {
        found.check(
          podSpec(w).tolerations.some(
            (t: any) => t.key === taint.key && t.effect === taint.effect,
          ),
          `${env}: ${w.metadata.name} does not tolerate the NodePool taint`,
        );
      }
      const selector = podSpec(vllm).nodeSelector;
      for (const [k, v] of Object.entries(selector))
        found.check(
          k === 'node.kubernetes.io/instance-type' || poolLabels[k] === v,
          `${env}: vLLM selects ${k}=${v}, which the NodePool does not set`,
        );
      found.check(
        JSON.stringify(gpuPool.spec.template.spec.requirements).includes(
          JSON.stringify({
            key: 'node.kubernetes.io/instance-type',
            operator: 'In',
            values: [selector['node.kubernetes.io/instance-type']],
          }),
        ),
        `${env}: the NodePool does not launch the planner's instance type`,
      );
      found.check(
        gpuPool.spec.limits['nvidia.com/gpu'] ===
          String(parameters.gpuMaxSize * p.plan.gpuCount),
        `${env}: NodePool GPU limit ${gpuPool.spec.limits['nvidia.com/gpu']} is not the plan's`,
      );
      found.check(
        gpuPool.spec.disruption.consolidationPolicy === 'WhenEmpty',
        `${env}: GPU nodes with a model server are consolidated`,
      );
    }
    expect(found.list).toEqual([]);
  });

  it('puts the ALB ingress in front of the gateway or vLLM, health-checked on /health, in tagged subnets (T-ingress)', () => {
    const alb = parameters.ingress === 'alb';
    const found = problems();
    const module = p.terraform.get(
      'infra/modules/aws-load-balancer-controller/main.tf',
    );
    found.check(
      Boolean(module) === alb,
      'controller module when and only when chosen',
    );
    found.check(
      !module ||
        module.resource.helm_release.aws_load_balancer_controller[0].chart ===
          'aws-load-balancer-controller',
      'controller chart',
    );
    const scheme = parameters.ingressScheme ?? 'internal';
    const vpc = p.terraform.get('infra/modules/vpc/main.tf')!;
    const subnet =
      vpc.resource.aws_subnet[scheme === 'internal' ? 'private' : 'public'][0];
    const subnetTags = JSON.stringify(subnet.tags);
    found.check(
      subnetTags.includes(
        scheme === 'internal'
          ? 'kubernetes.io/role/internal-elb'
          : 'kubernetes.io/role/elb',
      ) && subnetTags.includes('kubernetes.io/cluster/${var.cluster_name}'),
      `${scheme} subnets lack the load balancer tags`,
    );
    const target = parameters.services.includes('gateway') ? 'gateway' : 'vllm';
    for (const [env, objects] of p.running) {
      const ingresses = byKind(objects, 'Ingress');
      found.check(
        ingresses.length === (alb ? 1 : 0),
        `${env}: ${ingresses.length} Ingresses`,
      );
      for (const ing of ingresses) {
        const annotations = ing.metadata.annotations;
        found.check(ing.spec.ingressClassName === 'alb', `${env}: class`);
        found.check(
          annotations['alb.ingress.kubernetes.io/healthcheck-path'] ===
            '/health',
          `${env}: health check path`,
        );
        found.check(
          annotations['alb.ingress.kubernetes.io/scheme'] === scheme,
          `${env}: scheme`,
        );
        const backend = ing.spec.rules[0].http.paths[0].backend.service;
        const svc = objects.find(
          o =>
            o.kind === 'Service' &&
            o.metadata.name === backend.name &&
            o.metadata.namespace === ing.metadata.namespace,
        );
        found.check(
          backend.name === target &&
            svc?.spec.ports.some((pt: any) => pt.port === backend.port.number),
          `${env}: Ingress backend ${backend.name}:${backend.port.number} is not a Service port`,
        );
      }
    }
    expect(found.list).toEqual([]);
  });

  it('allows the traffic the platform needs and denies the rest, once network policies are on (VPC CNI, DNS, T-crashloop)', async () => {
    const on = Boolean(parameters.networkPolicy);
    const found = problems();
    // The ALB's addresses are in the subnets tagged for its scheme (T-ingress).
    const albSubnets = await vpcSubnets(
      p,
      parameters.ingressScheme === 'internet-facing' ? 'public' : 'private',
    );
    const otherSubnets = await vpcSubnets(
      p,
      parameters.ingressScheme === 'internet-facing' ? 'private' : 'public',
    );
    const platform = p.terraform.get('infra/live/main.tf')!;
    const vpcCni = JSON.stringify(platform.module.addons[0].addons);
    found.check(
      vpcCni.includes('enableNetworkPolicy') === on,
      'the VPC CNI enforces network policies when and only when they are on',
    );
    found.check(
      !p.files.some(f => /calico|cilium/i.test(f)),
      'a second CNI in the repository',
    );
    const services: string[] = parameters.services;
    const nsOf = (svc: string) =>
      svc === 'gateway' ? 'platform' : svc.replace('-api', '');
    for (const [env, objects] of p.running) {
      const policies = byKind(objects, 'NetworkPolicy');
      found.check(
        Boolean(policies.length) === on,
        `${env}: ${policies.length} NetworkPolicies`,
      );
      if (!on) continue;
      const pod = (name: string): Peer => {
        const w = objects.find(
          o => WORKLOADS.includes(o.kind) && o.metadata.name === name,
        )!;
        return {
          namespace: w.metadata.namespace,
          labels: w.spec.template.metadata.labels,
        };
      };
      const expect_ = (ok: boolean, from: string, to: string, port: number) =>
        found.check(
          connectionAllowed(objects, pod(from), pod(to), port) === ok,
          `${env}: ${from} -> ${to}:${port} should be ${
            ok ? 'allowed' : 'denied'
          }`,
        );
      const kubeDns: Peer = {
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns' },
      };
      for (const w of objects.filter(
        o =>
          WORKLOADS.includes(o.kind) && o.metadata.namespace !== 'kube-system',
      )) {
        for (const protocol of ['UDP', 'TCP'])
          found.check(
            connectionAllowed(
              objects,
              pod(w.metadata.name),
              kubeDns,
              53,
              protocol,
            ),
            `${env}: ${w.metadata.name} cannot resolve names over ${protocol}`,
          );
      }
      for (const svc of services) expect_(true, svc, 'vllm', 8000);
      if (services.includes('gateway')) {
        for (const svc of services.filter(s => s !== 'gateway'))
          expect_(true, 'gateway', svc, 8000);
      }
      const team = services.filter(s => s !== 'gateway');
      if (team.length >= 2) expect_(false, team[0], team[1], 8000);
      if (services.includes('gateway')) expect_(false, 'vllm', 'gateway', 8000);
      if (parameters.observability.includes('prometheus')) {
        for (const target of ['vllm', ...services])
          expect_(true, 'prometheus', target, 8000);
      }
      if (parameters.observability.includes('otel-collector')) {
        for (const svc of services) expect_(true, svc, 'otel-collector', 4318);
      }
      const outsider: Peer = { namespace: 'default', labels: { app: 'x' } };
      found.check(
        !connectionAllowed(objects, outsider, pod('vllm'), 8000),
        `${env}: a pod of another namespace reaches vLLM`,
      );
      if (parameters.ingress === 'alb') {
        const target = services.includes('gateway') ? 'gateway' : 'vllm';
        for (const subnet of albSubnets) {
          const albAddress: Peer = { ip: addressIn(subnet, 10) };
          found.check(
            connectionAllowed(objects, albAddress, pod(target), 8000),
            `${env}: the ALB in ${subnet} cannot reach ${target}`,
          );
          found.check(
            !connectionAllowed(objects, albAddress, pod(target), 8001),
            `${env}: the ALB in ${subnet} reaches ${target} on another port`,
          );
        }
        for (const subnet of otherSubnets) {
          found.check(
            !connectionAllowed(
              objects,
              { ip: addressIn(subnet, 10) },
              pod(target),
              8000,
            ),
            `${env}: ${subnet}, not a subnet of the ALB, reaches ${target}`,
          );
        }
        found.check(
          !connectionAllowed(
            objects,
            { ip: '203.0.113.10' },
            pod(target),
            8000,
          ),
          `${env}: an address outside the VPC reaches ${target}`,
        );
        // Exactly the ALB's subnets, as Terraform cuts them: nothing wider.
        const blocks = policies
          .filter(pol => pol.metadata.namespace === pod(target).namespace)
          .flatMap(pol => pol.spec.ingress ?? [])
          .flatMap((rule: any) => rule.from ?? [])
          .filter((peer: any) => peer.ipBlock)
          .map((peer: any) => peer.ipBlock.cidr);
        found.check(
          JSON.stringify(blocks) === JSON.stringify(albSubnets),
          `${env}: ${target} admits ${blocks}, not the ALB's subnets ${albSubnets}`,
        );
      }
      for (const svc of services) {
        found.check(
          policies.some(
            pol =>
              pol.metadata.namespace === nsOf(svc) &&
              pol.metadata.name === 'default-deny',
          ),
          `${env}: no default-deny in ${nsOf(svc)}`,
        );
      }
    }
    expect(found.list).toEqual([]);
  });

  it('denies by default in every namespace the platform creates, and opens to Argo Workflows and MLflow only their own flows (P3)', async () => {
    if (!parameters.networkPolicy) return;
    const found = problems();
    const services: string[] = parameters.services;
    const pipelineServices = parameters.argoWorkflows
      ? services.filter(s => ['finetune-api', 'eval-api'].includes(s))
      : [];
    const privateSubnets = await vpcSubnets(p, 'private');
    const database: Peer = { ip: addressIn(privateSubnets[0], 20) };
    const internet: Peer = { ip: '203.0.113.10' };
    const apiServer: Peer = { ip: '172.20.0.1' };
    const outsider: Peer = { namespace: 'default', labels: { app: 'x' } };
    const kubeDns: Peer = {
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
    };
    // The pods the Argo Workflows Helm release and its controller create.
    const argoController: Peer = {
      namespace: 'argo',
      labels: {
        'app.kubernetes.io/part-of': 'argo-workflows',
        'app.kubernetes.io/component': 'workflow-controller',
      },
    };
    const argoServer: Peer = {
      namespace: 'argo',
      labels: {
        'app.kubernetes.io/part-of': 'argo-workflows',
        'app.kubernetes.io/component': 'server',
      },
    };
    const agent: Peer = {
      namespace: 'argo',
      labels: {
        'workflows.argoproj.io/workflow': 'eval-x7k2p',
        'workflows.argoproj.io/component': 'agent',
      },
    };
    const stepPod: Peer = {
      namespace: 'argo',
      labels: { 'workflows.argoproj.io/workflow': 'eval-x7k2p' },
    };
    for (const [env, objects] of p.running) {
      const policies = byKind(objects, 'NetworkPolicy');
      const pod = (name: string): Peer => {
        const w = objects.find(
          o => WORKLOADS.includes(o.kind) && o.metadata.name === name,
        )!;
        return {
          namespace: w.metadata.namespace,
          labels: w.spec.template.metadata.labels,
        };
      };
      const allowed = (from: Peer, to: Peer, port: number, ok: boolean) =>
        found.check(
          connectionAllowed(objects, from, to, port) === ok,
          `${env}: ${JSON.stringify(from)} -> ${JSON.stringify(
            to,
          )}:${port} should be ${ok ? 'allowed' : 'denied'}`,
        );

      const namespaces = byKind(objects, 'Namespace').map(n => n.metadata.name);
      found.check(
        namespaces.includes('argo') === Boolean(parameters.argoWorkflows) &&
          namespaces.includes('mlflow') === Boolean(parameters.mlflow),
        `${env}: namespaces ${namespaces}`,
      );
      for (const ns of namespaces) {
        found.check(
          policies.some(
            pol =>
              pol.metadata.namespace === ns &&
              selectsAll(pol.spec.podSelector) &&
              ['Ingress', 'Egress'].every(t =>
                pol.spec.policyTypes?.includes(t),
              ) &&
              !pol.spec.ingress?.length &&
              !pol.spec.egress?.length,
          ),
          `${env}: namespace ${ns} has no default-deny policy`,
        );
        // A pod no rule names is closed both ways, and still resolves names.
        const stranger: Peer = { namespace: ns, labels: { app: 'stranger' } };
        allowed(outsider, stranger, 8080, false);
        allowed(stranger, internet, 8080, false);
        allowed(stranger, outsider, 8080, false);
        for (const protocol of ['UDP', 'TCP'])
          found.check(
            connectionAllowed(objects, stranger, kubeDns, 53, protocol),
            `${env}: pods of ${ns} cannot resolve names over ${protocol}`,
          );
      }

      if (parameters.argoWorkflows) {
        for (const argoPod of [argoController, argoServer, agent]) {
          allowed(argoPod, apiServer, 443, true);
          found.check(
            connectionAllowed(objects, argoPod, kubeDns, 53, 'UDP'),
            `${env}: Argo pods cannot resolve names`,
          );
        }
        for (const svc of pipelineServices) {
          allowed(agent, pod(svc), 8000, true);
          allowed(argoController, pod(svc), 8000, false);
          allowed(argoServer, pod(svc), 8000, false);
          allowed(stepPod, pod(svc), 8000, false);
        }
        for (const svc of services.filter(s => !pipelineServices.includes(s)))
          allowed(agent, pod(svc), 8000, false);
        allowed(agent, pod('vllm'), 8000, false);
        allowed(agent, internet, 8000, false);
        allowed(outsider, argoServer, 2746, false);
      }

      if (parameters.mlflow) {
        const mlflow = pod('mlflow');
        allowed(agent, mlflow, 5000, pipelineServices.length > 0);
        for (const svc of services) allowed(pod(svc), mlflow, 5000, false);
        allowed(outsider, mlflow, 5000, false);
        allowed(mlflow, database, 5432, true);
        allowed(mlflow, database, 5433, false);
        allowed(mlflow, internet, 5432, false);
        allowed(mlflow, internet, 443, true);
        allowed(mlflow, pod('vllm'), 8000, false);
        const rds = policies
          .filter(pol => pol.metadata.name === 'mlflow')
          .flatMap(pol => pol.spec.egress ?? [])
          .find((rule: any) => rule.ports?.some((pt: any) => pt.port === 5432));
        found.check(
          JSON.stringify(rds?.to.map((t: any) => t.ipBlock.cidr)) ===
            JSON.stringify(privateSubnets),
          `${env}: MLflow reaches PostgreSQL in ${JSON.stringify(
            rds?.to,
          )}, not the private subnets ${privateSubnets} of infra/modules/vpc`,
        );
      }

      // Prometheus reaches exactly the pods it scrapes.
      if (parameters.observability.includes('prometheus')) {
        const prometheus = pod('prometheus');
        for (const w of objects.filter(o => WORKLOADS.includes(o.kind))) {
          const annotations = w.spec.template.metadata.annotations ?? {};
          if (annotations['prometheus.io/scrape'] !== 'true') continue;
          allowed(
            prometheus,
            pod(w.metadata.name),
            Number(annotations['prometheus.io/port'] ?? 8000),
            true,
          );
        }
        if (parameters.mlflow) allowed(prometheus, pod('mlflow'), 5000, false);
      }
    }
    expect(found.list).toEqual([]);
  });

  it('serves vLLM from a Deployment or a KServe InferenceService with the same pods, port and scrape annotations', () => {
    const kserve = parameters.servingRuntime === 'kserve';
    const found = problems();
    found.check(
      Boolean(p.terraform.get('infra/modules/kserve/main.tf')) === kserve,
      'KServe module when and only when chosen',
    );
    for (const [env, objects] of p.running) {
      const server = objects.find(
        o => o.kind === 'Deployment' && o.metadata.name === 'vllm',
      )!;
      const annotations = server.spec.template.metadata.annotations ?? {};
      found.check(
        annotations['prometheus.io/scrape'] === 'true' &&
          annotations['prometheus.io/port'] === '8000',
        `${env}: model server pods not scraped on 8000`,
      );
      const [container] = containers(server);
      found.check(
        container.ports?.some(
          (pt: any) => pt.name === 'http' && pt.containerPort === 8000,
        ),
        `${env}: model server port`,
      );
      found.check(
        container.args.includes(`--model=${p.plan.modelId}`) ||
          container.args.join(' ').includes(p.plan.modelId),
        `${env}: model server does not serve the planned model`,
      );
      found.check(
        !kserve ||
          p.overlays.get(env)!.find(o => o.kind === 'InferenceService')
            ?.metadata.annotations['serving.kserve.io/deploymentMode'] ===
            'RawDeployment',
        `${env}: InferenceService not in RawDeployment mode`,
      );
    }
    expect(found.list).toEqual([]);
  });

  it('runs the finetune and eval pipelines against the team services on 8000, and MLflow on its RDS and S3 store (D25, D26)', async () => {
    const argo = Boolean(parameters.argoWorkflows);
    const mlflow = Boolean(parameters.mlflow);
    const found = problems();
    found.check(
      Boolean(p.terraform.get('infra/modules/argo-workflows/main.tf')) === argo,
      'Argo Workflows module when and only when chosen',
    );
    const store = p.terraform.get('infra/modules/mlflow/main.tf');
    found.check(
      Boolean(store) === mlflow,
      'MLflow module when and only when chosen',
    );
    if (store) {
      const [db] = store.resource.aws_db_instance.mlflow;
      found.check(
        db.engine === 'postgres' &&
          db.manage_master_user_password === true &&
          db.publicly_accessible === false &&
          db.storage_encrypted === true,
        'the MLflow database is a private, encrypted PostgreSQL with an RDS-managed password',
      );
      found.check(
        Boolean(store.resource.aws_s3_bucket_public_access_block?.artifacts),
        'artifact bucket without a public access block',
      );
      const [irsa] = store.module.irsa;
      found.check(
        irsa.namespace === 'mlflow' && irsa.service_account === 'mlflow',
        'IRSA role for another service account',
      );
    }
    const script = await p.read('scripts/create-secrets.sh');
    found.check(
      script.includes('secret generic mlflow-backend') === mlflow,
      'create-secrets.sh makes mlflow-backend when and only when MLflow is on',
    );
    for (const [env, objects] of p.running) {
      const templates = byKind(objects, 'WorkflowTemplate');
      const expected = argo
        ? ['finetune', 'eval'].filter(t =>
            parameters.services.includes(`${t}-api`),
          )
        : [];
      found.check(
        JSON.stringify(templates.map(t => t.metadata.name).sort()) ===
          JSON.stringify(expected.sort()),
        `${env}: WorkflowTemplates ${templates.map(t => t.metadata.name)}`,
      );
      for (const t of templates) {
        found.check(
          objects.some(
            o =>
              o.kind === 'ServiceAccount' &&
              o.metadata.name === t.spec.serviceAccountName &&
              o.metadata.namespace === t.metadata.namespace,
          ),
          `${env}: ${t.metadata.name} runs as a missing service account`,
        );
        for (const step of t.spec.templates.filter((x: any) => x.http)) {
          const url = new URL(step.http.url);
          const [svcName, ns] = url.hostname.split('.');
          const svc = objects.find(
            o =>
              o.kind === 'Service' &&
              o.metadata.name === svcName &&
              o.metadata.namespace === ns,
          );
          found.check(
            svc?.spec.ports.some((pt: any) => String(pt.port) === url.port),
            `${env}: ${t.metadata.name}/${step.name} calls ${step.http.url}, no Service port there`,
          );
        }
        found.check(
          JSON.stringify(t).includes('mlflow.mlflow.svc.cluster.local:5000') ===
            mlflow,
          `${env}: ${t.metadata.name} records to MLflow when and only when it is on`,
        );
      }
      const sa = objects.find(
        o => o.kind === 'ServiceAccount' && o.metadata.name === 'mlflow',
      );
      found.check(Boolean(sa) === mlflow, `${env}: mlflow service account`);
      if (sa) {
        found.check(
          sa.metadata.annotations?.['eks.amazonaws.com/role-arn'] ===
            `arn:aws:iam::${parameters.awsAccountId}:role/${parameters.clusterName}-${env}-mlflow`,
          `${env}: mlflow service account role ${sa.metadata.annotations?.['eks.amazonaws.com/role-arn']}`,
        );
        const server = objects.find(
          o => o.kind === 'Deployment' && o.metadata.name === 'mlflow',
        )!;
        found.check(
          podSpec(server).initContainers?.[0]?.name === 'wait-for-database',
          `${env}: MLflow starts without the database connection check`,
        );
        found.check(
          containers(server).every(
            (c: any) =>
              /:\w+-latest$/.test(c.image) && c.image.includes('.dkr.ecr.'),
          ),
          `${env}: MLflow image not from ECR with the environment tag`,
        );
      }
    }
    expect(found.list).toEqual([]);
  });

  it('labels every pod with backstage.io/kubernetes-id of a catalog component, in the annotated namespace', () => {
    const entities = p.yaml.get('catalog-info.yaml')!;
    const components = entities.filter(e => e.kind === 'Component');
    expect(components.map(c => c.metadata.name).sort()).toEqual(
      [
        `${parameters.name}-vllm`,
        ...parameters.services.map((s: string) => `${parameters.name}-${s}`),
      ].sort(),
    );
    const vllm = components.find(c => c.metadata.name.endsWith('-vllm'));
    expect(vllm.metadata.annotations['llm-platform.io/model-names']).toBe(
      p.plan.modelId,
    );
    for (const [, objects] of p.running) {
      for (const c of components) {
        const id = c.metadata.annotations['backstage.io/kubernetes-id'];
        const pods = objects.filter(
          o =>
            o.kind === 'Deployment' &&
            o.spec.template.metadata.labels['backstage.io/kubernetes-id'] ===
              id,
        );
        expect(pods.map(o => o.metadata.namespace)).toEqual([
          c.metadata.annotations['backstage.io/kubernetes-namespace'],
        ]);
      }
    }
  });
});

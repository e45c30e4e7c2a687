import path from 'node:path';
import {
  estimateNodeAllocatable,
  findInstance,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import {
  containers,
  K8sObject,
  memoryMiB,
  podRequests,
  podSpec,
  runCommand,
  terraformFmtCheck,
  terraformReferences,
  validateKubernetesSchemas,
} from './generatedRepo';
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
const SECRETS_CREATED_BY_SCRIPT = ['hf-token', 'grafana-admin'];
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

function byKind(objects: K8sObject[], kind: string) {
  return objects.filter(o => o.kind === kind);
}

function tfvars(p: GeneratedPlatform, env: string) {
  return p.terraform.get(`infra/envs/${env}/terraform.tfvars`)!;
}

describe.each(PARAMETER_SETS)('llm-platform: $label', ({ parameters }) => {
  let p: GeneratedPlatform;

  beforeAll(async () => {
    p = await renderLlmPlatform(parameters);
  });
  afterAll(() => removePlatform(p));

  it('renders no template expression, while GitHub expressions survive', async () => {
    for (const file of p.files) {
      const text = await p.read(file);
      if (file === '.github/workflows/ci.yaml') {
        // Only GitHub's own expressions remain, e.g. ${{ matrix.service }}.
        for (const m of text.matchAll(/\$\{\{([^}]*)\}\}/g)) {
          expect(m[1]).toMatch(/^\s*(matrix|inputs|secrets|vars|env|github)\./);
        }
      } else {
        expect({
          file,
          leftover: text.includes('${{') || /\{%|%\}/.test(text),
        }).toEqual({ file, leftover: false });
      }
    }
  });

  it('parses every YAML document', () => {
    expect(p.yaml.size).toBeGreaterThan(8);
    for (const [file, docs] of p.yaml) {
      expect({ file, docs: docs.length > 0 }).toEqual({ file, docs: true });
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
    for (const [env, objects] of p.overlays) {
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
      for (const o of objects) {
        if (
          o.kind !== 'Namespace' &&
          o.kind !== 'StorageClass' &&
          !o.kind.startsWith('Cluster')
        ) {
          expect({
            env,
            object: names[objects.indexOf(o)],
            ns: Boolean(o.metadata.namespace),
          }).toEqual({
            env,
            object: names[objects.indexOf(o)],
            ns: true,
          });
        }
      }
    }
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
    for (const env of ['dev', 'staging', 'prod']) {
      const chosen = parameters.environments.includes(env);
      expect({
        env,
        tf: p.files.includes(`infra/envs/${env}/main.tf`),
      }).toEqual({ env, tf: chosen });
    }
  });

  it('passes terraform fmt -check, and every referenced variable, local and module output is defined', async () => {
    expect(await terraformFmtCheck(path.join(p.dir, 'infra'))).toBe('');
    const roots = new Set(
      p.files.filter(f => f.endsWith('.tf')).map(f => path.dirname(f)),
    );
    for (const root of roots) {
      const tfFiles = p.files.filter(
        f => path.dirname(f) === root && f.endsWith('.tf'),
      );
      const parsed = tfFiles.map(f => p.terraform.get(f)!);
      const declaredVars = new Set(
        parsed.flatMap(t => Object.keys(t.variable ?? {})),
      );
      const declaredLocals = new Set(
        parsed.flatMap(t =>
          (t.locals ?? []).flatMap((l: object) => Object.keys(l)),
        ),
      );
      const modules = Object.assign({}, ...parsed.map(t => t.module ?? {}));
      const text = (await Promise.all(tfFiles.map(f => p.read(f)))).join('\n');
      const refs = terraformReferences(text);
      for (const v of refs.vars)
        expect({ root, var: v, declared: declaredVars.has(v) }).toEqual({
          root,
          var: v,
          declared: true,
        });
      for (const l of refs.locals)
        expect({ root, local: l, declared: declaredLocals.has(l) }).toEqual({
          root,
          local: l,
          declared: true,
        });
      for (const ref of refs.moduleOutputs) {
        const [name, output] = ref.split('.');
        expect({ root, module: name, known: Boolean(modules[name]) }).toEqual({
          root,
          module: name,
          known: true,
        });
        const source = modules[name][0].source as string;
        const outputsFile = path.join(root, source, 'outputs.tf');
        const outputs =
          p.terraform.get(path.normalize(outputsFile))?.output ?? {};
        expect({ root, ref, defined: output in outputs }).toEqual({
          root,
          ref,
          defined: true,
        });
      }
      // Every variable a module declares without a default is passed by its callers.
      for (const [name, [call]] of Object.entries<any>(modules)) {
        const moduleDir = path.normalize(path.join(root, call.source));
        const vars =
          p.terraform.get(path.join(moduleDir, 'variables.tf'))?.variable ?? {};
        for (const [v, [decl]] of Object.entries<any>(vars)) {
          if (!('default' in decl)) {
            expect({ root, module: name, input: v, passed: v in call }).toEqual(
              { root, module: name, input: v, passed: true },
            );
          }
        }
      }
    }
    // Every variable of an environment without a default has a value in its tfvars.
    for (const env of parameters.environments) {
      const vars = p.terraform.get(`infra/envs/${env}/variables.tf`)!.variable;
      const values = tfvars(p, env);
      for (const [v, [decl]] of Object.entries<any>(vars)) {
        if (!('default' in decl))
          expect({ env, v, set: v in values }).toEqual({ env, v, set: true });
      }
    }
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
    for (const [env, objects] of p.overlays) {
      const has = (kind: string, name: string, ns?: string) =>
        objects.some(
          o =>
            o.kind === kind &&
            o.metadata.name === name &&
            (ns === undefined || o.metadata.namespace === ns),
        );
      const workloads = objects.filter(o => WORKLOADS.includes(o.kind));
      for (const svc of byKind(objects, 'Service')) {
        const ns = svc.metadata.namespace;
        const selected = workloads.filter(
          w =>
            w.metadata.namespace === ns &&
            Object.entries(svc.spec.selector).every(
              ([k, v]) => w.spec.template.metadata.labels?.[k] === v,
            ),
        );
        expect({
          env,
          service: svc.metadata.name,
          selects: selected.length,
        }).toEqual({ env, service: svc.metadata.name, selects: 1 });
        const ports = containers(selected[0]).flatMap(c => c.ports ?? []);
        for (const port of svc.spec.ports) {
          const target = ports.find(
            cp =>
              cp.name === port.targetPort ||
              cp.containerPort === port.targetPort,
          );
          expect({
            env,
            service: svc.metadata.name,
            port: port.port,
            targetFound: Boolean(target),
          }).toEqual({
            env,
            service: svc.metadata.name,
            port: port.port,
            targetFound: true,
          });
        }
      }
      for (const w of workloads) {
        const ns = w.metadata.namespace;
        const spec = podSpec(w);
        // Selector labels are a subset of the pod labels.
        for (const [k, v] of Object.entries(w.spec.selector.matchLabels)) {
          expect(spec && w.spec.template.metadata.labels[k]).toBe(v);
        }
        for (const vol of spec.volumes ?? []) {
          if (vol.configMap)
            expect({
              env,
              cm: vol.configMap.name,
              exists: has('ConfigMap', vol.configMap.name, ns),
            }).toEqual({ env, cm: vol.configMap.name, exists: true });
          if (vol.secret)
            expect({
              env,
              secret: vol.secret.secretName,
              exists: has('Secret', vol.secret.secretName, ns),
            }).toEqual({ env, secret: vol.secret.secretName, exists: true });
          if (vol.persistentVolumeClaim) {
            const claim = vol.persistentVolumeClaim.claimName;
            expect({
              env,
              claim,
              exists: has('PersistentVolumeClaim', claim, ns),
            }).toEqual({ env, claim, exists: true });
          }
          const ephemeralClass =
            vol.ephemeral?.volumeClaimTemplate?.spec?.storageClassName;
          if (ephemeralClass)
            expect(has('StorageClass', ephemeralClass)).toBe(true);
        }
        if (spec.serviceAccountName)
          expect({
            env,
            sa: spec.serviceAccountName,
            exists: has('ServiceAccount', spec.serviceAccountName, ns),
          }).toEqual({ env, sa: spec.serviceAccountName, exists: true });
        for (const c of containers(w)) {
          for (const from of c.envFrom ?? []) {
            if (from.configMapRef)
              expect({
                env,
                cm: from.configMapRef.name,
                exists: has('ConfigMap', from.configMapRef.name, ns),
              }).toEqual({ env, cm: from.configMapRef.name, exists: true });
          }
          for (const e of c.env ?? []) {
            const ref = e.valueFrom?.secretKeyRef;
            if (ref) {
              const created =
                has('Secret', ref.name, ns) ||
                (SECRETS_CREATED_BY_SCRIPT.includes(ref.name) &&
                  script.includes(`secret generic ${ref.name}`));
              expect({
                env,
                secret: ref.name,
                createdOrDocumented: created,
              }).toEqual({ env, secret: ref.name, createdOrDocumented: true });
            }
            const cmRef = e.valueFrom?.configMapKeyRef;
            if (cmRef) expect(has('ConfigMap', cmRef.name, ns)).toBe(true);
          }
        }
      }
      for (const pvc of byKind(objects, 'PersistentVolumeClaim')) {
        expect({
          env,
          pvc: pvc.metadata.name,
          classExists: has('StorageClass', pvc.spec.storageClassName),
        }).toEqual({
          env,
          pvc: pvc.metadata.name,
          classExists: true,
        });
      }
    }
  });

  it('fits the vLLM pods and the GPU DaemonSets into the GPU instance', () => {
    const instance = findInstance(p.plan.instanceType)!;
    const allocatable = estimateNodeAllocatable(instance);
    for (const [env, objects] of p.overlays) {
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

  it('fits everything else into the general node group', () => {
    for (const [env, objects] of p.overlays) {
      const vars = tfvars(p, env);
      const node = GENERAL_ALLOCATABLE[vars.general_instance_type];
      const nodes = vars.general_desired_size;
      let cpu = KUBE_SYSTEM.cpu + nodes * ADDON_DAEMONSETS.cpu;
      let memory = KUBE_SYSTEM.memory + nodes * ADDON_DAEMONSETS.memory;
      for (const w of objects.filter(
        o => o.kind === 'Deployment' && o.metadata.name !== 'vllm',
      )) {
        expect(podSpec(w).nodeSelector).toEqual({
          'llm-platform.io/node-group': 'general',
        });
        const r = podRequests(w);
        cpu += r.cpu * (w.spec.replicas ?? 1);
        memory += r.memory * (w.spec.replicas ?? 1);
        // Each pod also fits one node on its own.
        expect(r.cpu).toBeLessThan(node.cpu);
      }
      expect({ env, cpu, fits: cpu <= nodes * node.cpu * 0.8 }).toEqual({
        env,
        cpu,
        fits: true,
      });
      expect({
        env,
        memory,
        fits: memory <= nodes * node.memory * 0.8,
      }).toEqual({ env, memory, fits: true });
    }
  });

  it('has no placeholder, no commonLabels and no COPY from outside the build context', async () => {
    for (const file of p.files) {
      const text = await p.read(file);
      expect({
        file,
        placeholder:
          /\bACCOUNT_ID\b|<account[ _-]?id>|\$\{HF_TOKEN\}|REPLACE_ME|CHANGEME/.test(
            text,
          ),
      }).toEqual({ file, placeholder: false });
      if (/kustomization\.ya?ml$/.test(file))
        expect({ file, commonLabels: text.includes('commonLabels') }).toEqual({
          file,
          commonLabels: false,
        });
      if (file.endsWith('Dockerfile'))
        expect({
          file,
          copyUp: /^\s*(COPY|ADD)\s+(--\S+\s+)*\.\.\//m.test(text),
        }).toEqual({ file, copyUp: false });
    }
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
    for (const [, objects] of p.overlays) {
      for (const c of components) {
        const id = c.metadata.annotations['backstage.io/kubernetes-id'];
        const pods = objects.filter(
          o =>
            o.kind === 'Deployment' &&
            o.spec.template.metadata.labels['backstage.io/kubernetes-id'] ===
              id,
        );
        expect({ id, pods: pods.length }).toEqual({ id, pods: 1 });
        expect(pods[0].metadata.namespace).toBe(
          c.metadata.annotations['backstage.io/kubernetes-namespace'],
        );
      }
    }
  });
});

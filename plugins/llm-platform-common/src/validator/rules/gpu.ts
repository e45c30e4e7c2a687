import { findInstance, findModel } from '../../planner/catalog';
import { planGpuFit } from '../../planner/planner';
import {
  daemonSetReservation,
  estimateNodeAllocatable,
} from '../../planner/resources';
import { PlanInputError, type QuantizationChoice } from '../../planner/types';
import {
  GPU_AMI_TYPES,
  GPU_INSTANCE,
  gpuNodeGroups,
  helmCharts,
} from '../infra';
import {
  containersOf,
  matchExpressionsMatch,
  parseCpuMillis,
  parseMemoryMiB,
  requestsGpu,
} from '../k8s';
import type { PodTemplate, RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

export const gpuAmiType: ValidationRule = {
  id: 'D09-gpu-ami-type',
  title: 'GPU node groups use an AMI type with NVIDIA drivers',
  failures: ['D09'],
  severity: 'error',
  fix: `Set ami_type to one of ${GPU_AMI_TYPES.join(
    ', ',
  )} (AL2023_x86_64_NVIDIA is current) on every group with GPU instances.`,
  check(repo) {
    return gpuNodeGroups(repo).flatMap((g): RuleHit[] => {
      const types = g.instanceTypes.join(', ');
      if (!g.amiType) {
        if (g.block.attrs.has('launch_template') || g.block.attrs.has('ami_id'))
          return [];
        return [
          {
            file: g.block.file,
            line: g.block.line,
            message: `node group with GPU instances (${types}) sets no ami_type, so EKS uses a standard AMI without NVIDIA drivers: nodes join with no nvidia.com/gpu`,
          },
        ];
      }
      if (
        g.amiType.literal === undefined ||
        GPU_AMI_TYPES.includes(g.amiType.literal)
      )
        return [];
      return [
        {
          file: g.block.file,
          line: g.amiType.line,
          message: `node group with GPU instances (${types}) uses ami_type "${g.amiType.literal}", which has no NVIDIA drivers: nodes join with no nvidia.com/gpu`,
        },
      ];
    });
  },
};

function gpuRequests(repo: RepoIndex) {
  return repo.podTemplates().flatMap(pod =>
    containersOf(pod.spec)
      .filter(({ c }) => requestsGpu(pod.spec) || requestsGpu(c))
      .map(({ c, path }) => ({ pod, c, path })),
  );
}

function isDevicePlugin(pod: PodTemplate) {
  return (
    pod.owner.kind === 'DaemonSet' &&
    containersOf(pod.spec).some(({ c }) =>
      /k8s-device-plugin|nvidia-device-plugin/.test(String(c.image ?? '')),
    )
  );
}

function requiredNodeTerms(pod: PodTemplate): {
  terms: any[][];
  path: (string | number)[];
} {
  const terms: any[][] =
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.map(
      (t: any) => t?.matchExpressions ?? [],
    ) ?? [];
  const selector = Object.entries(pod.spec.nodeSelector ?? {}).map(
    ([key, v]) => ({
      key,
      operator: 'In',
      values: [String(v)],
    }),
  );
  let combined = terms.map(t => [...t, ...selector]);
  if (!terms.length) combined = selector.length ? [selector] : [];
  return {
    terms: combined,
    path: pod.spec.affinity ? ['affinity', 'nodeAffinity'] : ['nodeSelector'],
  };
}

function tolerates(
  pod: PodTemplate,
  taint: { key: string; value?: string; effect?: string },
) {
  const effect = taint.effect
    ?.replace('NO_SCHEDULE', 'NoSchedule')
    .replace('NO_EXECUTE', 'NoExecute');
  return (pod.spec.tolerations ?? []).some((t: any) => {
    if (t?.operator === 'Exists' && !t.key) return true;
    if (t?.key !== taint.key) return false;
    if (
      t.effect &&
      effect &&
      t.effect !== effect &&
      effect !== 'PREFER_NO_SCHEDULE'
    )
      return false;
    return (
      t.operator === 'Exists' ||
      String(t.value ?? '') === String(taint.value ?? '')
    );
  });
}

/** GPU capacity as a Karpenter NodePool declares it: the labels and taints of its nodes. */
interface GpuNodePool {
  file: string;
  line: number;
  name: string;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect?: string }[];
}

const GPU_REQUIREMENT_KEYS = [
  'karpenter.k8s.aws/instance-gpu-count',
  'karpenter.k8s.aws/instance-gpu-name',
  'karpenter.k8s.aws/instance-gpu-manufacturer',
];

/** Karpenter NodePools whose nodes have NVIDIA GPUs. */
function gpuNodePools(repo: RepoIndex): GpuNodePool[] {
  return repo
    .objectsOfKind('NodePool')
    .filter(o => o.apiVersion.startsWith('karpenter.sh/'))
    .flatMap(o => {
      const template = o.value.spec?.template ?? {};
      const requirements: any[] = template.spec?.requirements ?? [];
      const gpu = requirements.some(r => {
        const values: string[] = (r?.values ?? []).map(String);
        if (GPU_REQUIREMENT_KEYS.includes(r?.key))
          return r.operator !== 'DoesNotExist';
        if (r?.key === 'node.kubernetes.io/instance-type')
          return values.some(v => GPU_INSTANCE.test(v));
        if (r?.key === 'karpenter.k8s.aws/instance-family')
          return values.some(v => GPU_INSTANCE.test(`${v}.`));
        return false;
      });
      if (!gpu) return [];
      return [
        {
          file: o.file,
          line: o.doc.lineOf(['spec', 'template']),
          name: o.name,
          labels: Object.fromEntries(
            Object.entries(template.metadata?.labels ?? {}).map(([k, v]) => [
              k,
              String(v),
            ]),
          ),
          taints: (template.spec?.taints ?? [])
            .filter((t: any) => t?.key)
            .map((t: any) => ({
              key: String(t.key),
              value: t.value === undefined ? undefined : String(t.value),
              effect: t.effect,
            })),
        },
      ];
    });
}

export const devicePlugin: ValidationRule = {
  id: 'D10-device-plugin',
  title: 'The NVIDIA device plugin is deployed and schedules on the GPU nodes',
  failures: ['D10'],
  severity: 'error',
  fix: 'Deploy the NVIDIA device plugin DaemonSet (pinned version) with a toleration for the GPU taint and node affinity on a label the GPU node group sets, such as nvidia.com/gpu.present=true.',
  check(repo) {
    const requests = gpuRequests(repo);
    const groups = gpuNodeGroups(repo);
    const pools = gpuNodePools(repo);
    if (!requests.length && !groups.length && !pools.length) return [];
    const plugins = repo.podTemplates().filter(isDevicePlugin);
    const viaHelm = helmCharts(repo).some(
      c => c === 'nvidia-device-plugin' || c === 'gpu-operator',
    );
    if (!plugins.length) {
      if (viaHelm) return [];
      // Point at a GPU request, else at the GPU node group or NodePool.
      let where = groups[0]
        ? { file: groups[0].block.file, line: groups[0].block.line }
        : { file: pools[0]?.file ?? '', line: pools[0]?.line ?? 1 };
      if (requests[0]) {
        where = {
          file: requests[0].pod.owner.file,
          line: requests[0].pod.owner.doc.lineOf([
            ...requests[0].pod.path,
            ...requests[0].path,
            'resources',
          ]),
        };
      }
      return [
        {
          ...where,
          message:
            'GPUs are requested but no NVIDIA device plugin DaemonSet is deployed: no node advertises nvidia.com/gpu and GPU pods stay Pending',
        },
      ];
    }
    const hits: RuleHit[] = [];
    const known = groups.filter(g => g.labels !== undefined);
    for (const plugin of plugins) {
      const { terms, path } = requiredNodeTerms(plugin);
      if (terms.length && known.length) {
        const matches = known.some(g =>
          terms.some(t => matchExpressionsMatch(t, g.labels!)),
        );
        if (!matches) {
          hits.push({
            file: plugin.owner.file,
            line: plugin.owner.doc.lineOf([...plugin.path, ...path]),
            message: `device plugin "${
              plugin.owner.name
            }" requires node labels that no GPU node group sets (group labels: ${known
              .map(g => JSON.stringify(g.labels))
              .join(', ')}); the DaemonSet never schedules`,
          });
        }
      }
      // Each Karpenter GPU NodePool on its own: its nodes need the plugin too.
      for (const pool of pools) {
        if (
          terms.length &&
          !terms.some(t => matchExpressionsMatch(t, pool.labels))
        ) {
          hits.push({
            file: pool.file,
            line: pool.line,
            message: `Karpenter NodePool "${
              pool.name
            }" launches GPU nodes with labels ${JSON.stringify(
              pool.labels,
            )}, which the node affinity of device plugin "${
              plugin.owner.name
            }" does not select: its nodes never advertise nvidia.com/gpu and GPU pods stay Pending`,
            fix: 'Label the NodePool template with the label the device plugin selects (nvidia.com/gpu.present: "true").',
          });
        }
        for (const taint of pool.taints) {
          if (!tolerates(plugin, taint)) {
            hits.push({
              file: pool.file,
              line: pool.line,
              message: `Karpenter NodePool "${pool.name}" taints its nodes ${
                taint.key
              }=${taint.value ?? ''}:${
                taint.effect ?? ''
              }, which device plugin "${
                plugin.owner.name
              }" does not tolerate: its nodes never advertise nvidia.com/gpu`,
              fix: `Use the taint the device plugin tolerates (nvidia.com/gpu=true:NoSchedule), or add a toleration for ${taint.key} to the device plugin.`,
            });
          }
        }
      }
      for (const g of groups) {
        for (const taint of g.taints) {
          if (!tolerates(plugin, taint)) {
            hits.push({
              file: plugin.owner.file,
              line: plugin.owner.doc.lineOf([...plugin.path, 'tolerations']),
              message: `device plugin "${
                plugin.owner.name
              }" does not tolerate the GPU taint ${taint.key}=${
                taint.value ?? ''
              }:${taint.effect ?? ''}; it never runs on the GPU nodes`,
            });
          }
        }
      }
    }
    return hits;
  },
};

/** The instance type a GPU pod lands on: its node selector, else the GPU node groups. */
function instanceTypeFor(
  pod: PodTemplate,
  repo: RepoIndex,
): string | undefined {
  const sel = pod.spec.nodeSelector ?? {};
  const explicit =
    sel['node.kubernetes.io/instance-type'] ??
    sel['beta.kubernetes.io/instance-type'];
  if (explicit) return String(explicit);
  const types = [
    ...new Set(gpuNodeGroups(repo).flatMap(g => g.instanceTypes)),
  ].filter(t => findInstance(t));
  return types.sort(
    (a, b) =>
      estimateNodeAllocatable(findInstance(a)!).memoryMiB -
      estimateNodeAllocatable(findInstance(b)!).memoryMiB,
  )[0];
}

export const requestsFitNode: ValidationRule = {
  id: 'D11-requests-fit-node',
  title: 'GPU pods request no more than the node can allocate',
  failures: ['D11'],
  severity: 'error',
  fix: 'Lower the requests to fit the instance allocatable minus the DaemonSets (the llm-platform:plan action computes them).',
  check(repo) {
    const ds = daemonSetReservation();
    const seen = new Set<PodTemplate>();
    return gpuRequests(repo).flatMap(({ pod }): RuleHit[] => {
      if (seen.has(pod)) return [];
      seen.add(pod);
      const type = instanceTypeFor(pod, repo);
      const instance = type && findInstance(type);
      if (!instance) return [];
      const alloc = estimateNodeAllocatable(instance);
      const cpuRoom = alloc.cpuMillis - ds.cpuMillis;
      const memRoom = alloc.memoryMiB - ds.memoryMiB;
      let cpu = 0;
      let mem = 0;
      for (const { c } of containersOf(pod.spec).filter(
        x => x.path[0] === 'containers',
      )) {
        const req = c.resources?.requests ?? c.resources?.limits ?? {};
        cpu += parseCpuMillis(req.cpu) ?? 0;
        mem += parseMemoryMiB(req.memory) ?? 0;
      }
      const over: string[] = [];
      if (cpu > cpuRoom) over.push(`cpu ${cpu}m > ${cpuRoom}m`);
      if (mem > memRoom)
        over.push(`memory ${Math.round(mem)}Mi > ${memRoom}Mi`);
      if (!over.length) return [];
      return [
        {
          file: pod.owner.file,
          line: pod.owner.doc.lineOf([...pod.path, 'containers']),
          message: `${pod.owner.kind} "${
            pod.owner.name
          }" requests more than a ${
            instance.type
          } can allocate after kubelet reservations and DaemonSets (${over.join(
            ', ',
          )}); it stays Pending with "Insufficient cpu/memory"`,
        },
      ];
    });
  },
};

function vllmArgs(c: any): Record<string, string> | undefined {
  // Shell forms (`sh -c "vllm serve ..."`) hold the whole command in one string.
  const argv = [...(c.command ?? []), ...(c.args ?? [])]
    .map(String)
    .flatMap(a => a.trim().split(/\s+/));
  const isVllm =
    /vllm/.test(String(c.image ?? '')) || argv.some(a => /vllm/.test(a));
  if (!isVllm) return undefined;
  const flags: Record<string, string> = {};
  argv.forEach((a, i) => {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
    if (m)
      flags[m[1]] =
        m[2] ??
        (argv[i + 1]?.startsWith('--') ? 'true' : argv[i + 1] ?? 'true');
  });
  const positional = argv.findIndex(a => a === 'serve');
  if (!flags.model && positional >= 0 && argv[positional + 1])
    flags.model = argv[positional + 1];
  return flags.model ? flags : undefined;
}

export const vllmFits: ValidationRule = {
  id: 'D16-vllm-fits',
  title: 'vLLM settings pass the GPU fit planner',
  failures: ['D16'],
  severity: 'error',
  fix: 'Apply one of the planner suggestions (quantize, shorten --max-model-len, a larger GPU, or tensor parallelism); run llm-platform:plan for the full configuration.',
  check(repo) {
    return repo.podTemplates().flatMap(pod =>
      containersOf(pod.spec).flatMap(({ c, path }): RuleHit[] => {
        const flags = vllmArgs(c);
        if (!flags) return [];
        const type = instanceTypeFor(pod, repo);
        const line = pod.owner.doc.lineOf([
          ...pod.path,
          ...path,
          c.args ? 'args' : 'command',
        ]);
        const model = findModel(flags.model);
        if (!type || !model || !findInstance(type)) return [];
        const hits: RuleHit[] = [];
        const instance = findInstance(type)!;
        if (instance.gpu === 't4' && flags.dtype === 'bfloat16') {
          hits.push({
            file: pod.owner.file,
            line,
            message:
              'vLLM runs with --dtype bfloat16 on a T4, which has no bf16 support',
            fix: 'Use --dtype half on T4 GPUs.',
          });
        }
        try {
          const result = planGpuFit({
            model: model.id!,
            instanceType: type,
            quantization:
              (flags.quantization?.replace(
                /_marlin$/,
                '',
              ) as QuantizationChoice) ??
              model.checkpointQuantization ??
              'none',
            maxModelLen: flags['max-model-len']
              ? Number(flags['max-model-len'])
              : model.maxPositionEmbeddings ?? 4096,
            gpuMemoryUtilization: flags['gpu-memory-utilization']
              ? Number(flags['gpu-memory-utilization'])
              : undefined,
            tensorParallelSize: flags['tensor-parallel-size']
              ? Number(flags['tensor-parallel-size'])
              : undefined,
          });
          if (!result.fits) {
            hits.push({
              file: pod.owner.file,
              line,
              message: result.reason,
              fix: result.suggestions.length
                ? result.suggestions.map(s => s.description).join(' Or: ')
                : undefined,
            });
          }
        } catch (e) {
          if (!(e instanceof PlanInputError)) throw e;
          hits.push({
            file: pod.owner.file,
            line,
            message: `vLLM settings are invalid: ${e.message}`,
          });
        }
        return hits;
      }),
    );
  },
};

import {
  GENERAL_INSTANCE_CATALOG,
  NODE_RESERVATIONS,
} from '../../planner/catalog';
import { estimateNodeAllocatable } from '../../planner/resources';
import { GPU_INSTANCE } from '../infra';
import { stringLiterals, type HclBlock } from '../hcl';
import {
  containersOf,
  parseCpuMillis,
  parseMemoryMiB,
  requestsGpu,
} from '../k8s';
import type { PodTemplate, RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

interface GeneralGroup {
  block: HclBlock;
  instanceType: string;
  nodes: number;
  line: number;
}

function number(block: HclBlock, name: string) {
  const attr =
    block.attrs.get(name) ??
    block.children.find(c => c.header === 'scaling_config')?.attrs.get(name);
  return attr && /^\d+$/.test(attr.value)
    ? { n: Number(attr.value), line: attr.line }
    : undefined;
}

/** Node groups of known general-purpose instances with a literal desired size. */
function generalGroups(repo: RepoIndex): GeneralGroup[] {
  return repo.hclBlocks().flatMap(block => {
    const types = stringLiterals(
      block.attrs.get('instance_types')?.value ?? '',
    );
    if (!types.length || types.some(t => GPU_INSTANCE.test(t))) return [];
    const instanceType = types.find(t =>
      GENERAL_INSTANCE_CATALOG.some(i => i.type === t),
    );
    const desired = number(block, 'desired_size');
    if (!instanceType || !desired) return [];
    return [{ block, instanceType, nodes: desired.n, line: desired.line }];
  });
}

const GPU_LABEL = /^(nvidia\.com\/|feature\.node\.kubernetes\.io\/pci-10de)/;

function onGpuNodes(pod: PodTemplate) {
  const selector = pod.spec.nodeSelector ?? {};
  const terms: any[] =
    pod.spec.affinity?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const affinityToGpu =
    terms.length > 0 &&
    terms.every(t =>
      (t?.matchExpressions ?? []).some((e: any) =>
        GPU_LABEL.test(String(e?.key)),
      ),
    );
  return (
    affinityToGpu ||
    containersOf(pod.spec).some(({ c }) => requestsGpu(c)) ||
    Object.keys(selector).some(k => GPU_LABEL.test(k)) ||
    String(selector['node.kubernetes.io/instance-type'] ?? '').match(
      GPU_INSTANCE,
    ) !== null
  );
}

function podRequests(pod: PodTemplate) {
  let cpu = 0;
  let memory = 0;
  for (const { c } of containersOf(pod.spec).filter(
    x => x.path[0] === 'containers',
  )) {
    cpu += parseCpuMillis(c.resources?.requests?.cpu) ?? 0;
    memory += parseMemoryMiB(c.resources?.requests?.memory) ?? 0;
  }
  return { cpu, memory };
}

export const generalCapacity: ValidationRule = {
  id: 'D12-general-capacity',
  title:
    'The general node group can hold the requests of everything that runs on it',
  failures: ['D12', 'D30'],
  severity: 'error',
  fix: 'Lower the requests of the observability stack and services, or add nodes (desired_size) or a larger instance type to the general node group.',
  check(repo) {
    const groups = generalGroups(repo);
    if (!groups.length) return [];
    // Base manifests only: overlays patch them, and a patch is not a second workload.
    const seen = new Set<string>();
    const pods = repo.podTemplates().filter(pod => {
      if (/(^|\/)overlays\//.test(pod.owner.file) || onGpuNodes(pod))
        return false;
      const key = `${pod.owner.kind}/${pod.owner.namespace ?? ''}/${
        pod.owner.name
      }`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    let cpu = NODE_RESERVATIONS.systemPods.cpuMillis;
    let memory = NODE_RESERVATIONS.systemPods.memoryMiB;
    let perNodeCpu = 0;
    let perNodeMemory = 0;
    for (const pod of pods) {
      const r = podRequests(pod);
      if (pod.owner.kind === 'DaemonSet') {
        perNodeCpu += r.cpu;
        perNodeMemory += r.memory;
      } else if (
        ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(pod.owner.kind)
      ) {
        const replicas = Number(pod.owner.value.spec?.replicas ?? 1);
        cpu += r.cpu * replicas;
        memory += r.memory * replicas;
      }
    }
    return groups.flatMap((g): RuleHit[] => {
      const instance = GENERAL_INSTANCE_CATALOG.find(
        i => i.type === g.instanceType,
      )!;
      const alloc = estimateNodeAllocatable({
        ...instance,
        gpu: '',
        gpuCount: 0,
      });
      const capCpu = g.nodes * (alloc.cpuMillis - perNodeCpu);
      const capMemory = g.nodes * (alloc.memoryMiB - perNodeMemory);
      const over: string[] = [];
      if (cpu > capCpu) over.push(`cpu ${cpu}m > ${capCpu}m`);
      if (memory > capMemory)
        over.push(`memory ${Math.round(memory)}Mi > ${capMemory}Mi`);
      if (!over.length) return [];
      return [
        {
          file: g.block.file,
          line: g.line,
          message: `${g.nodes} x ${
            g.instanceType
          } cannot hold the requests of the workloads outside the GPU nodes (${over.join(
            ', ',
          )}, after kubelet reservations, DaemonSets and EKS system pods); pods stay Pending with "Insufficient cpu/memory"`,
        },
      ];
    });
  },
};

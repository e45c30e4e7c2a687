import { GENERAL_INSTANCE_CATALOG, findInstance } from './catalog';
import {
  daemonSetReservation,
  estimateNodeAllocatable,
  formatMemoryQuantity,
  vllmContainerResources,
} from './resources';

describe('estimateNodeAllocatable', () => {
  it('matches the allocatable the seeds recorded', () => {
    // Deployment fixes #11: a g4dn.xlarge allocates about 3.9 CPU and 15 GiB.
    const g4dn = estimateNodeAllocatable(findInstance('g4dn.xlarge')!);
    expect(g4dn.cpuMillis).toBe(3920);
    expect(g4dn.memoryMiB / 1024).toBeCloseTo(14.5, 0);
    // Deployment fixes #30: a t3.medium allocates about 1.93 vCPU and 3.3 GiB.
    const t3 = GENERAL_INSTANCE_CATALOG.find(i => i.type === 't3.medium')!;
    const general = estimateNodeAllocatable({ ...t3, gpu: '', gpuCount: 0 });
    expect(general.cpuMillis).toBe(1930);
    expect(general.memoryMiB / 1024).toBeCloseTo(3.3, 1);
  });
});

describe('vllmContainerResources', () => {
  it('gives a tensor-parallel server its share of a multi-GPU node', () => {
    const node = findInstance('g5.12xlarge')!;
    const all = vllmContainerResources(node, 4);
    const half = vllmContainerResources(node, 2);
    const ds = daemonSetReservation();
    const alloc = estimateNodeAllocatable(node);
    const millis = (cpu: string) =>
      cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
    expect(millis(all.limits.cpu)).toBeGreaterThan(40000);
    expect(millis(all.limits.cpu)).toBeLessThanOrEqual(
      alloc.cpuMillis - ds.cpuMillis,
    );
    expect(half.limits['nvidia.com/gpu']).toBe('2');
    expect(parseFloat(half.limits.memory)).toBeLessThan(
      parseFloat(all.limits.memory),
    );
  });

  it('writes memory in Gi when whole', () => {
    expect(formatMemoryQuantity(14336)).toBe('14Gi');
    expect(formatMemoryQuantity(14080)).toBe('14080Mi');
  });
});

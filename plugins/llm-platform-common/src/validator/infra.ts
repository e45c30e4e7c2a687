import { stringLiterals, type HclBlock } from './hcl';
import type { RepoIndex } from './repo';

/** EC2 families whose instances carry NVIDIA GPUs. */
export const GPU_INSTANCE =
  /^(g4dn|g5|g6|g6e|gr6|p3|p3dn|p4d|p4de|p5|p5e|p5en)\./;

/** Managed node group AMI types that ship NVIDIA drivers. */
export const GPU_AMI_TYPES = [
  'AL2_x86_64_GPU',
  'AL2023_x86_64_NVIDIA',
  'AL2023_ARM_64_NVIDIA',
  'BOTTLEROCKET_x86_64_NVIDIA',
  'BOTTLEROCKET_ARM_64_NVIDIA',
];

/**
 * A node group with GPU instance types, as found in Terraform or tfvars.
 */
export interface GpuNodeGroup {
  block: HclBlock;
  instanceTypes: string[];
  amiType?: { value: string; line: number; literal?: string };
  /** Undefined when the labels are not literal. */
  labels?: Record<string, string>;
  taints: { key: string; value?: string; effect?: string }[];
}

function objectAttrs(block: HclBlock | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, a] of block?.attrs ?? []) {
    const literal = stringLiterals(a.value)[0];
    if (literal !== undefined) out[k] = literal;
  }
  return out;
}

function taintsOf(block: HclBlock) {
  const attr = block.attrs.get('taints') ?? block.attrs.get('taint');
  let objects: HclBlock[];
  if (!attr?.block) {
    objects = block.children.filter(
      c => c.header === '' || c.header === 'taint',
    );
  } else if (attr.block.children.length && !attr.block.attrs.has('key')) {
    // A map of taints (the EKS module's shape): one object per entry.
    objects = attr.block.children;
  } else {
    objects = [attr.block];
  }
  return objects
    .map(o => objectAttrs(o))
    .filter(t => t.key)
    .map(t => ({ key: t.key, value: t.value, effect: t.effect }));
}

/**
 * Every Terraform block or tfvars object that names GPU instance types.
 */
export function gpuNodeGroups(repo: RepoIndex): GpuNodeGroup[] {
  return repo.hclBlocks().flatMap(block => {
    const types =
      block.attrs.get('instance_types') ?? block.attrs.get('instance_type');
    if (!types) return [];
    const instanceTypes = stringLiterals(types.value);
    if (!instanceTypes.some(t => GPU_INSTANCE.test(t))) return [];
    const ami = block.attrs.get('ami_type');
    const labelsAttr = block.attrs.get('labels');
    return [
      {
        block,
        instanceTypes,
        amiType: ami && {
          value: ami.value,
          line: ami.line,
          literal: /^"[^"$]*"$/.test(ami.value)
            ? stringLiterals(ami.value)[0]
            : undefined,
        },
        labels: labelsAttr?.block ? objectAttrs(labelsAttr.block) : undefined,
        taints: taintsOf(block),
      },
    ];
  });
}

/**
 * Literal `chart` values of Helm releases installed by Terraform.
 */
export function helmCharts(repo: RepoIndex): string[] {
  return repo
    .hclBlocks()
    .filter(b => /^resource\s+"helm_release"/.test(b.header))
    .flatMap(b => stringLiterals(b.attrs.get('chart')?.value ?? ''));
}

/**
 * Terraform resources of a type, by header.
 */
export function tfResources(repo: RepoIndex, type: string): HclBlock[] {
  return repo
    .hclBlocks()
    .filter(b => new RegExp(`^resource\\s+"${type}"\\s+"`).test(b.header));
}

/** The name in `resource "type" "name"`. */
export function resourceName(block: HclBlock): string {
  return stringLiterals(block.header)[1] ?? '';
}

import { allBlocks, parseHcl, stringLiterals } from './hcl';

describe('parseHcl', () => {
  const root = parseHcl(
    [
      '# comment { not a block',
      'resource "aws_eks_node_group" "gpu" {',
      '  instance_types = ["g4dn.xlarge",',
      '    "g4dn.2xlarge"]',
      '  name = "${var.prefix}-gpu" // trailing { comment',
      '  labels = {',
      '    "nvidia.com/gpu.present" = "true"',
      '  }',
      '  taints = [',
      '    { key = "nvidia.com/gpu", value = "true", effect = "NO_SCHEDULE" },',
      '  ]',
      '  user_data = <<EOT',
      '  #!/bin/bash { }',
      '  EOT',
      '  ami_type = "AL2023_x86_64_NVIDIA"',
      '}',
    ].join('\n'),
    'main.tf',
  );

  it('finds blocks, attributes and their lines through comments, strings and heredocs', () => {
    const [group] = root.children;
    expect(group.header).toBe('resource "aws_eks_node_group" "gpu"');
    expect(group.line).toBe(2);
    expect(stringLiterals(group.attrs.get('instance_types')!.value)).toEqual([
      'g4dn.xlarge',
      'g4dn.2xlarge',
    ]);
    expect(group.attrs.get('name')).toMatchObject({ line: 5 });
    expect(group.attrs.get('ami_type')).toMatchObject({
      value: '"AL2023_x86_64_NVIDIA"',
      line: 15,
    });
    expect(
      group.attrs.get('labels')!.block!.attrs.get('nvidia.com/gpu.present'),
    ).toMatchObject({
      value: '"true"',
      line: 7,
    });
  });

  it('keeps objects inside lists as anonymous blocks', () => {
    const taint = allBlocks(root).find(
      b => b.header === '' && b.parent?.header.startsWith('resource'),
    );
    expect(taint?.line).toBe(10);
    expect([...taint!.attrs].map(([k, a]) => [k, a.value])).toEqual([
      ['key', '"nvidia.com/gpu"'],
      ['value', '"true"'],
      ['effect', '"NO_SCHEDULE"'],
    ]);
  });
});

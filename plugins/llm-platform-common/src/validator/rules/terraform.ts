import { resourceName } from '../infra';
import type { RuleHit, ValidationRule } from '../types';

const TAGGABLE = [
  'aws_vpc',
  'aws_subnet',
  'aws_internet_gateway',
  'aws_nat_gateway',
  'aws_eip',
  'aws_route_table',
  'aws_security_group',
  'aws_eks_cluster',
  'aws_eks_node_group',
  'aws_eks_addon',
  'aws_iam_role',
  'aws_iam_policy',
  'aws_ecr_repository',
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_launch_template',
  'aws_cloudwatch_log_group',
  'aws_kms_key',
];

export const terraformTags: ValidationRule = {
  id: 'P4-terraform-tags',
  title: 'Every AWS resource is tagged, so orphans of failed runs can be found',
  failures: ['P4'],
  severity: 'warning',
  fix: 'Set default_tags in the aws provider (project, environment, owner), or tags on the resource.',
  check(repo) {
    const blocks = repo.hclBlocks();
    const defaultTags = blocks.some(
      b =>
        b.header === 'default_tags' &&
        b.parent &&
        /^provider\s+"aws"/.test(b.parent.header),
    );
    if (defaultTags) return [];
    return blocks.flatMap((b): RuleHit[] => {
      const m = /^resource\s+"([\w]+)"/.exec(b.header);
      if (!m || !TAGGABLE.includes(m[1]) || b.attrs.has('tags')) return [];
      return [
        {
          file: b.file,
          line: b.line,
          message: `${m[1]}.${resourceName(
            b,
          )} has no tags and the aws provider sets no default_tags; after a failed run it cannot be found and cleaned up (NAT gateways and EIPs then exhaust quotas)`,
        },
      ];
    });
  },
};

export const launchTemplateUserData: ValidationRule = {
  id: 'P1-launch-template-user-data',
  title: 'Custom launch templates with their own AMI carry bootstrap user data',
  failures: ['P1'],
  severity: 'error',
  fix: 'Use managed node groups with an ami_type (EKS supplies AMI and bootstrap), or give the launch template the user data the AMI needs to join.',
  check(repo) {
    return repo
      .hclBlocks()
      .filter(b => /^resource\s+"aws_launch_template"/.test(b.header))
      .filter(b => b.attrs.has('image_id') && !b.attrs.has('user_data'))
      .map(b => ({
        file: b.file,
        line: b.attrs.get('image_id')!.line,
        message: `launch template ${resourceName(
          b,
        )} sets its own image_id without user_data; nodes launch but never join the cluster`,
      }));
  },
};

export const idempotentAddons: ValidationRule = {
  id: 'D28-idempotent-addons',
  title: 'Scripts do not create EKS add-ons that may already exist',
  failures: ['D28'],
  severity: 'warning',
  fix: 'Manage add-ons with Terraform aws_eks_addon, or fall back to `aws eks update-addon --resolve-conflicts OVERWRITE` when the add-on exists.',
  check(repo) {
    return repo
      .filesMatching(/\.(sh|ya?ml|md)$/)
      .filter(([, c]) => !/update-addon/.test(c))
      .flatMap(([file, content]) =>
        content.split('\n').flatMap((line, i): RuleHit[] =>
          /aws\s+eks\s+create-addon/.test(line)
            ? [
                {
                  file,
                  line: i + 1,
                  message:
                    '`aws eks create-addon` fails with ResourceInUseException when the add-on already exists',
                },
              ]
            : [],
        ),
      );
  },
};

export const unresolvedInterpolation: ValidationRule = {
  id: 'P2-no-unresolved-interpolation',
  title: 'No template placeholder is left unrendered in names or tags',
  failures: ['P2', 'D17'],
  severity: 'error',
  fix: 'Render the value from the template input; Secrets are created outside the repository.',
  check(repo) {
    return repo
      .filesMatching(/\.(ya?ml|tf|tfvars)$/)
      .filter(([path]) => !path.startsWith('.github/'))
      .flatMap(([file, content]) =>
        content.split('\n').flatMap((line, i): RuleHit[] => {
          const m = /\$\{\{\s*(values|parameters)\.[^}]*\}\}/.exec(line);
          return m
            ? [
                {
                  file,
                  line: i + 1,
                  message: `unrendered template expression ${m[0]}`,
                },
              ]
            : [];
        }),
      );
  },
};

import { resourceName } from '../infra';
import { stringLiterals } from '../hcl';
import { joinPath } from '../repo';
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

/** Add-ons EKS needs before any node can become Ready, so they may not wait for nodes. */
const PRE_NODE_ADDONS = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'];

export const addonsAfterNodes: ValidationRule = {
  id: 'P3-addons-after-nodes',
  title: 'Helm releases and EKS add-ons wait for the node groups',
  failures: ['P3', 'P5'],
  severity: 'warning',
  fix: 'Add depends_on on the node groups to the resource, or to every module call that creates it, so add-ons and workloads install after nodes exist.',
  check(repo) {
    const dirOf = (file: string) => file.split('/').slice(0, -1).join('/');
    const blocks = repo.hclBlocks();
    const calls = blocks
      .filter(b => /^module\s+"/.test(b.header))
      .map(b => {
        const source =
          stringLiterals(b.attrs.get('source')?.value ?? '')[0] ?? '';
        return {
          dir: source.startsWith('.')
            ? joinPath(dirOf(b.file), source)
            : undefined,
          ordered: b.attrs.has('depends_on'),
        };
      });
    return blocks.flatMap((b): RuleHit[] => {
      const m = /^resource\s+"(helm_release|aws_eks_addon)"/.exec(b.header);
      if (!m || b.attrs.has('depends_on')) return [];
      const addon = stringLiterals(b.attrs.get('addon_name')?.value ?? '')[0];
      if (addon && PRE_NODE_ADDONS.includes(addon)) return [];
      const callers = calls.filter(c => c.dir === dirOf(b.file));
      if (callers.length && callers.every(c => c.ordered)) return [];
      return [
        {
          file: b.file,
          line: b.line,
          message: `${m[1]}.${resourceName(
            b,
          )} does not wait for the node groups; it can install before any node exists and time out (Helm "context deadline exceeded", add-on DEGRADED)`,
        },
      ];
    });
  },
};

const NONE_ASSIGNMENT = /^\s*([\w.]+)\s*=\s*None\b/;

export const noneClientCalls: ValidationRule = {
  id: 'D27-no-calls-on-none',
  title: 'Clients that may be None are not called unguarded',
  failures: ['D27'],
  severity: 'error',
  fix: 'Use a real client when the optional backend is absent (the vLLM client when no SageMaker endpoint is set), or guard the call.',
  check(repo) {
    return repo.filesMatching(/\.py$/).flatMap(([file, content]) => {
      const lines = content.split('\n');
      const maybeNone = new Set(
        lines
          .map(l => NONE_ASSIGNMENT.exec(l)?.[1])
          .filter((x): x is string => Boolean(x)),
      );
      if (!maybeNone.size) return [];
      const service = file.split('/').slice(0, 2).join('/');
      const others = repo
        .filesMatching(/\.py$/)
        .filter(([f]) => f.startsWith(`${service}/`))
        .flatMap(([f, c]) => c.split('\n').map((l, i) => ({ f, l, i })));
      return [...maybeNone].flatMap(name => {
        const escaped = name.replace(/\./g, '\\.');
        const guarded = others.some(({ l }) =>
          new RegExp(
            `\\bif\\s+(not\\s+)?${escaped}\\b|${escaped}\\s+is\\s+(not\\s+)?None`,
          ).test(l),
        );
        if (guarded) return [];
        const call = others.find(({ l }) =>
          new RegExp(`${escaped}\\.\\w+\\(`).test(l),
        );
        return call
          ? [
              {
                file: call.f,
                line: call.i + 1,
                message: `${name} is set to None in ${file} and then called without a check; the request fails with "'NoneType' object has no attribute"`,
              },
            ]
          : [];
      });
    });
  },
};

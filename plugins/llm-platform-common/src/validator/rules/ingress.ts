import { helmCharts, tfResources } from '../infra';
import type { K8sObject, RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

const ALB_ANNOTATION = 'alb.ingress.kubernetes.io/';

function isAlbIngress(o: K8sObject): boolean {
  if (o.kind !== 'Ingress') return false;
  const annotations = o.value.metadata?.annotations ?? {};
  return (
    o.value.spec?.ingressClassName === 'alb' ||
    annotations['kubernetes.io/ingress.class'] === 'alb'
  );
}

/** The text of a Terraform block, from its header to its closing brace. */
function blockText(repo: RepoIndex, file: string, line: number): string {
  const lines = (repo.files.get(file) ?? '').split('\n');
  const end = lines.findIndex((l, i) => i >= line && /^\}/.test(l));
  return lines.slice(line - 1, end < 0 ? undefined : end + 1).join('\n');
}

export const albIngress: ValidationRule = {
  id: 'T-ingress-alb',
  title:
    'ALB Ingresses have their controller, tagged subnets and a health-check path',
  failures: ['T-ingress'],
  severity: 'error',
  fix: 'Install the AWS Load Balancer Controller (Helm chart aws-load-balancer-controller with its IAM role), tag the subnets kubernetes.io/role/elb (public) or kubernetes.io/role/internal-elb (private) and kubernetes.io/cluster/<cluster>, and set alb.ingress.kubernetes.io/healthcheck-path to an endpoint that answers 200.',
  check(repo) {
    const ingresses = repo.objects.filter(isAlbIngress);
    if (!ingresses.length) return [];
    const hits: RuleHit[] = [];
    const controller = helmCharts(repo).includes(
      'aws-load-balancer-controller',
    );
    // Subnets defined in this repository; with none, the VPC lives elsewhere.
    const subnets = tfResources(repo, 'aws_subnet').map(b =>
      blockText(repo, b.file, b.line),
    );
    for (const ing of ingresses) {
      const where = {
        file: ing.file,
        line: ing.doc.lineOf(['metadata', 'annotations']),
      };
      const annotations = ing.value.metadata?.annotations ?? {};
      const scheme = annotations[`${ALB_ANNOTATION}scheme`] ?? 'internal';
      const roleTag =
        scheme === 'internet-facing'
          ? 'kubernetes.io/role/elb'
          : 'kubernetes.io/role/internal-elb';
      if (!controller) {
        hits.push({
          ...where,
          line: ing.doc.lineOf(['spec', 'ingressClassName']),
          message: `Ingress "${ing.name}" asks for an ALB, but nothing installs the AWS Load Balancer Controller: the Ingress never gets an address`,
        });
      }
      if (
        subnets.length &&
        !subnets.some(
          t =>
            t.includes(`"${roleTag}"`) && t.includes('kubernetes.io/cluster/'),
        )
      ) {
        hits.push({
          ...where,
          message: `Ingress "${ing.name}" is a ${scheme} ALB, but no subnet in Terraform carries both ${roleTag} and kubernetes.io/cluster/<cluster>: the controller finds no subnets ("couldn't auto-discover subnets") and creates no ALB`,
        });
      }
      if (!annotations[`${ALB_ANNOTATION}healthcheck-path`]) {
        hits.push({
          ...where,
          message: `Ingress "${ing.name}" sets no ${ALB_ANNOTATION}healthcheck-path: the ALB checks "/", which the model server and the services do not answer with 200, so every target is unhealthy (502/503)`,
          fix: 'Set alb.ingress.kubernetes.io/healthcheck-path: /health.',
        });
      }
    }
    return hits;
  },
};

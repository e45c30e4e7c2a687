import { helmCharts } from '../infra';
import type { K8sObject } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

/** CNIs that bring their own network policy engine. */
const SECOND_CNIS = [
  'calico',
  'tigera-operator',
  'cilium',
  'antrea',
  'weave-net',
];

function selectsAllPods(p: K8sObject) {
  const selector = p.value.spec?.podSelector ?? {};
  return (
    !Object.keys(selector.matchLabels ?? {}).length &&
    !(selector.matchExpressions ?? []).length
  );
}

function allowsDns(p: K8sObject) {
  const spec = p.value.spec ?? {};
  if (!(spec.policyTypes ?? []).includes('Egress')) return false;
  return (spec.egress ?? []).some((rule: any) => {
    const ports: any[] = rule?.ports ?? [];
    // A rule without ports allows every port, DNS included.
    if (!ports.length) return true;
    const protocols = new Set(
      ports
        .filter(
          pt => pt?.port === 53 || pt?.port === 'dns' || pt?.port === undefined,
        )
        .map(pt => pt?.protocol ?? 'TCP'),
    );
    return protocols.has('UDP');
  });
}

export const networkPolicyDns: ValidationRule = {
  id: 'T-crashloop-network-policy',
  title:
    'Network policies that deny egress allow DNS, and one CNI enforces them',
  failures: ['T-crashloop', 'P3'],
  severity: 'error',
  fix: 'Next to each egress-denying policy, allow egress to kube-dns (namespace kube-system, k8s-app=kube-dns) on port 53 UDP and TCP; enforce policies with the VPC CNI (vpc-cni add-on configuration enableNetworkPolicy "true") and no second CNI.',
  check(repo) {
    const policies = repo.objectsOfKind('NetworkPolicy');
    if (!policies.length) return [];
    const hits: RuleHit[] = [];
    const byNamespace = new Map<string, K8sObject[]>();
    for (const p of policies) {
      const ns = p.namespace ?? 'default';
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), p]);
    }
    for (const [ns, list] of byNamespace) {
      const denyingEgress = list.find(
        p =>
          selectsAllPods(p) &&
          (p.value.spec?.policyTypes ?? []).includes('Egress'),
      );
      if (!denyingEgress || list.some(allowsDns)) continue;
      hits.push({
        file: denyingEgress.file,
        line: denyingEgress.doc.lineOf(['spec', 'policyTypes']),
        message: `NetworkPolicy "${denyingEgress.name}" restricts egress of every pod in namespace ${ns}, and no policy there allows DNS (port 53 UDP): every name lookup times out and the pods fail on their first outbound call`,
      });
    }
    const tf = repo.filesMatching(/\.tf$/);
    const vpcCniManaged = tf.some(([, c]) => /vpc-cni/.test(c));
    const enforced = tf.some(([, c]) => /enableNetworkPolicy/.test(c));
    const secondCnis = helmCharts(repo).filter(c => SECOND_CNIS.includes(c));
    const first = policies[0];
    if (vpcCniManaged && !enforced && !secondCnis.length) {
      hits.push({
        file: first.file,
        line: 1,
        severity: 'warning',
        message:
          'NetworkPolicies are applied, but the vpc-cni add-on is not configured with enableNetworkPolicy: nothing enforces them and every pod stays open',
        fix: 'Set configuration_values = jsonencode({ enableNetworkPolicy = "true" }) on the vpc-cni aws_eks_addon.',
      });
    }
    if (enforced && secondCnis.length) {
      hits.push({
        file: first.file,
        line: 1,
        message: `the VPC CNI enforces network policies and Terraform also installs ${secondCnis.join(
          ', ',
        )}: two policy engines on one node program conflicting rules (and a CNI chart installed before nodes times out, seed 001 #3)`,
        fix: 'Keep the VPC CNI network policy support and remove the second CNI.',
      });
    }
    return hits;
  },
};

/** The policy types a policy isolates pods for, with the API's defaulting. */
function policyTypes(p: K8sObject): string[] {
  const spec = p.value.spec ?? {};
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes;
  return spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

// Namespaces of the cluster's own add-ons, which the repository does not own.
const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

export const networkPolicyNamespaceCovered: ValidationRule = {
  id: 'P3-netpol-default-deny',
  title:
    'Once network policies are on, every namespace the repository creates or runs pods in denies by default',
  failures: ['P3'],
  severity: 'error',
  fix: 'Add a default-deny NetworkPolicy to the namespace (podSelector: {}, policyTypes: [Ingress, Egress], no rules), an allow-dns policy next to it, and allow rules for the flows its pods need.',
  check(repo) {
    const policies = repo.objectsOfKind('NetworkPolicy');
    const enforced = repo
      .filesMatching(/\.tf$/)
      .some(([, c]) => /enableNetworkPolicy/.test(c));
    if (!policies.length && !enforced) return [];
    // Where each namespace first shows up: its Namespace object, else a workload in it.
    const namespaces = new Map<string, { file: string; line: number }>();
    for (const ns of repo.objectsOfKind('Namespace')) {
      if (!namespaces.has(ns.name)) {
        namespaces.set(ns.name, {
          file: ns.file,
          line: ns.doc.lineOf(['metadata', 'name']),
        });
      }
    }
    for (const { owner } of repo.podTemplates()) {
      const ns = owner.namespace ?? 'default';
      if (!namespaces.has(ns)) {
        namespaces.set(ns, {
          file: owner.file,
          line: owner.doc.lineOf(['metadata', 'namespace']),
        });
      }
    }
    const hits: RuleHit[] = [];
    for (const [ns, where] of namespaces) {
      if (SYSTEM_NAMESPACES.includes(ns)) continue;
      const isolating = policies.filter(
        p => (p.namespace ?? 'default') === ns && selectsAllPods(p),
      );
      const open = ['Ingress', 'Egress'].filter(
        type => !isolating.some(p => policyTypes(p).includes(type)),
      );
      if (!open.length) continue;
      hits.push({
        ...where,
        message: `namespace ${ns} has no default-deny NetworkPolicy for ${open
          .join(' and ')
          .toLowerCase()}: network policies are on, but no policy there selects every pod, so its pods ${
          open.includes('Ingress') ? 'accept connections from any pod' : ''
        }${open.length === 2 ? ' and ' : ''}${
          open.includes('Egress') ? 'reach any address' : ''
        }`,
      });
    }
    return hits;
  },
};

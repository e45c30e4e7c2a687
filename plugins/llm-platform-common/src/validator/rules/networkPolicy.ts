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

import type { K8sObject } from './generatedRepo';

/** One end of a connection: a pod (namespace and labels) or an address outside the cluster. */
export interface Peer {
  namespace?: string;
  labels?: Record<string, string>;
  ip?: string;
}

function matches(selector: any, labels: Record<string, string> = {}) {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(
    ([k, v]) => labels[k] === v,
  );
  const byExpressions = (selector.matchExpressions ?? []).every((e: any) => {
    switch (e.operator) {
      case 'In':
        return e.values.includes(labels[e.key]);
      case 'NotIn':
        return !e.values.includes(labels[e.key]);
      case 'Exists':
        return e.key in labels;
      default:
        return !(e.key in labels);
    }
  });
  return byLabels && byExpressions;
}

function ipInCidr(ip: string, cidr: string) {
  const toInt = (a: string) =>
    a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [net, bits] = cidr.split('/');
  // Plain arithmetic rather than bit operations, which are signed 32-bit.
  const block = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / block) === Math.floor(toInt(net) / block);
}

/** Whether one `from`/`to` element of a rule admits the peer, as Kubernetes reads it. */
function peerMatches(element: any, policyNamespace: string, peer: Peer) {
  if (element.ipBlock) {
    return Boolean(peer.ip) && ipInCidr(peer.ip!, element.ipBlock.cidr);
  }
  if (peer.namespace === undefined) return false;
  const nsLabels = { 'kubernetes.io/metadata.name': peer.namespace };
  if (element.namespaceSelector) {
    return (
      matches(element.namespaceSelector, nsLabels) &&
      matches(element.podSelector, peer.labels)
    );
  }
  return (
    peer.namespace === policyNamespace &&
    matches(element.podSelector, peer.labels)
  );
}

function portMatches(rule: any, port: number, protocol: string) {
  if (!rule.ports?.length) return true;
  return rule.ports.some(
    (p: any) =>
      (p.protocol ?? 'TCP') === protocol &&
      (p.port === undefined || p.port === port),
  );
}

function sideAllows(
  policies: K8sObject[],
  type: 'Ingress' | 'Egress',
  self: Peer,
  other: Peer,
  port: number,
  protocol: string,
) {
  if (self.namespace === undefined) return true; // outside the cluster: no policy
  const applying = policies.filter(
    p =>
      p.metadata.namespace === self.namespace &&
      matches(p.spec.podSelector, self.labels) &&
      (p.spec.policyTypes ?? ['Ingress']).includes(type),
  );
  if (!applying.length) return true;
  const key = type === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = type === 'Ingress' ? 'from' : 'to';
  return applying.some(p =>
    (p.spec[key] ?? []).some(
      (rule: any) =>
        portMatches(rule, port, protocol) &&
        (!rule[peersKey]?.length ||
          rule[peersKey].some((e: any) =>
            peerMatches(e, p.metadata.namespace!, other),
          )),
    ),
  );
}

/**
 * Whether the NetworkPolicies among `objects` let `from` open a connection to
 * `to` on a port: the sender's egress and the receiver's ingress must both
 * allow it.
 */
export function connectionAllowed(
  objects: K8sObject[],
  from: Peer,
  to: Peer,
  port: number,
  protocol = 'TCP',
): boolean {
  const policies = objects.filter(o => o.kind === 'NetworkPolicy');
  return (
    sideAllows(policies, 'Egress', from, to, port, protocol) &&
    sideAllows(policies, 'Ingress', to, from, port, protocol)
  );
}

import { connectionAllowed } from './networkPolicies';

const policy = (namespace: string, name: string, spec: any) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});

const denyAll = (ns: string) =>
  policy(ns, 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

const api = { namespace: 'app', labels: { app: 'api' } };
const db = { namespace: 'data', labels: { app: 'db' } };

describe('connectionAllowed', () => {
  it('allows everything without policies, nothing after a default deny', () => {
    expect(connectionAllowed([], api, db, 5432)).toBe(true);
    expect(connectionAllowed([denyAll('data')], api, db, 5432)).toBe(false);
    expect(connectionAllowed([denyAll('app')], api, db, 5432)).toBe(false);
  });

  it('needs the egress of the sender and the ingress of the receiver, on the port', () => {
    const objects = [
      denyAll('app'),
      denyAll('data'),
      policy('app', 'out', {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': 'data' },
                },
              },
            ],
            ports: [{ protocol: 'TCP', port: 5432 }],
          },
        ],
      }),
    ];
    expect(connectionAllowed(objects, api, db, 5432)).toBe(false);
    const withIngress = [
      ...objects,
      policy('data', 'in', {
        podSelector: { matchLabels: { app: 'db' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': 'app' },
                },
                podSelector: { matchLabels: { app: 'api' } },
              },
            ],
          },
        ],
      }),
    ];
    expect(connectionAllowed(withIngress, api, db, 5432)).toBe(true);
    expect(connectionAllowed(withIngress, api, db, 5433)).toBe(false);
    expect(connectionAllowed(withIngress, api, db, 5432, 'UDP')).toBe(false);
    const other = { namespace: 'app', labels: { app: 'worker' } };
    expect(connectionAllowed(withIngress, other, db, 5432)).toBe(false);
  });

  it('matches addresses outside the cluster by ipBlock only', () => {
    const objects = [
      denyAll('data'),
      policy('data', 'lb', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }] }],
      }),
    ];
    expect(connectionAllowed(objects, { ip: '10.0.3.7' }, db, 80)).toBe(true);
    expect(connectionAllowed(objects, { ip: '10.1.3.7' }, db, 80)).toBe(false);
    expect(connectionAllowed(objects, api, db, 80)).toBe(false);
  });
});

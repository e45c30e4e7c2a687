import {
  cpuMillis,
  memoryMiB,
  terraformEval,
  terraformReferences,
  validateKubernetesSchemas,
} from './generatedRepo';

describe('generatedRepo helpers', () => {
  it('reports schema errors of Kubernetes objects', () => {
    const errors = validateKubernetesSchemas([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'broken' },
        spec: {
          selector: {},
          template: {
            spec: {
              containers: [
                { name: 'a', image: 'b', ports: [{ containerPort: '8000' }] },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'sm' },
      },
    ]);
    expect(errors).toEqual([
      expect.stringContaining('containerPort must be integer'),
      'monitoring.coreos.com/v1 ServiceMonitor: no schema',
    ]);
  });

  it('converts quantities', () => {
    expect(cpuMillis('250m')).toBe(250);
    expect(cpuMillis('3')).toBe(3000);
    expect(memoryMiB('1Gi')).toBe(1024);
    expect(memoryMiB('14080Mi')).toBe(14080);
  });

  it('finds Terraform references', () => {
    const refs = terraformReferences(
      'a = var.x\nb = local.y\nc = module.eks.oidc_provider_arn',
    );
    expect([...refs.vars, ...refs.locals, ...refs.moduleOutputs]).toEqual([
      'x',
      'y',
      'eks.oidc_provider_arn',
    ]);
  });

  it('evaluates Terraform expressions with Terraform itself', async () => {
    expect(
      await terraformEval([
        'cidrsubnet("10.20.0.0/16", 4, 1)',
        '[for i in range(2) : cidrsubnet("10.0.0.0/20", 8, i)]',
      ]),
    ).toEqual(['10.20.16.0/20', ['10.0.0.0/28', '10.0.0.16/28']]);
  });
});

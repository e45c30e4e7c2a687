import type { Entity } from '@backstage/catalog-model';
import { hasWorkloadAnnotations } from './annotations';
import { getWorkloadSelector } from './workloadSelector';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'llama', annotations },
  spec: {},
});

describe('getWorkloadSelector', () => {
  it('turns a kubernetes-id into the official plugin selector', () => {
    expect(
      getWorkloadSelector(
        entity({
          'backstage.io/kubernetes-id': 'llama',
          'backstage.io/kubernetes-namespace': 'inference',
        }),
      ),
    ).toEqual({
      configured: true,
      labelSelector: 'backstage.io/kubernetes-id=llama',
      namespace: 'inference',
    });
  });

  it('prefers the label selector annotation, like the official plugin', () => {
    expect(
      getWorkloadSelector(
        entity({
          'backstage.io/kubernetes-id': 'llama',
          'backstage.io/kubernetes-label-selector': 'app in (vllm, router)',
        }),
      ),
    ).toEqual({ configured: true, labelSelector: 'app in (vllm,router)' });
  });

  it('says which annotation is missing', () => {
    const result = getWorkloadSelector(entity({}));
    expect(result).toMatchObject({ configured: false, reason: 'missing' });
    expect(hasWorkloadAnnotations(entity({}))).toBe(false);
  });

  it.each([
    [{ 'backstage.io/kubernetes-id': 'llama"}' }, /kubernetes-id/],
    [{ 'backstage.io/kubernetes-label-selector': 'app in (' }, /unbalanced/],
    [
      {
        'backstage.io/kubernetes-id': 'llama',
        'backstage.io/kubernetes-namespace': 'Inference_NS',
      },
      /namespace "Inference_NS"/,
    ],
  ])(
    'reports an invalid annotation %j as not configured',
    (annotations, message) => {
      const result = getWorkloadSelector(entity(annotations));
      expect(result).toMatchObject({ configured: false, reason: 'invalid' });
      expect(result.configured === false && result.message).toMatch(message);
      expect(hasWorkloadAnnotations(entity(annotations))).toBe(true);
    },
  );
});

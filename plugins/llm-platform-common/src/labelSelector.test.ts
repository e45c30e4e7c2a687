import {
  InvalidSelectorError,
  formatLabelSelector,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it('parses every operator the Kubernetes API accepts', () => {
    expect(
      parseLabelSelector(
        'app.kubernetes.io/name=vllm, tier==gpu,env!=dev,zone in (a, b),track notin (canary),serving,!legacy',
      ),
    ).toEqual([
      { key: 'app.kubernetes.io/name', operator: 'Equals', value: 'vllm' },
      { key: 'tier', operator: 'Equals', value: 'gpu' },
      { key: 'env', operator: 'NotEquals', value: 'dev' },
      { key: 'zone', operator: 'In', values: ['a', 'b'] },
      { key: 'track', operator: 'NotIn', values: ['canary'] },
      { key: 'serving', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ]);
  });

  it('round-trips to the canonical form', () => {
    const canonical = formatLabelSelector(
      parseLabelSelector('a = b , c in (d,e) , !f'),
    );
    expect(canonical).toBe('a=b,c in (d,e),!f');
    expect(formatLabelSelector(parseLabelSelector(canonical))).toBe(canonical);
  });

  it('accepts an empty value, as the API does', () => {
    expect(parseLabelSelector('app=')).toEqual([
      { key: 'app', operator: 'Equals', value: '' },
    ]);
  });

  it.each([
    ['', /empty/],
    ['app=vllm,', /empty requirement/],
    ['app in (a,b', /unbalanced/],
    ['app in ((a))', /unbalanced/],
    ['app=vllm"} or vector(1)', /not valid/],
    ['-app=x', /label key "-app"/],
    ['Bad_Prefix/app=x', /invalid prefix/],
    [`app=${'x'.repeat(64)}`, /at most 63/],
    ['app = vllm extra', /not valid/],
  ])('rejects %j with a message that says what is wrong', (input, message) => {
    expect(() => parseLabelSelector(input)).toThrow(InvalidSelectorError);
    expect(() => parseLabelSelector(input)).toThrow(message);
  });
});

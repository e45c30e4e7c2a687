import { podsOf, toPodTable } from './podTable';
import { resolvePods } from './resolvePods';
import type { PodSummary, PodTemplateSummary } from './workloads';

const healthy = (i: number): PodSummary => ({
  name: `vllm-0-7d4f8b9c6-${String(i).padStart(5, '0')}`,
  namespace: 'serving',
  template: 'tpl-a',
  phase: 'Running',
  readyContainers: 2,
  createdAt: '2026-01-01T00:00:00Z',
  node: `gpu-${i % 3}`,
});

const pods: PodSummary[] = [
  healthy(0),
  healthy(1),
  {
    name: 'vllm-1-5c9f-x2k4p',
    namespace: 'eval',
    template: 'tpl-b',
    phase: 'Pending',
    readyContainers: 0,
    reason: 'Unschedulable',
    message: '0/300 nodes are available: 300 Insufficient nvidia.com/gpu.',
    createdAt: '2026-01-01T00:00:01.250Z',
  },
  {
    name: 'vllm-1-5c9f-crash',
    namespace: 'eval',
    template: 'tpl-b',
    phase: 'Running',
    readyContainers: 0,
    restarts: 4,
    node: 'gpu-1',
    containers: [
      {
        state: 'waiting',
        ready: false,
        restartCount: 4,
        reason: 'CrashLoopBackOff',
        lastTermination: { reason: 'OOMKilled', exitCode: 137 },
      },
    ],
    events: [
      { type: 'Warning', reason: 'BackOff', message: 'Back-off', count: 9 },
    ],
  },
];

const templates: Record<string, PodTemplateSummary> = {
  'tpl-a': {
    owner: { kind: 'Deployment', name: 'vllm-0' },
    containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1' }],
    requests: { gpu: 1 },
    limits: { gpu: 1 },
  },
  'tpl-b': {
    containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.10.1' }],
    requests: {},
    limits: {},
  },
};

describe('pod tables', () => {
  it('give back every pod as it was, in order', () => {
    const table = JSON.parse(JSON.stringify(toPodTable(pods)));
    expect(podsOf({ podTable: table })).toEqual(pods);
    expect(table.namespaces).toEqual(['serving', 'eval']);
    expect(table.nodes).toEqual(['gpu-0', 'gpu-1']);
    // Rows carry indexes and whole seconds; the rare fields only when set.
    expect(table.rows[0]).toEqual([
      'vllm-0-7d4f8b9c6-00000',
      0,
      0,
      0,
      2,
      Date.parse('2026-01-01T00:00:00Z') / 1000,
      0,
    ]);
    expect(table.rows[2][5]).toBe('2026-01-01T00:00:01.250Z');
    expect(table.rows[2][6]).toBe(-1);
    expect(table.rows[3][7]).toMatchObject({ restarts: 4 });
  });

  it('take about a third of the bytes of one object per pod', () => {
    const many = Array.from({ length: 2000 }, (_, i) => healthy(i));
    const objects = JSON.stringify(many).length;
    expect(JSON.stringify(toPodTable(many)).length).toBeLessThan(objects / 3);
  });

  it('resolve to the same pods as objects do, memoised per table', () => {
    const table = toPodTable(pods);
    const generatedAt = '2026-01-01T01:00:00Z';
    const fromTable = resolvePods(
      { podTable: table, podTemplates: templates },
      generatedAt,
    );
    expect(fromTable).toEqual(
      resolvePods({ pods, podTemplates: templates }, generatedAt),
    );
    expect(fromTable[0]).toMatchObject({
      owner: { kind: 'Deployment', name: 'vllm-0' },
      ageSeconds: 3600,
      totalContainers: 1,
    });
    expect(
      resolvePods({ podTable: table, podTemplates: templates }, generatedAt)[0],
    ).toBe(fromTable[0]);
  });

  it('give the same pod object for a row kept across refreshes', () => {
    const first = toPodTable(pods);
    const changedRow = [...first.rows[1]] as (typeof first.rows)[1];
    changedRow[4] = 1;
    const second = {
      ...first,
      rows: [first.rows[0], changedRow, ...first.rows.slice(2)],
    };
    expect(podsOf({ podTable: second })[0]).toBe(
      podsOf({ podTable: first })[0],
    );
    expect(podsOf({ podTable: second })[1]).toMatchObject({
      readyContainers: 1,
    });
    // Other lists, other meaning for the same indexes.
    const moved = { ...second, nodes: ['gpu-9', 'gpu-8'] };
    expect(podsOf({ podTable: moved })[0].node).toBe('gpu-9');
  });

  it('read an answer without pods as empty', () => {
    expect(podsOf({})).toEqual([]);
  });
});

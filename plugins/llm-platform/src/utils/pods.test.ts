import { makePod } from '../__fixtures__/workloads';
import { lastReason, podStatus, queryPods } from './pods';

const waiting = (reason: string) =>
  makePod('p').containers.map(c => ({
    ...c,
    ready: false,
    state: 'waiting' as const,
    reason,
  }));

describe('pods', () => {
  it('says why a pod is not ready', () => {
    expect(podStatus(makePod('ok'))).toEqual({ label: 'Ready', status: 'ok' });
    expect(
      podStatus(
        makePod('crash', {
          readyContainers: 0,
          containers: waiting('CrashLoopBackOff'),
        }),
      ),
    ).toEqual({ label: 'CrashLoopBackOff', status: 'error' });
    expect(
      podStatus(
        makePod('pending', { phase: 'Pending', reason: 'Unschedulable' }),
      ),
    ).toEqual({ label: 'Unschedulable', status: 'warning' });
    expect(
      podStatus(makePod('evicted', { phase: 'Failed', reason: 'Evicted' })),
    ).toEqual({
      label: 'Evicted',
      status: 'error',
    });
  });

  it('prefers a real reason over one that only says the pod is starting', () => {
    expect(
      lastReason(
        makePod('p', {
          phase: 'Pending',
          reason: 'Unschedulable',
          containers: waiting('ContainerCreating'),
        }),
      ),
    ).toBe('Unschedulable');
    expect(
      lastReason(makePod('p', { containers: waiting('ImagePullBackOff') })),
    ).toBe('ImagePullBackOff');
    expect(
      lastReason(makePod('p', { containers: waiting('ContainerCreating') })),
    ).toBe('ContainerCreating');
    const restarted = makePod('p').containers.map(c => ({
      ...c,
      lastTermination: { reason: 'OOMKilled', exitCode: 137 },
    }));
    expect(lastReason(makePod('p', { containers: restarted }))).toBe(
      'OOMKilled',
    );
    expect(lastReason(makePod('p'))).toBeUndefined();
  });

  it('filters by text across name, node, owner and reason, then sorts', () => {
    const rows = [
      makePod('b', { node: 'gpu-1', restarts: 2 }),
      makePod('a', { node: 'gpu-2', restarts: 2 }),
      makePod('c', { node: 'cpu-1', restarts: 5 }),
    ].map(pod => ({ key: pod.name, cluster: 'prod', pod }));
    const byRestarts = queryPods(rows, {
      text: 'GPU',
      status: 'all',
      sortKey: 'restarts',
      sortDirection: 'desc',
    });
    // Equal restarts fall back to the pod name.
    expect(byRestarts.map(r => r.pod.name)).toEqual(['a', 'b']);
    expect(
      queryPods(rows, {
        text: '',
        status: 'restarted',
        sortKey: 'node',
        sortDirection: 'asc',
      }).map(r => r.pod.node),
    ).toEqual(['cpu-1', 'gpu-1', 'gpu-2']);
  });
});

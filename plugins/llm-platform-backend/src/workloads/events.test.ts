import type { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  ClusterWorkloads,
  podsOf,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { createClusterClient } from '../kubernetes/ClusterClient';
import { createWorkloadsService } from '../service/WorkloadsService';
import { jsonText } from './jsonParts';
import type { WorkloadsService } from '../service/types';
import { RunningScenario, buildWarningEvent, startScenario } from '../testing';

// No result cache: every call reads the cluster again.
const noCache: CacheService = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  withOptions: () => noCache,
};

const POD = 'gateway-5bcfd5d67c-bvxpt';
const QUERY = {
  labelSelector: 'backstage.io/kubernetes-id=gateway',
  namespace: 'platform',
};

describe('warning events on pods', () => {
  let running: RunningScenario;
  let workloads: WorkloadsService;

  beforeEach(async () => {
    running = await startScenario('d24-probe-failing');
    const [cluster] = running.clusters;
    workloads = createWorkloadsService({
      clients: [
        createClusterClient(
          {
            name: cluster.name,
            url: cluster.url,
            skipTLSVerify: true,
            auth: { provider: 'serviceAccount', token: cluster.token },
          },
          { timeoutMs: 2000 },
        ),
      ],
      cache: noCache,
      logger: mockServices.logger.mock(),
      resultTtlMs: 1,
      clusterTtlMs: 60_000,
      timeoutMs: 2000,
    });
  });
  afterEach(async () => {
    workloads.stop();
    await running.stop();
  });

  async function pods() {
    const result = await workloads.getWorkloads(QUERY);
    const [cluster]: ClusterWorkloads[] = JSON.parse(jsonText(result.clusters));
    return podsOf(cluster);
  }

  it('attaches the warning events already listed to the pod they are about', async () => {
    const [pod] = await pods();
    expect(pod.name).toBe(POD);
    expect(pod.events).toEqual([
      {
        type: 'Warning',
        reason: 'Unhealthy',
        message: 'Startup probe failed: HTTP probe failed with statuscode: 404',
        count: 17,
      },
    ]);
  });

  it('keeps the five most recent per pod, newest first, without a call per pod', async () => {
    const sim = running.clusters[0].simulator;
    for (let i = 0; i < 7; i++) {
      sim.apply({
        ...buildWarningEvent({
          name: `${POD}.back-off-${i}`,
          namespace: 'platform',
          object: { kind: 'Pod', name: POD },
          reason: 'BackOff',
          message: `Back-off restarting failed container, round ${i}`,
          count: i + 1,
        }),
        // Applied out of order: the order comes from the timestamps.
        lastTimestamp: `2026-02-25T10:0${(i * 3) % 7}:00Z`,
      });
    }
    // About another pod, and an event that is not a warning.
    sim.apply(
      buildWarningEvent({
        name: 'other.1',
        namespace: 'platform',
        object: { kind: 'Pod', name: 'other-pod' },
        reason: 'Failed',
        message: 'not this pod',
      }),
    );
    sim.apply({
      ...buildWarningEvent({
        name: `${POD}.pulled`,
        namespace: 'platform',
        object: { kind: 'Pod', name: POD },
        reason: 'Pulled',
        message: 'Successfully pulled image',
      }),
      type: 'Normal',
    });
    sim.resetRequests();

    const [pod] = await pods();
    // Rounds 0..6 happened at minutes 0, 3, 6, 2, 5, 1, 4.
    expect(pod.events?.map(e => e.lastSeen)).toEqual([
      '2026-02-25T10:06:00Z',
      '2026-02-25T10:05:00Z',
      '2026-02-25T10:04:00Z',
      '2026-02-25T10:03:00Z',
      '2026-02-25T10:02:00Z',
    ]);
    expect(pod.events?.[0]).toEqual({
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container, round 2',
      count: 3,
      lastSeen: '2026-02-25T10:06:00Z',
    });
    // One list of warning events for the whole request.
    const eventCalls = sim.requests.filter(r => r.resource === 'events');
    expect(eventCalls).toHaveLength(1);
    expect(decodeURIComponent(eventCalls[0].path)).toContain(
      'fieldSelector=type=Warning',
    );
  });
});

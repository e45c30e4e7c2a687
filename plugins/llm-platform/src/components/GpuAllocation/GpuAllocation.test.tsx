import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type {
  ClusterWorkloads,
  GpuAllocation as GpuAllocationData,
  NodeClaimSummary,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { GpuAllocation } from './GpuAllocation';

const claim = (
  overrides: Partial<NodeClaimSummary> &
    Pick<NodeClaimSummary, 'name' | 'state'>,
): NodeClaimSummary => ({
  gpuRequested: 1,
  conditions: {
    launched: 'Unknown',
    registered: 'Unknown',
    initialized: 'Unknown',
  },
  createdAt: '2026-11-22T11:55:00Z',
  ageSeconds: 300,
  ...overrides,
});

// Only what the panel reads of a cluster's workloads.
function cluster(gpu: Partial<GpuAllocationData>): ClusterWorkloads {
  return {
    cluster: 'dev',
    errors: [],
    gpu: {
      nodes: [],
      totals: {
        gpuNodes: 0,
        capacity: 0,
        allocatable: 0,
        requested: 0,
        entityRequested: 0,
        missingNodes: 0,
      },
      observedAt: '2026-11-22T12:00:00Z',
      ...gpu,
    },
  } as unknown as ClusterWorkloads;
}

describe('GpuAllocation', () => {
  it('shows the GPU capacity Karpenter is bringing up, with each NodeClaim state', async () => {
    await renderInTestApp(
      <GpuAllocation
        clusters={[
          cluster({
            nodeClaims: [
              claim({
                name: 'gpu-9qmtz',
                state: 'failed',
                nodePool: 'gpu',
                instanceType: 'g5.2xlarge',
                conditions: {
                  launched: 'False',
                  registered: 'Unknown',
                  initialized: 'Unknown',
                },
                reason: 'InsufficientCapacityError',
                message:
                  'all requested instance types were unavailable during launch',
              }),
              claim({
                name: 'gpu-7xk2p',
                state: 'launching',
                nodePool: 'gpu',
                instanceType: 'g5.xlarge',
                gpuRequested: 2,
                ageSeconds: 90,
                conditions: {
                  launched: 'True',
                  registered: 'Unknown',
                  initialized: 'Unknown',
                },
                reason: 'AwaitingReconciliation',
                message: 'Node not registered with cluster',
              }),
              claim({ name: 'gpu-new', state: 'pending', ageSeconds: 12 }),
              claim({
                name: 'gpu-4h8vn',
                state: 'ready',
                nodeName: 'ip-10-0-1-10',
                conditions: {
                  launched: 'True',
                  registered: 'True',
                  initialized: 'True',
                },
              }),
            ],
          }),
        ]}
      />,
    );
    const section = await screen.findByRole('region', {
      name: 'Karpenter NodeClaims in dev',
    });
    expect(
      within(section).getByRole('heading', {
        name: 'Pending GPU capacity (Karpenter)',
      }),
    ).toBeInTheDocument();
    expect(
      within(section).getByText('3 GPUs on the way in 2 NodeClaims, 1 failed'),
    ).toBeInTheDocument();

    const failed = within(section).getByRole('listitem', {
      name: 'NodeClaim gpu-9qmtz',
    });
    expect(within(failed).getByText('Failed')).toBeInTheDocument();
    expect(
      within(failed).getByText(
        /g5\.2xlarge · NodePool gpu · 1 GPU requested · age 5m/,
      ),
    ).toBeInTheDocument();
    expect(
      within(failed).getByText(
        'Launched: failed · Registered: waiting · Initialized: waiting',
      ),
    ).toBeInTheDocument();
    expect(
      within(failed).getByText(
        'InsufficientCapacityError: all requested instance types were unavailable during launch',
      ),
    ).toBeInTheDocument();

    const launching = within(section).getByRole('listitem', {
      name: 'NodeClaim gpu-7xk2p',
    });
    expect(within(launching).getByText('Launching')).toBeInTheDocument();
    expect(
      within(launching).getByText(/2 GPUs requested · age 1m/),
    ).toBeInTheDocument();
    expect(
      within(launching).getByText(/Node not registered with cluster/),
    ).toBeInTheDocument();

    const pending = within(section).getByRole('listitem', {
      name: 'NodeClaim gpu-new',
    });
    expect(within(pending).getByText('Pending')).toBeInTheDocument();
    expect(
      within(pending).getByText(/instance type not chosen yet/),
    ).toBeInTheDocument();

    const ready = within(section).getByRole('listitem', {
      name: 'NodeClaim gpu-4h8vn',
    });
    expect(within(ready).getByText('Ready')).toBeInTheDocument();
    expect(within(ready).getByText(/node ip-10-0-1-10/)).toBeInTheDocument();
    expect(
      within(ready).getByText(
        'Launched: yes · Registered: yes · Initialized: yes',
      ),
    ).toBeInTheDocument();
  });

  it('shows the pending capacity even before the cluster has any GPU node', async () => {
    await renderInTestApp(
      <GpuAllocation
        clusters={[
          cluster({
            nodeClaims: [claim({ name: 'gpu-first', state: 'pending' })],
          }),
        ]}
      />,
    );
    const panel = await screen.findByRole('region', { name: 'GPU allocation' });
    expect(
      within(panel).getByText('No GPU nodes in this cluster.'),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('listitem', { name: 'NodeClaim gpu-first' }),
    ).toBeInTheDocument();
  });

  it('says Karpenter brings up nothing when it has no GPU NodeClaims', async () => {
    await renderInTestApp(
      <GpuAllocation clusters={[cluster({ nodeClaims: [] })]} />,
    );
    expect(
      await screen.findByText(
        'No GPU NodeClaims: Karpenter is not bringing up GPU nodes.',
      ),
    ).toBeInTheDocument();
  });

  it('has no Karpenter section where Karpenter is not installed', async () => {
    await renderInTestApp(<GpuAllocation clusters={[cluster({})]} />);
    await screen.findByRole('region', { name: 'GPU allocation' });
    expect(
      screen.queryByRole('region', { name: /Karpenter NodeClaims/ }),
    ).toBeNull();
  });
});

import { memo, useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import LinearProgress from '@mui/material/LinearProgress';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import type {
  ClusterWorkloads,
  GpuMetrics,
  GpuNodeState,
  GpuNodeSummary,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { StatusChip } from '../StatusChip';
import { HealthStatus } from '../../utils/thresholds';
import { formatMiB, formatPercent } from '../../utils/format';
import { NodeClaims } from './NodeClaims';
import { errorText } from '../../utils/contrast';

const NODE_STATE: Record<
  GpuNodeState,
  { status: HealthStatus; label: string }
> = {
  full: { status: 'ok', label: 'All GPUs requested' },
  partial: { status: 'ok', label: 'GPUs free' },
  idle: { status: 'unknown', label: 'Idle' },
  missing: { status: 'error', label: 'Advertises no GPUs' },
  none: { status: 'unknown', label: 'Not a GPU node' },
};

const STATE_ORDER: Record<GpuNodeState, number> = {
  missing: 0,
  full: 1,
  partial: 1,
  idle: 2,
  none: 3,
};

const NO_GPUS: GpuMetrics[] = [];

const INITIAL_NODES = 12;

const NodeRow = memo(
  ({ node, gpus }: { node: GpuNodeSummary; gpus: GpuMetrics[] }) => {
    const state = NODE_STATE[node.state];
    const fraction = node.gpuAllocatable
      ? Math.min(1, node.gpuRequested / node.gpuAllocatable)
      : 0;
    return (
      <Box
        component="li"
        aria-label={`Node ${node.name}`}
        sx={{ py: 1.25, borderTop: 1, borderColor: 'divider' }}
      >
        <Box
          sx={{
            display: 'flex',
            gap: 1,
            alignItems: 'center',
            flexWrap: 'wrap',
          }}
        >
          <Typography variant="body2" component="h4" sx={{ fontWeight: 500 }}>
            {node.name}
          </Typography>
          <StatusChip status={state.status} label={state.label} />
          {!node.ready && <StatusChip status="error" label="NotReady" />}
          {!node.schedulable && (
            <StatusChip status="warning" label="Cordoned" />
          )}
          <Typography variant="caption" color="text.secondary">
            {[node.instanceType, node.gpuProduct].filter(Boolean).join(' · ') ||
              'unknown instance type'}
          </Typography>
        </Box>
        {node.state === 'missing' ? (
          <Typography variant="body2" sx={{ mt: 0.5, color: errorText }}>
            This GPU instance advertises no nvidia.com/gpu: check the AMI type
            and the NVIDIA device plugin.
          </Typography>
        ) : (
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mt: 0.5 }}>
            <LinearProgress
              variant="determinate"
              value={fraction * 100}
              aria-label={`GPUs requested on ${node.name}`}
              aria-valuetext={`${node.gpuRequested} of ${node.gpuAllocatable} GPUs requested`}
              sx={{ flex: '0 1 240px', height: 10, borderRadius: 1 }}
            />
            <Typography variant="body2">
              {node.gpuRequested} / {node.gpuAllocatable} GPUs requested
              {node.entityGpuRequested
                ? ` (${node.entityGpuRequested} by this entity)`
                : ''}
            </Typography>
          </Box>
        )}
        {gpus.length > 0 && (
          <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5 }}>
            {gpus.map(g => (
              <Typography component="li" variant="caption" key={g.uuid}>
                GPU {g.index}
                {g.pod ? ` (${g.pod})` : ''}: utilisation{' '}
                {formatPercent(g.utilization.now)}, memory{' '}
                {formatMiB(g.memoryUsedMiB.now)} /{' '}
                {formatMiB(g.memoryTotalMiB.now)}
              </Typography>
            ))}
          </Box>
        )}
      </Box>
    );
  },
);

const ClusterGpus = ({
  cluster,
  gpusByNode,
  showName,
}: {
  cluster: ClusterWorkloads;
  gpusByNode: Map<string, GpuMetrics[]>;
  showName: boolean;
}) => {
  const [showAll, setShowAll] = useState(false);
  const nodes = useMemo(
    () =>
      [...cluster.gpu.nodes].sort(
        (a, b) =>
          STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
          Number(b.hostsEntityPods) - Number(a.hostsEntityPods) ||
          a.name.localeCompare(b.name),
      ),
    [cluster.gpu.nodes],
  );
  const { totals } = cluster.gpu;
  const shown = showAll ? nodes : nodes.slice(0, INITIAL_NODES);
  return (
    <Box
      component="section"
      aria-label={`GPUs in ${cluster.cluster}`}
      sx={{ mb: 2 }}
    >
      {showName && (
        <Typography variant="subtitle1" component="h3">
          {cluster.cluster}
        </Typography>
      )}
      <Typography variant="body2" sx={{ mb: 1 }}>
        <strong>
          {totals.requested} / {totals.allocatable}
        </strong>{' '}
        allocatable GPUs requested on {totals.gpuNodes} GPU node
        {totals.gpuNodes === 1 ? '' : 's'} ({totals.entityRequested} by this
        entity, capacity {totals.capacity})
        {totals.missingNodes > 0 && (
          <Box component="span" sx={{ color: errorText, fontWeight: 500 }}>
            {' '}
            ·{' '}
            {totals.missingNodes === 1
              ? '1 GPU node advertises no GPUs'
              : `${totals.missingNodes} GPU nodes advertise no GPUs`}
          </Box>
        )}
      </Typography>
      {nodes.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No GPU nodes in this cluster.
        </Typography>
      ) : (
        <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }}>
          {shown.map(node => (
            <NodeRow
              key={node.name}
              node={node}
              gpus={gpusByNode.get(node.name) ?? NO_GPUS}
            />
          ))}
        </Box>
      )}
      {nodes.length > INITIAL_NODES && (
        <Button size="small" onClick={() => setShowAll(s => !s)}>
          {showAll ? 'Show fewer nodes' : `Show all ${nodes.length} nodes`}
        </Button>
      )}
      {cluster.gpu.nodeClaims && (
        <NodeClaims cluster={cluster.cluster} claims={cluster.gpu.nodeClaims} />
      )}
    </Box>
  );
};

/**
 * GPU allocation per node, with each cluster's totals on top and, where
 * Karpenter runs, the GPU capacity it is bringing up.
 */
export const GpuAllocation = memo(
  ({
    clusters,
    gpus,
  }: {
    clusters?: ClusterWorkloads[];
    gpus?: GpuMetrics[];
  }) => {
    const gpusByNode = useMemo(() => {
      const map = new Map<string, GpuMetrics[]>();
      for (const g of gpus ?? []) {
        if (!g.node) continue;
        map.set(g.node, [...(map.get(g.node) ?? []), g]);
      }
      return map;
    }, [gpus]);
    const withNodes = clusters?.filter(
      c =>
        c.errors.length === 0 || c.gpu.nodes.length || c.gpu.nodeClaims?.length,
    );
    return (
      <Card component="section" aria-label="GPU allocation">
        <CardHeader
          title="GPU allocation"
          titleTypographyProps={{ variant: 'h6', component: 'h2' }}
        />
        <CardContent sx={{ pt: 0 }}>
          {!withNodes ? (
            <>
              <Skeleton variant="text" />
              <Skeleton variant="rounded" height={40} />
            </>
          ) : (
            withNodes.map(c => (
              <ClusterGpus
                key={c.cluster}
                cluster={c}
                gpusByNode={gpusByNode}
                showName={clusters!.length > 1}
              />
            ))
          )}
        </CardContent>
      </Card>
    );
  },
);

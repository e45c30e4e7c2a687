import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type {
  NodeClaimState,
  NodeClaimSummary,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { StatusChip } from '../StatusChip';
import { HealthStatus } from '../../utils/thresholds';
import { formatAge } from '../../utils/format';
import { errorText } from '../../utils/contrast';

const STATE: Record<NodeClaimState, { status: HealthStatus; label: string }> = {
  failed: { status: 'error', label: 'Failed' },
  pending: { status: 'warning', label: 'Pending' },
  launching: { status: 'warning', label: 'Launching' },
  ready: { status: 'ok', label: 'Ready' },
};

const CONDITIONS = [
  ['launched', 'Launched'],
  ['registered', 'Registered'],
  ['initialized', 'Initialized'],
] as const;

// Words, not glyphs: a screen reader reads them as they are meant.
const CONDITION_STATUS = {
  True: 'yes',
  False: 'failed',
  Unknown: 'waiting',
} as const;

const ClaimRow = ({ claim }: { claim: NodeClaimSummary }) => {
  const state = STATE[claim.state];
  return (
    <Box
      component="li"
      aria-label={`NodeClaim ${claim.name}`}
      sx={{ py: 1, borderTop: 1, borderColor: 'divider' }}
    >
      <Box
        sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}
      >
        <Typography variant="body2" component="h5" sx={{ fontWeight: 500 }}>
          {claim.name}
        </Typography>
        <StatusChip status={state.status} label={state.label} />
        <Typography variant="caption" color="text.secondary">
          {[
            claim.instanceType ?? 'instance type not chosen yet',
            claim.nodePool && `NodePool ${claim.nodePool}`,
            `${claim.gpuRequested} GPU${
              claim.gpuRequested === 1 ? '' : 's'
            } requested`,
            `age ${formatAge(claim.ageSeconds)}`,
            claim.nodeName && `node ${claim.nodeName}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      </Box>
      <Typography variant="caption" component="p" color="text.secondary">
        {CONDITIONS.map(
          ([key, label]) =>
            `${label}: ${CONDITION_STATUS[claim.conditions[key]]}`,
        ).join(' · ')}
      </Typography>
      {claim.state !== 'ready' && (claim.reason || claim.message) && (
        <Typography
          variant="body2"
          sx={{
            color: claim.state === 'failed' ? errorText : 'text.secondary',
          }}
        >
          {[claim.reason, claim.message].filter(Boolean).join(': ')}
        </Typography>
      )}
    </Box>
  );
};

/**
 * GPU capacity Karpenter is bringing up (or failed to): the cluster's GPU
 * NodeClaims, the answer to "why is my pod pending for a GPU".
 */
export const NodeClaims = ({
  cluster,
  claims,
}: {
  cluster: string;
  claims: NodeClaimSummary[];
}) => {
  const coming = claims.filter(
    c => c.state === 'pending' || c.state === 'launching',
  );
  const gpusComing = coming.reduce((sum, c) => sum + c.gpuRequested, 0);
  const failed = claims.filter(c => c.state === 'failed').length;
  return (
    <Box
      component="section"
      aria-label={`Karpenter NodeClaims in ${cluster}`}
      sx={{ mt: 1.5 }}
    >
      <Typography variant="subtitle2" component="h4">
        Pending GPU capacity (Karpenter)
      </Typography>
      <Typography variant="body2" sx={{ mb: 0.5 }}>
        {claims.length === 0
          ? 'No GPU NodeClaims: Karpenter is not bringing up GPU nodes.'
          : `${gpusComing} GPU${gpusComing === 1 ? '' : 's'} on the way in ${
              coming.length
            } NodeClaim${coming.length === 1 ? '' : 's'}${
              failed ? `, ${failed} failed` : ''
            }`}
      </Typography>
      {claims.length > 0 && (
        <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }}>
          {claims.map(c => (
            <ClaimRow key={c.name} claim={c} />
          ))}
        </Box>
      )}
    </Box>
  );
};

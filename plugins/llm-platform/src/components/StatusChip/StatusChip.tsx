import Chip from '@mui/material/Chip';
import { HealthStatus, STATUS_LABEL } from '../../utils/thresholds';

const COLOR = {
  ok: 'success',
  warning: 'warning',
  error: 'error',
  unknown: 'default',
} as const;

// A glyph as well as a colour, so the status reads without colour vision.
const GLYPH: Record<HealthStatus, string> = {
  ok: '✓',
  warning: '!',
  error: '✕',
  unknown: '–',
};

/** A coloured chip that always spells out what its colour means. */
export const StatusChip = ({
  status,
  label = STATUS_LABEL[status],
  size = 'small',
}: {
  status: HealthStatus;
  label?: string;
  size?: 'small' | 'medium';
}) => (
  <Chip
    size={size}
    color={COLOR[status]}
    variant={status === 'unknown' ? 'outlined' : 'filled'}
    icon={
      <span aria-hidden style={{ fontWeight: 700, paddingLeft: 6 }}>
        {GLYPH[status]}
      </span>
    }
    label={label}
  />
);

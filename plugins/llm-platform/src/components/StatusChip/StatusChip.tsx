import Chip from '@mui/material/Chip';
import type { Theme } from '@mui/material/styles';
import { HealthStatus, STATUS_LABEL } from '../../utils/thresholds';
import { textOnStatusFill } from '../../utils/contrast';

const COLOR = {
  ok: 'success',
  warning: 'warning',
  error: 'error',
  unknown: 'default',
} as const;

// Text on the fill at 4.5:1 at least, as WCAG asks of text.
const onFill = (color: 'success' | 'warning' | 'error') => (theme: Theme) => {
  const text = textOnStatusFill(theme, color);
  return { color: text, '& .MuiChip-icon': { color: text } };
};
const TEXT_SX = {
  ok: onFill('success'),
  warning: onFill('warning'),
  error: onFill('error'),
};

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
    sx={status === 'unknown' ? undefined : TEXT_SX[status]}
    icon={
      <span aria-hidden style={{ fontWeight: 700, paddingLeft: 6 }}>
        {GLYPH[status]}
      </span>
    }
    label={label}
  />
);

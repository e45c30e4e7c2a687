import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { REFRESH_INTERVALS_MS } from '../../hooks/useAutoRefresh';

const intervalLabel = (ms: number) =>
  ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : `${ms / 60_000} min`;

export interface RefreshControlsProps {
  enabled: boolean;
  onEnabledChange: (enabled: boolean) => void;
  intervalMs: number;
  onIntervalChange: (ms: number) => void;
  onRefresh: () => void;
  /** ISO time the shown data was read by the backend. */
  generatedAt?: string;
}

/** Auto-refresh on/off, its interval, and a refresh-now button. */
export const RefreshControls = ({
  enabled,
  onEnabledChange,
  intervalMs,
  onIntervalChange,
  onRefresh,
  generatedAt,
}: RefreshControlsProps) => (
  <Box
    sx={{
      display: 'flex',
      gap: 2,
      alignItems: 'center',
      flexWrap: 'wrap',
      justifyContent: 'flex-end',
    }}
  >
    {generatedAt && (
      <Typography variant="caption" color="text.secondary">
        Data read at {new Date(generatedAt).toLocaleTimeString('en-GB')}
      </Typography>
    )}
    <FormControlLabel
      control={
        <Switch
          checked={enabled}
          onChange={(_e, checked) => onEnabledChange(checked)}
        />
      }
      label="Auto-refresh"
    />
    <TextField
      select
      size="small"
      label="Refresh every"
      value={intervalMs}
      disabled={!enabled}
      onChange={e => onIntervalChange(Number(e.target.value))}
      sx={{ minWidth: 130 }}
    >
      {[...new Set([...REFRESH_INTERVALS_MS, intervalMs])]
        .sort((a, b) => a - b)
        .map(ms => (
          <MenuItem key={ms} value={ms}>
            {intervalLabel(ms)}
          </MenuItem>
        ))}
    </TextField>
    <Button variant="outlined" size="small" onClick={onRefresh}>
      Refresh now
    </Button>
  </Box>
);

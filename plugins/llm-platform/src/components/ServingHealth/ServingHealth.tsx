import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type {
  MetricsTimeRange,
  ServingHealth,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { formatClock } from '../../utils/format';
import type { HealthStatus } from '../../utils/thresholds';

/** The verdict as a status of the summary strip. */
export function servingHealthStatus(health: ServingHealth): HealthStatus {
  if (health.state === 'ok') return 'ok';
  if (health.state === 'degraded') return 'error';
  return 'unknown';
}

/** "Degraded since 14:05", "Serving well", "No verdict". */
export function healthHeadline(
  health: ServingHealth,
  range: MetricsTimeRange,
): string {
  const withDate = range.end - range.start > 86_400;
  if (health.state === 'ok') return 'Serving well';
  if (health.state === 'noData') return 'No verdict';
  if (health.degradedSince !== null) {
    return `Degraded since ${formatClock(health.degradedSince, withDate)}`;
  }
  return `Degraded for the whole range, since before ${formatClock(
    range.start,
    withDate,
  )}`;
}

/** What is breached now, each reason naming its model when several could. */
export function healthDetail(
  health: ServingHealth,
  options: { nameModels: boolean },
): string {
  if (health.state === 'noData') return health.message ?? 'no samples now';
  if (health.state === 'ok') {
    return health.message ?? 'no threshold breached';
  }
  return health.reasons
    .map(r =>
      options.nameModels && r.model ? `${r.model}: ${r.message}` : r.message,
    )
    .join('; ');
}

const SEVERITY = {
  ok: 'success',
  degraded: 'error',
  noData: 'info',
} as const;

/**
 * "Is this model serving well right now, and since when not?" in one line,
 * for example "Degraded since 14:05: p95 TTFT 2.1 s > 1 s". The words carry
 * the verdict; the colour only repeats it.
 */
export const ServingHealthBanner = ({
  health,
  range,
  total,
}: {
  health: ServingHealth;
  range: MetricsTimeRange;
  /** The verdict over all models: reasons name their model. */
  total: boolean;
}) => (
  <Alert
    severity={SEVERITY[health.state]}
    variant="outlined"
    role="status"
    aria-label="Serving health"
    sx={{ mb: 2 }}
  >
    <AlertTitle sx={{ mb: 0 }}>
      {healthHeadline(health, range)}:{' '}
      <Box component="span" sx={{ fontWeight: 400 }}>
        {healthDetail(health, { nameModels: total })}
      </Box>
    </AlertTitle>
    {health.state === 'degraded' && health.degradedThroughoutRange && (
      <Box component="span" sx={{ typography: 'body2' }}>
        It began before this range: pick a longer one to see when.
      </Box>
    )}
  </Alert>
);

import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type {
  DiagnosticFinding,
  ResolvedPod,
  ResourceAmounts,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { formatMiB } from '../../utils/format';

/** Requests or limits as `3 CPU, 12 GiB, 1 GPU`. */
export const formatResources = (r: ResourceAmounts) =>
  [
    r.cpu !== undefined ? `${r.cpu} CPU` : undefined,
    r.memoryBytes !== undefined
      ? formatMiB(r.memoryBytes / 2 ** 20)
      : undefined,
    r.gpu !== undefined ? `${r.gpu} GPU` : undefined,
  ]
    .filter(Boolean)
    .join(', ') || '–';

/**
 * What a person needs when a pod misbehaves: its containers, its recent
 * warning events (at most five, newest first, from the backend) and the
 * warnings its container states and diagnostics give.
 */
export const PodDetails = ({
  pod,
  findings,
}: {
  pod: ResolvedPod;
  findings: DiagnosticFinding[];
}) => {
  const warnings: Array<{ source: string; reason: string; message?: string }> =
    [];
  if (pod.reason || pod.message) {
    warnings.push({
      source: 'Pod',
      reason: pod.reason ?? pod.phase,
      message: pod.message,
    });
  }
  for (const c of pod.containers) {
    if (c.state === 'waiting' && c.reason && c.reason !== 'ContainerCreating') {
      warnings.push({
        source: `Container ${c.name}`,
        reason: c.reason,
        message: c.message,
      });
    }
    if (c.lastTermination?.reason && c.lastTermination.reason !== 'Completed') {
      warnings.push({
        source: `Container ${c.name}, last run`,
        reason: `${c.lastTermination.reason}${
          c.lastTermination.exitCode !== undefined
            ? ` (exit ${c.lastTermination.exitCode})`
            : ''
        }`,
        message: c.lastTermination.message,
      });
    }
  }

  return (
    <Box sx={{ py: 1 }}>
      <Typography variant="subtitle2" component="h3">
        Containers
      </Typography>
      <Table size="small" aria-label={`Containers of ${pod.name}`}>
        <TableHead>
          <TableRow>
            <TableCell>Container</TableCell>
            <TableCell>Image</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Ready</TableCell>
            <TableCell align="right">Restarts</TableCell>
            <TableCell>Requests</TableCell>
            <TableCell>Limits</TableCell>
            <TableCell>Last termination</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {pod.containers.map(c => (
            <TableRow key={`${c.init}-${c.name}`}>
              <TableCell>
                {c.name}
                {c.init ? ' (init)' : ''}
              </TableCell>
              <TableCell sx={{ wordBreak: 'break-all' }}>{c.image}</TableCell>
              <TableCell>
                {c.state}
                {c.reason ? `: ${c.reason}` : ''}
                {c.exitCode !== undefined ? ` (exit ${c.exitCode})` : ''}
              </TableCell>
              <TableCell>{c.ready ? 'yes' : 'no'}</TableCell>
              <TableCell align="right">{c.restartCount}</TableCell>
              <TableCell>{formatResources(c.requests)}</TableCell>
              <TableCell>{formatResources(c.limits)}</TableCell>
              <TableCell>
                {c.lastTermination
                  ? [
                      c.lastTermination.reason,
                      c.lastTermination.exitCode !== undefined
                        ? `exit ${c.lastTermination.exitCode}`
                        : undefined,
                      c.lastTermination.finishedAt,
                    ]
                      .filter(Boolean)
                      .join(', ')
                  : '–'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="subtitle2" component="h3" sx={{ mt: 2 }}>
        Warning events
      </Typography>
      {pod.events?.length ? (
        <Table size="small" aria-label={`Warning events of ${pod.name}`}>
          <TableHead>
            <TableRow>
              <TableCell>Reason</TableCell>
              <TableCell>Message</TableCell>
              <TableCell align="right">Count</TableCell>
              <TableCell>Last seen</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {pod.events.map((e, i) => (
              <TableRow key={i}>
                <TableCell>{e.reason}</TableCell>
                <TableCell sx={{ whiteSpace: 'pre-wrap' }}>
                  {e.message}
                </TableCell>
                <TableCell align="right">{e.count}</TableCell>
                <TableCell>{e.lastSeen ?? '–'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography variant="body2" color="text.secondary">
          No recent warning events for this pod.
        </Typography>
      )}
      <Typography variant="subtitle2" component="h3" sx={{ mt: 2 }}>
        Recent warnings
      </Typography>
      {warnings.length === 0 && findings.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No warnings for this pod.
        </Typography>
      ) : (
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {warnings.map((w, i) => (
            <Typography component="li" variant="body2" key={i}>
              <strong>{w.reason}</strong> ({w.source})
              {w.message && (
                <Box
                  component="pre"
                  sx={{ m: 0, whiteSpace: 'pre-wrap', fontSize: '0.75rem' }}
                >
                  {w.message}
                </Box>
              )}
            </Typography>
          ))}
        </Box>
      )}
      {findings.map(f => (
        <Alert
          key={f.ruleId}
          severity={f.severity}
          variant="outlined"
          sx={{ mt: 1 }}
        >
          <strong>{f.title}.</strong> {f.cause} Fix: {f.fix}
        </Alert>
      ))}
    </Box>
  );
};

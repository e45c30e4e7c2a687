import { memo } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Stack from '@mui/material/Stack';
import type {
  ClusterErrorKind,
  ClusterWorkloads,
} from '@llm-platform/backstage-plugin-llm-platform-common';

const KIND_LABEL: Record<ClusterErrorKind, string> = {
  unauthorized: 'not authorised (the credentials were rejected)',
  forbidden: 'forbidden (RBAC denies the request)',
  timeout: 'timed out',
  unreachable: 'unreachable',
  bad_response: 'a bad response',
};

/** One banner per cluster that could not be read in full. */
export const ClusterErrors = memo(
  ({ clusters }: { clusters: ClusterWorkloads[] }) => {
    const failing = clusters.filter(c => c.errors.length > 0);
    if (!failing.length) {
      return null;
    }
    return (
      <Stack spacing={1}>
        {failing.map(c => (
          <Alert key={c.cluster} severity="error" role="alert">
            <AlertTitle>
              Cluster {c.cluster}: {KIND_LABEL[c.errors[0].kind]}
            </AlertTitle>
            {c.errors.map((e, i) => (
              <div key={i}>
                {e.request}: {e.kind}
                {e.status ? ` (HTTP ${e.status})` : ''} – {e.message}
              </div>
            ))}
            {clusters.length > failing.length &&
              'The other clusters’ data is shown below.'}
          </Alert>
        ))}
      </Stack>
    );
  },
);

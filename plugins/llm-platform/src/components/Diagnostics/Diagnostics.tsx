import { memo, useMemo } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import type { ClusterWorkloads } from '@llm-platform/backstage-plugin-llm-platform-common';
import { StatusChip } from '../StatusChip';
import { severityStatus } from '../../utils/thresholds';
import { sortedFindings } from '../../utils/summary';

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Info' };

/** Every diagnostic finding, most severe first, with its cause and fix. */
export const Diagnostics = memo(
  ({ clusters }: { clusters?: ClusterWorkloads[] }) => {
    const findings = useMemo(
      () => (clusters ? sortedFindings(clusters) : undefined),
      [clusters],
    );
    const showCluster = (clusters?.length ?? 0) > 1;

    let body;
    if (!findings) {
      body = (
        <>
          <Skeleton variant="text" />
          <Skeleton variant="text" width="80%" />
        </>
      );
    } else if (findings.length === 0) {
      body = (
        <Alert severity="success" variant="outlined">
          All is well: no known failure was found in{' '}
          {clusters!.length === 1
            ? `cluster ${clusters![0].cluster}`
            : `${clusters!.length} clusters`}
          .
        </Alert>
      );
    } else {
      body = (
        <Box component="ol" sx={{ listStyle: 'none', p: 0, m: 0 }}>
          {findings.map(({ cluster, finding }, i) => (
            <Box
              component="li"
              key={`${cluster}/${finding.ruleId}/${i}`}
              aria-label={`${SEVERITY_LABEL[finding.severity]}: ${
                finding.title
              }`}
              sx={{
                py: 1.5,
                borderTop: i ? 1 : 0,
                borderColor: 'divider',
              }}
            >
              <Box
                sx={{
                  display: 'flex',
                  gap: 1,
                  alignItems: 'center',
                  flexWrap: 'wrap',
                }}
              >
                <StatusChip
                  status={severityStatus(finding.severity)}
                  label={SEVERITY_LABEL[finding.severity]}
                />
                <Typography variant="subtitle1" component="h3">
                  {finding.title}
                </Typography>
                {finding.failureIds.map(id => (
                  <Chip key={id} size="small" variant="outlined" label={id} />
                ))}
              </Box>
              <Typography
                variant="body2"
                color="text.secondary"
                sx={{ mt: 0.5 }}
              >
                {showCluster && <>Cluster {cluster} · </>}
                {finding.objects
                  .map(o =>
                    o.namespace
                      ? `${o.kind} ${o.namespace}/${o.name}`
                      : `${o.kind} ${o.name}`,
                  )
                  .join(', ')}
              </Typography>
              <Typography variant="body2" sx={{ mt: 0.5 }}>
                <strong>Cause:</strong> {finding.cause}
              </Typography>
              <Typography variant="body2">
                <strong>Fix:</strong> {finding.fix}
              </Typography>
              {finding.evidence && (
                <Box
                  component="pre"
                  sx={{
                    mt: 0.5,
                    mb: 0,
                    p: 1,
                    bgcolor: 'action.hover',
                    borderRadius: 1,
                    whiteSpace: 'pre-wrap',
                    fontSize: '0.75rem',
                  }}
                >
                  {finding.evidence}
                </Box>
              )}
            </Box>
          ))}
        </Box>
      );
    }

    return (
      <Card component="section" aria-label="Diagnostics">
        <CardHeader
          title="Diagnostics"
          titleTypographyProps={{ variant: 'h6', component: 'h2' }}
          subheader={
            findings && findings.length
              ? `${findings.length} finding${
                  findings.length > 1 ? 's' : ''
                }, most severe first`
              : undefined
          }
        />
        <CardContent sx={{ pt: 0 }}>{body}</CardContent>
      </Card>
    );
  },
);

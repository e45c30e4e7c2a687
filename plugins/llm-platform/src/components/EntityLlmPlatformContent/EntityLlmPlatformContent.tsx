import Grid from '@mui/material/Grid';
import { WorkloadSelection } from '../WorkloadSelection';

/** The "LLM Platform" tab of an entity page. */
export const EntityLlmPlatformContent = () => (
  <Grid container spacing={3}>
    <Grid item xs={12} md={6}>
      <WorkloadSelection />
    </Grid>
  </Grid>
);

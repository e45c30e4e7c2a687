import { ReactNode, useEffect, useMemo } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  findGpu,
  type GpuPlan,
  type MemoryEstimate,
  type PlanSuggestion,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import {
  checkGpuFit,
  gpuFitValue,
  type FormValues,
  type GpuFitValue,
} from './gpuFit';

const tokens = (n: number) => n.toLocaleString('en-US');
const gib = (n: number) => `${n.toFixed(2)} GiB`;

const Row = ({ label, value }: { label: string; value: string }) => (
  <Box
    component="li"
    aria-label={label}
    sx={{ display: 'flex', gap: 2, py: 0.25 }}
  >
    <Typography variant="body2" sx={{ flex: 1 }}>
      {label}
    </Typography>
    <Typography variant="body2" sx={{ fontWeight: 500 }}>
      {value}
    </Typography>
  </Box>
);

const List = ({
  label,
  bullets,
  children,
}: {
  label: string;
  bullets?: boolean;
  children: ReactNode;
}) => (
  <Box
    component="ul"
    aria-label={label}
    sx={
      bullets
        ? { m: 0, mt: 0.5, pl: 3 }
        : { listStyle: 'none', p: 0, m: 0, mt: 0.5 }
    }
  >
    {children}
  </Box>
);

const MemoryBreakdown = ({
  memory,
  tensorParallelSize,
}: {
  memory: MemoryEstimate;
  tensorParallelSize: number;
}) => {
  const label = tensorParallelSize > 1 ? 'GPU memory, each GPU' : 'GPU memory';
  return (
    <>
      <Typography variant="subtitle2" component="h4" sx={{ mt: 1 }}>
        {label}
      </Typography>
      <List label={label}>
        <Row label="vLLM budget" value={gib(memory.budgetGiB)} />
        <Row label="Weights" value={gib(memory.weightsGiB)} />
        <Row label="Activation peak" value={gib(memory.activationGiB)} />
        <Row label="Non-torch overhead" value={gib(memory.nonTorchGiB)} />
        <Row label="KV cache" value={gib(Math.max(0, memory.kvCacheGiB))} />
      </List>
    </>
  );
};

const Accepted = ({ plan }: { plan: GpuPlan }) => (
  <>
    <Alert severity="success" role="status">
      <AlertTitle>Fits</AlertTitle>
      {plan.model.displayName} on {plan.instanceType} ({plan.tensorParallelSize}{' '}
      x {findGpu(plan.gpu)?.name ?? plan.gpu}),{' '}
      {plan.quantization === 'none'
        ? 'no quantization'
        : plan.quantization.toUpperCase()}
      , dtype {plan.dtype}, GPU memory utilisation {plan.gpuMemoryUtilization}.
    </Alert>
    <Typography variant="body2" sx={{ mt: 1 }}>
      KV cache: {tokens(plan.kvCacheTokens)} tokens, room for{' '}
      {tokens(plan.maxConcurrentFullSequences)} full-length sequences of{' '}
      {tokens(plan.maxModelLen)} tokens at once.
    </Typography>
    <MemoryBreakdown
      memory={plan.memory}
      tensorParallelSize={plan.tensorParallelSize}
    />
    {plan.warnings.length > 0 && (
      <>
        <Typography variant="subtitle2" component="h4" sx={{ mt: 1 }}>
          Warnings
        </Typography>
        <List label="Warnings" bullets>
          {plan.warnings.map(warning => (
            <Typography component="li" variant="body2" key={warning}>
              {warning}
            </Typography>
          ))}
        </List>
      </>
    )}
  </>
);

const Suggestions = ({ suggestions }: { suggestions: PlanSuggestion[] }) => (
  <>
    <Typography variant="subtitle2" component="h4" sx={{ mt: 1 }}>
      {suggestions.length
        ? 'Configurations that fit'
        : 'No configuration in the catalog fits this model.'}
    </Typography>
    {suggestions.length > 0 && (
      <List label="Configurations that fit" bullets>
        {suggestions.map(s => (
          <Typography component="li" variant="body2" key={s.description}>
            {s.description}
          </Typography>
        ))}
      </List>
    )}
  </>
);

/**
 * A scaffolder field that plans the form's model, instance type,
 * quantization and context with the GPU fit planner as the person types, and
 * shows the verdict, the KV-cache capacity and, when it does not fit, the
 * configurations that do. It reads the sibling fields named like the inputs
 * of `llm-platform:plan`, so it shows what that step will enforce.
 */
export const GpuFitField = (
  props: FieldExtensionComponentProps<GpuFitValue>,
) => {
  const { schema, formData, onChange, registry } = props;
  const values: FormValues | undefined = registry.formContext?.formData;
  const check = useMemo(() => checkGpuFit(values), [values]);
  const value = gpuFitValue(check);

  // The value is what lets the scaffolder run the field's validation.
  const serialized = JSON.stringify(value);
  useEffect(() => {
    if (JSON.stringify(formData) !== serialized) {
      onChange(JSON.parse(serialized));
    }
  }, [formData, serialized, onChange]);

  return (
    <Box
      component="section"
      aria-label={schema.title ?? 'GPU fit'}
      sx={{ my: 1 }}
    >
      {schema.title && (
        <Typography variant="h6" component="h3">
          {schema.title}
        </Typography>
      )}
      {schema.description && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {schema.description}
        </Typography>
      )}
      {check.status === 'incomplete' && (
        <Alert severity="info" role="status">
          Choose {check.missing.join(', ')} to check the fit.
        </Alert>
      )}
      {check.status === 'invalid' && (
        <Alert severity="warning" role="status">
          <AlertTitle>Cannot be planned</AlertTitle>
          {check.message}
        </Alert>
      )}
      {check.status === 'planned' && check.result.fits && (
        <Accepted plan={check.result.plan} />
      )}
      {check.status === 'planned' && !check.result.fits && (
        <>
          <Alert severity="error" role="status">
            <AlertTitle>Does not fit</AlertTitle>
            {check.result.reason}
          </Alert>
          {check.result.memory && (
            <MemoryBreakdown
              memory={check.result.memory}
              tensorParallelSize={
                typeof values?.tensorParallelSize === 'number'
                  ? values.tensorParallelSize
                  : 1
              }
            />
          )}
          <Suggestions suggestions={check.result.suggestions} />
        </>
      )}
    </Box>
  );
};

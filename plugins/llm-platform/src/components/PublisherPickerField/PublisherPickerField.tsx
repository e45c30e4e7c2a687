import { useEffect } from 'react';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import { githubHosts, type Publisher } from './publishers';

/**
 * Where to publish the generated repository: the local git publisher always,
 * GitHub only when the app has a GitHub integration, so nobody reaches the last
 * step of a template to learn that it cannot publish.
 */
export const PublisherPickerField = ({
  formData,
  onChange,
  schema,
  required,
  rawErrors,
  idSchema,
}: FieldExtensionComponentProps<string>) => {
  const hosts = githubHosts(useApi(configApiRef));
  const value = (formData as Publisher | undefined) ?? 'local';
  useEffect(() => {
    // The only choice, or a GitHub choice left from a form whose app has no
    // integration: the field writes what the template will do.
    if (formData === undefined || (formData === 'github' && !hosts.length)) {
      onChange('local');
    }
  }, [formData, hosts.length, onChange]);
  const labelId = `${idSchema?.$id ?? 'publisher'}-label`;
  return (
    <FormControl
      component="fieldset"
      required={required}
      error={!!rawErrors?.length}
      margin="normal"
    >
      <FormLabel id={labelId} component="legend">
        {schema.title ?? 'Where to publish'}
      </FormLabel>
      <RadioGroup
        aria-labelledby={labelId}
        value={value}
        onChange={(_, v) => onChange(v)}
      >
        <FormControlLabel
          value="local"
          control={<Radio />}
          label="Local git repository (no credentials needed)"
        />
        {hosts.length > 0 && (
          <FormControlLabel
            value="github"
            control={<Radio />}
            label={`GitHub (${hosts.join(', ')})`}
          />
        )}
      </RadioGroup>
      <FormHelperText>
        {hosts.length
          ? schema.description
          : 'GitHub is offered once the app has a GitHub integration (integrations.github in app-config).'}
      </FormHelperText>
    </FormControl>
  );
};

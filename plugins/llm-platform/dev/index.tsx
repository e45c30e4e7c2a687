import { createDevApp } from '@backstage/frontend-dev-utils';
import {
  ApiBlueprint,
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { Content } from '@backstage/core-components';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import plugin from '../src/alpha';
import { llmPlatformApiRef } from '../src/api';
import type { MetricsRange } from '@llm-platform/backstage-plugin-llm-platform-common';
import { createFixtureApi, Scenario } from './fixtureApi';

// `/gpu-fit?fit=fits|refused` draws the GPU fit template field in the
// scaffolder's form.
// `?scenario=healthy|troubled|fleet&pods=N` serves fixtures; `?api=http` keeps
// the plugin's real client, which calls the backend configured in app-config.
// `range` and `refresh` (milliseconds) set the tab's initial range and interval.
const params = new URLSearchParams(window.location.search);
const useHttp = params.get('api') === 'http';
const scenario = (params.get('scenario') ?? 'troubled') as Scenario;
const pods = Number(params.get('pods') ?? 2000);
const range = (params.get('range') ?? '1h') as MetricsRange;
const refreshIntervalMs = Number(params.get('refresh') ?? 10_000);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'llama-3-8b-instruct',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'llama-3-8b-instruct',
      'backstage.io/kubernetes-namespace': 'llm-serving',
    },
  },
  spec: { type: 'service', owner: 'ml-platform', lifecycle: 'production' },
};

const devModule = createFrontendModule({
  pluginId: 'llm-platform',
  extensions: [
    ...(useHttp
      ? []
      : [
          ApiBlueprint.make({
            params: defineParams =>
              defineParams({
                api: llmPlatformApiRef,
                deps: {},
                factory: () => createFixtureApi(scenario, pods),
              }),
          }),
        ]),
    PageBlueprint.make({
      name: 'dev',
      params: {
        path: '/',
        title: 'LLM Platform',
        loader: () =>
          import('../src/components/EntityLlmPlatformContent').then(m => (
            <EntityProvider entity={entity}>
              <Content>
                <m.EntityLlmPlatformContent
                  defaultRange={range}
                  refreshIntervalMs={refreshIntervalMs}
                />
              </Content>
            </EntityProvider>
          )),
      },
    }),
    PageBlueprint.make({
      name: 'gpu-fit',
      params: {
        path: '/gpu-fit',
        title: 'GPU fit field',
        loader: async () => {
          const [
            { Stepper },
            { GpuFitField, gpuFitValidation, GPU_FIT_FIELD_NAME },
            page,
          ] = await Promise.all([
            import('@backstage/plugin-scaffolder-react/alpha'),
            import('../src/components/GpuFitField'),
            import('../src/__fixtures__/modelServingPage'),
          ]);
          return (
            <Content>
              <Stepper
                manifest={page.modelServingManifest}
                extensions={[
                  {
                    name: GPU_FIT_FIELD_NAME,
                    component: GpuFitField,
                    validation: gpuFitValidation,
                  },
                ]}
                initialState={
                  params.get('fit') === 'fits'
                    ? page.AWQ_ON_T4
                    : page.FP16_ON_T4
                }
                onCreate={async () => {}}
              />
            </Content>
          );
        },
      },
    }),
  ],
});

createDevApp({ features: [plugin, devModule] });

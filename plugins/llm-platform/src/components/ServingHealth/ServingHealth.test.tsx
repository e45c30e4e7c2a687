import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import type { ServingHealth } from '@llm-platform/backstage-plugin-llm-platform-common';
import { useState } from 'react';
import { makeMetrics } from '../../__fixtures__/metrics';
import { formatClock } from '../../utils/format';
import { LatencyPanel } from '../LatencyPanel';
import { SummaryStrip } from '../SummaryStrip';

const MODELS = ['llama-3-8b-instruct', 'mistral-7b'];

const metrics = makeMetrics({ range: '1h', models: MODELS });
const { start, end } = metrics.range;
const SINCE = end - 25 * 60;

const ttft: ServingHealth = {
  state: 'degraded',
  reasons: [
    {
      kind: 'timeToFirstToken',
      model: 'mistral-7b',
      value: 2.1,
      threshold: 1,
      message: 'p95 TTFT 2.1 s > 1 s',
    },
  ],
  degradedSince: SINCE,
  degradedThroughoutRange: false,
};

const degraded = makeMetrics({
  range: '1h',
  models: MODELS,
  health: {
    total: ttft,
    models: {
      'mistral-7b': ttft,
      'llama-3-8b-instruct': {
        state: 'noData',
        reasons: [],
        degradedSince: null,
        degradedThroughoutRange: false,
        message:
          'no vLLM samples for model "llama-3-8b-instruct" at the end of the range',
      },
    },
  },
});

const kvFull: ServingHealth = {
  state: 'degraded',
  reasons: [
    {
      kind: 'kvCacheUsage',
      model: 'llama-3-8b-instruct',
      value: 0.96,
      threshold: 0.9,
      message: 'KV cache 96 % > 90 %',
    },
  ],
  degradedSince: null,
  degradedThroughoutRange: true,
};

const Panel = ({ data = degraded }: { data?: typeof degraded }) => {
  const [model, setModel] = useState('');
  return (
    <LatencyPanel
      metrics={data}
      loading={false}
      range="1h"
      onRangeChange={() => {}}
      model={model}
      onModelChange={setModel}
    />
  );
};

describe('serving health in the latency panel', () => {
  it('says since when the entity is degraded and why, naming the model', async () => {
    await renderInTestApp(<Panel />);
    const status = screen.getByRole('status', { name: 'Serving health' });
    expect(status).toHaveTextContent(
      `Degraded since ${formatClock(SINCE)}: mistral-7b: p95 TTFT 2.1 s > 1 s`,
    );
  });

  it('shows the verdict of the model picked', async () => {
    await renderInTestApp(<Panel />);
    await userEvent.click(screen.getByRole('combobox', { name: 'Model' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'llama-3-8b-instruct' }),
    );
    expect(
      screen.getByRole('status', { name: 'Serving health' }),
    ).toHaveTextContent(
      'No verdict: no vLLM samples for model "llama-3-8b-instruct" at the end of the range',
    );
  });

  it('says a degradation covering the whole range began before it', async () => {
    await renderInTestApp(
      <Panel
        data={makeMetrics({
          range: '1h',
          models: MODELS,
          health: { total: kvFull },
        })}
      />,
    );
    const status = screen.getByRole('status', { name: 'Serving health' });
    expect(status).toHaveTextContent(
      `Degraded for the whole range, since before ${formatClock(
        start,
      )}: llama-3-8b-instruct: KV cache 96 % > 90 %`,
    );
    expect(status).toHaveTextContent(/pick a longer one to see when/);
  });

  it('says when all is well', async () => {
    await renderInTestApp(<Panel data={metrics} />);
    expect(
      screen.getByRole('status', { name: 'Serving health' }),
    ).toHaveTextContent('Serving well: no threshold breached');
  });
});

describe('serving health in the summary strip', () => {
  it('puts the verdict in words next to its colour', async () => {
    await renderInTestApp(<SummaryStrip metrics={degraded} />);
    const tile = screen.getByRole('region', { name: 'Serving health' });
    expect(
      within(tile).getByText(`Degraded since ${formatClock(SINCE)}`),
    ).toBeInTheDocument();
    expect(
      within(tile).getByText('mistral-7b: p95 TTFT 2.1 s > 1 s'),
    ).toBeInTheDocument();
    // The chip spells out what its colour means.
    expect(within(tile).getByText('Critical')).toBeInTheDocument();
  });

  it('follows the model picked, without naming it again', async () => {
    await renderInTestApp(
      <SummaryStrip metrics={degraded} model="mistral-7b" />,
    );
    const tile = screen.getByRole('region', { name: 'Serving health' });
    expect(within(tile).getByText('p95 TTFT 2.1 s > 1 s')).toBeInTheDocument();
  });

  it('reads No data when there is no verdict', async () => {
    await renderInTestApp(
      <SummaryStrip metrics={degraded} model="llama-3-8b-instruct" />,
    );
    const tile = screen.getByRole('region', { name: 'Serving health' });
    expect(within(tile).getByText('No verdict')).toBeInTheDocument();
    expect(within(tile).getByText('No data')).toBeInTheDocument();
  });

  it('explains the colour in the legend', async () => {
    await renderInTestApp(<SummaryStrip metrics={metrics} />);
    const tile = screen.getByRole('region', { name: 'Serving health' });
    expect(within(tile).getByText('Serving well')).toBeInTheDocument();
    expect(within(tile).getByText('Healthy')).toBeInTheDocument();
    expect(
      screen.getByText(/llmPlatform\.prometheus\.health is breached/),
    ).toBeInTheDocument();
  });
});

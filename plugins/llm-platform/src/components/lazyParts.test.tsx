import { Suspense } from 'react';
import { render, screen } from '@testing-library/react';
import { formatSeconds } from '../utils/format';
import { EntityLlmPlatformContent } from './EntityLlmPlatformContent';
import { MetricChart } from './LatencyPanel/MetricChart';
import { LazyMetricChart, preloadDashboard } from './lazyParts';

describe('lazyParts', () => {
  it("loads the tab's dashboard and its charts", async () => {
    const [content, chart] = await preloadDashboard();
    expect(content).toBe(EntityLlmPlatformContent);
    expect(chart).toBe(MetricChart);
  });

  it('renders a part that has loaded in the same pass, without suspending', async () => {
    await preloadDashboard();
    render(
      <Suspense fallback={<p>Loading charts</p>}>
        <LazyMetricChart
          title="Time to first token"
          series={[
            {
              id: 'p95',
              label: 'p95',
              series: {
                points: [
                  [1_700_000_000, 0.12],
                  [1_700_000_060, 0.2],
                ],
                now: 0.2,
              },
            },
          ]}
          format={v => formatSeconds(v)}
          multiDay={false}
        />
      </Suspense>,
    );
    // No await: a lazy component that suspended would show its fallback here.
    expect(screen.queryByText('Loading charts')).not.toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'Time to first token' }),
    ).toBeInTheDocument();
  });
});

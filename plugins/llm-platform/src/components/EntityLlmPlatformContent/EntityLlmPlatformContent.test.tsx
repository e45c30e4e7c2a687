import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import { EntityLlmPlatformContent } from './EntityLlmPlatformContent';
import {
  annotatedEntity,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  healthyWorkloads,
  largeWorkloads,
  makePod,
  troubledWorkloads,
} from '../../__fixtures__/workloads';
import { makeMetrics } from '../../__fixtures__/metrics';

// Rendering seven charts and a table in jsdom takes a few seconds per test.
jest.setTimeout(30_000);

const never = () => new Promise<never>(() => {});

const codeContaining =
  (text: string) => (_content: string, el: Element | null) =>
    el?.tagName === 'CODE' && !!el.textContent?.includes(text);

const podRows = () =>
  within(screen.getByRole('table', { name: 'Pods' }))
    .getAllByRole('rowheader')
    .map(cell => cell.textContent);

describe('EntityLlmPlatformContent', () => {
  it('shows skeletons while the first data loads', async () => {
    const api = mockApi({
      getWorkloads: jest.fn(never),
      getMetrics: jest.fn(never),
    });
    await renderWithApi(<EntityLlmPlatformContent />, api);
    expect(
      await screen.findByRole('region', { name: 'Pods ready' }),
    ).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('table', { name: 'Pods' })).toHaveAttribute(
      'aria-busy',
      'true',
    );
    expect(screen.getByLabelText('Loading metrics')).toBeInTheDocument();
    expect(api.getWorkloads).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'llama-3-8b-instruct',
    });
  });

  it('draws summary, diagnostics, charts, GPU bars and pods for a healthy entity', async () => {
    await renderWithApi(<EntityLlmPlatformContent />, mockApi());

    // The tab is one region, named by its heading.
    const tab = await screen.findByRole('region', { name: 'LLM serving' });
    const pods = await within(tab).findByRole('region', { name: 'Pods ready' });
    expect(pods).toHaveTextContent('2 / 2');
    expect(pods).toHaveTextContent('Healthy');
    expect(
      screen.getByRole('region', { name: 'GPUs in use' }),
    ).toHaveTextContent('2 / 2');
    const e2e = await screen.findByRole('region', {
      name: 'p95 end-to-end latency',
    });
    expect(e2e).toHaveTextContent(/\d\.\d\d s/);
    expect(e2e).toHaveTextContent(/vs previous 30 min/);
    expect(
      screen.getByRole('region', { name: 'Tokens per second' }),
    ).toHaveTextContent(/tok\/s/);
    expect(
      screen.getByRole('region', { name: 'KV-cache usage' }),
    ).toHaveTextContent(/%/);
    expect(
      screen.getByRole('region', { name: 'Worst diagnostic' }),
    ).toHaveTextContent('None');

    expect(
      screen.getByText(
        /All is well: no known failure was found in cluster eks-prod-us-east-1/,
      ),
    ).toBeInTheDocument();

    for (const name of [
      'End-to-end latency',
      'Time to first token',
      'Inter-token latency',
      'Requests per second',
      'Tokens per second',
      'Running and waiting requests',
      'KV-cache usage',
    ]) {
      expect(screen.getByRole('figure', { name })).toBeInTheDocument();
    }

    expect(
      screen.getByRole('progressbar', {
        name: 'GPUs requested on ip-10-0-12-34.ec2.internal',
      }),
    ).toHaveAttribute('aria-valuetext', '1 of 1 GPUs requested');
    expect(
      within(
        screen.getByRole('listitem', {
          name: 'Node ip-10-0-12-34.ec2.internal',
        }),
      ).getByText(/GPU 0 .*utilisation \d+ %, memory 13\.\d GiB \/ 15 GiB/),
    ).toBeInTheDocument();

    expect(podRows()).toEqual([
      'llama-3-8b-vllm-7d9c6b5f4-abcde',
      'llama-3-8b-vllm-7d9c6b5f4-fghij',
    ]);
  });

  it('gives a chart a values table with units as its text alternative', async () => {
    await renderWithApi(<EntityLlmPlatformContent />, mockApi());
    const tokens = await screen.findByRole('figure', {
      name: 'Tokens per second',
    });
    const table = within(tokens).getByRole('table', {
      name: 'Tokens per second: values',
    });
    const generated = within(table).getByRole('row', { name: /Generated/ });
    expect(generated).toHaveTextContent(/\d+ tok\/s/);
    const kv = screen.getByRole('figure', { name: 'KV-cache usage' });
    expect(
      within(kv).getByRole('row', { name: /KV-cache usage/ }),
    ).toHaveTextContent(/\d+ %/);
    const e2e = screen.getByRole('figure', { name: 'End-to-end latency' });
    expect(
      within(e2e)
        .getAllByRole('rowheader')
        .map(c => c.textContent),
    ).toEqual(['p50', 'p95', 'p99']);
    expect(within(e2e).getByRole('row', { name: /p99/ })).toHaveTextContent(
      / s/,
    );
  });

  it('shows the exact annotation snippet for an entity without annotations', async () => {
    const api = mockApi();
    const bare: Entity = {
      ...annotatedEntity,
      metadata: { name: 'mistral-7b', namespace: 'default' },
    };
    await renderWithApi(<EntityLlmPlatformContent />, api, bare);
    expect(
      await screen.findByText('No workloads are selected'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        codeContaining('backstage.io/kubernetes-id: mistral-7b'),
      ),
    ).toBeInTheDocument();
    expect(api.getWorkloads).not.toHaveBeenCalled();
  });

  it('explains an invalid annotation', async () => {
    const invalid: Entity = {
      ...annotatedEntity,
      metadata: {
        name: 'llama',
        annotations: { 'backstage.io/kubernetes-label-selector': 'app in (' },
      },
    };
    await renderWithApi(<EntityLlmPlatformContent />, mockApi(), invalid);
    expect(
      await screen.findByText('The workload annotations are not valid'),
    ).toBeInTheDocument();
    expect(screen.getByText(/unbalanced parentheses/)).toBeInTheDocument();
  });

  it('shows why the backend has nothing to show', async () => {
    const api = mockApi({
      getWorkloads: jest.fn(async () => ({
        status: 'notConfigured' as const,
        entityRef: 'component:default/llama-3-8b-instruct',
        reason: 'noClusters' as const,
        message:
          'No Kubernetes cluster is configured for the LLM Platform backend.',
      })),
    });
    await renderWithApi(<EntityLlmPlatformContent />, api);
    expect(
      await screen.findByText('No Kubernetes cluster is configured'),
    ).toBeInTheDocument();
    expect(screen.getByText(/clusterLocatorMethods/)).toBeInTheDocument();
  });

  it('names a failing cluster and its kind of error while showing the other cluster', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({ getWorkloads: jest.fn(async () => troubledWorkloads()) }),
    );
    const alerts = await screen.findAllByRole('alert');
    const banner = alerts.find(a =>
      a.textContent?.startsWith('Cluster eks-prod-eu-west-1:'),
    )!;
    expect(banner).toBeDefined();
    expect(banner).toHaveTextContent('forbidden (RBAC denies the request)');
    expect(banner).toHaveTextContent('list pods: forbidden (HTTP 403)');
    expect(banner).toHaveTextContent(
      'The other clusters’ data is shown below.',
    );
    expect(podRows()).toContain('llama-3-8b-vllm-7d9c6b5f4-crash');
  });

  it('lists diagnostics most severe first with objects, cause and fix', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({ getWorkloads: jest.fn(async () => troubledWorkloads()) }),
    );
    const section = await screen.findByRole('region', { name: 'Diagnostics' });
    const items = within(section).getAllByRole('listitem');
    expect(items.map(i => i.getAttribute('aria-label'))).toEqual([
      'Error: vLLM cannot fit the KV cache for the configured context',
      'Warning: GPU instance advertises no nvidia.com/gpu',
      'Warning: Pod cannot be scheduled: requests exceed node allocatable',
      'Info: A GPU node has no GPU requested',
    ]);
    expect(items[0]).toHaveTextContent(
      'Pod llm-serving/llama-3-8b-vllm-7d9c6b5f4-crash',
    );
    expect(items[0]).toHaveTextContent(/Cause:.*max seq len \(8192\)/);
    expect(items[0]).toHaveTextContent(/Fix:.*--max-model-len/);
    expect(items[0]).toHaveTextContent('D16');
    expect(
      screen.getByRole('region', { name: 'Worst diagnostic' }),
    ).toHaveTextContent(
      'vLLM cannot fit the KV cache for the configured context',
    );
  });

  it('marks a GPU node that advertises no GPUs', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({ getWorkloads: jest.fn(async () => troubledWorkloads()) }),
    );
    const node = await screen.findByRole('listitem', {
      name: 'Node ip-10-0-40-7.ec2.internal',
    });
    expect(node).toHaveTextContent('Advertises no GPUs');
    expect(node).toHaveTextContent('g5.xlarge');
    expect(
      screen.getByRole('region', { name: 'GPU allocation' }),
    ).toHaveTextContent('1 GPU node advertises no GPUs');
    const gpus = screen.getByRole('region', { name: 'GPUs in use' });
    expect(gpus).toHaveTextContent('Critical');
    expect(gpus).toHaveTextContent('1 node(s) without GPUs');
  });

  it('blanks only the latency panel when Prometheus is unavailable', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({
        getMetrics: jest.fn(async () => {
          throw new Error('Prometheus prometheus-prod is unreachable');
        }),
      }),
    );
    const panel = await screen.findByRole('region', {
      name: 'Inference latency',
    });
    expect(
      await within(panel).findByText(
        'Inference metrics are unavailable: Prometheus prometheus-prod is unreachable',
      ),
    ).toBeInTheDocument();
    expect(within(panel).queryByRole('figure')).not.toBeInTheDocument();
    expect(podRows()).toHaveLength(2);
    expect(
      screen.getByRole('region', { name: 'p95 end-to-end latency' }),
    ).toHaveTextContent('metrics unavailable');
    expect(
      screen.getByRole('region', { name: 'Pods ready' }),
    ).toHaveTextContent('2 / 2');
  });

  it('shows a failed metrics panel by its Prometheus instance and keeps the others', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({
        getMetrics: jest.fn(async (_e, { range }) =>
          makeMetrics({
            range,
            panels: {
              e2eLatency: {
                state: 'error',
                instance: 'prometheus-prod',
                message: 'query timed out after 10s',
              },
            },
          }),
        ),
      }),
    );
    expect(
      await screen.findByText(
        'Prometheus prometheus-prod failed: query timed out after 10s',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('figure', { name: 'End-to-end latency' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'Time to first token' }),
    ).toBeInTheDocument();
  });

  it('says why a metrics panel has no data', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({
        getMetrics: jest.fn(async (_e, { range }) =>
          makeMetrics({
            range,
            panels: {
              gpu: { state: 'ok' },
              load: {
                state: 'noData',
                message:
                  'no vllm:num_requests_running series: is the pod scraped?',
              },
            },
          }),
        ),
      }),
    );
    expect(
      await screen.findAllByText(
        'No data: no vllm:num_requests_running series: is the pod scraped?',
      ),
    ).toHaveLength(2);
    expect(
      screen.queryByRole('figure', { name: 'KV-cache usage' }),
    ).not.toBeInTheDocument();
  });

  it('shows a dozen GPU nodes first and all on request', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({ getWorkloads: jest.fn(async () => largeWorkloads(200)) }),
    );
    const gpus = await screen.findByRole('region', { name: 'GPU allocation' });
    await within(gpus).findAllByRole('progressbar');
    expect(within(gpus).getAllByRole('progressbar')).toHaveLength(12);
    expect(gpus).toHaveTextContent(
      '175 / 200 allocatable GPUs requested on 25 GPU nodes',
    );
    await userEvent.click(
      within(gpus).getByRole('button', { name: 'Show all 25 nodes' }),
    );
    expect(within(gpus).getAllByRole('progressbar')).toHaveLength(25);
  });

  it('picks the range and a model', async () => {
    const api = mockApi({
      getMetrics: jest.fn(async (_e, { range }) =>
        makeMetrics({
          range,
          models: ['llama-3-8b-instruct', 'mistral-7b-instruct'],
        }),
      ),
    });
    await renderWithApi(<EntityLlmPlatformContent />, api);
    const panel = await screen.findByRole('region', {
      name: 'Inference latency',
    });
    await within(panel).findByRole('figure', { name: 'End-to-end latency' });
    expect(api.getMetrics).toHaveBeenLastCalledWith(expect.anything(), {
      range: '1h',
      gpuSeries: 'latest',
    });

    await userEvent.click(
      within(panel).getByRole('button', { name: 'Last 24h' }),
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(expect.anything(), {
        range: '24h',
        gpuSeries: 'latest',
      }),
    );
    expect(
      within(panel).getByRole('button', { name: 'Last 24h' }),
    ).toHaveAttribute('aria-pressed', 'true');

    // When the newest point is, and each point's step (24 h: 5 minutes).
    expect(
      await within(panel).findByText(
        /all models · up to \d\d:\d\d, a point every 5 min$/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(panel).getByRole('combobox', { name: 'Model' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'mistral-7b-instruct' }),
    );
    expect(
      await within(panel).findByText(/model mistral-7b-instruct/),
    ).toBeInTheDocument();
  });

  it('sorts and filters the pods', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({ getWorkloads: jest.fn(async () => largeWorkloads(40)) }),
    );
    const table = await screen.findByRole('table', { name: 'Pods' });
    await within(table).findAllByRole('rowheader');

    await userEvent.click(within(table).getByRole('button', { name: 'Pod' }));
    expect(podRows()[0]).toBe('llama-3-8b-vllm-0000');
    await userEvent.click(within(table).getByRole('button', { name: 'Pod' }));
    expect(podRows()[0]).toBe('llama-3-8b-vllm-0039');
    expect(
      within(table).getByRole('columnheader', { name: /Pod/ }),
    ).toHaveAttribute('aria-sort', 'descending');

    await userEvent.click(
      within(table).getByRole('button', { name: 'Restarts' }),
    );
    await userEvent.click(
      within(table).getByRole('button', { name: 'Restarts' }),
    );
    // Crash-looping pod 20 restarted (20 % 23) + 1 = 21 times, the most of 40.
    expect(podRows()[0]).toBe('llama-3-8b-vllm-0020');

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter pods' }),
      'oomkilled',
    );
    expect(podRows()).toHaveLength(5);
    expect(
      screen.getByText('5 of 40 pods match the filter'),
    ).toBeInTheDocument();

    await userEvent.clear(screen.getByRole('textbox', { name: 'Filter pods' }));
    await userEvent.click(screen.getByRole('combobox', { name: 'Status' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Pending' }),
    );
    expect(podRows()).toEqual([
      // Still sorted by restarts, most first: i % 3 restarts.
      'llama-3-8b-vllm-0005',
      'llama-3-8b-vllm-0029',
      'llama-3-8b-vllm-0013',
      'llama-3-8b-vllm-0037',
      'llama-3-8b-vllm-0021',
    ]);
  });

  it('opens a pod to show its container states and warnings', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({ getWorkloads: jest.fn(async () => troubledWorkloads()) }),
    );
    const toggle = await screen.findByRole('button', {
      name: 'Show details of llama-3-8b-vllm-7d9c6b5f4-crash',
    });
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    const containers = await screen.findByRole('table', {
      name: 'Containers of llama-3-8b-vllm-7d9c6b5f4-crash',
    });
    expect(containers).toHaveTextContent('waiting: CrashLoopBackOff');
    expect(containers).toHaveTextContent('Error, exit 1');
    expect(containers).toHaveTextContent('3 CPU, 12 GiB, 1 GPU');
    expect(containers).toHaveTextContent('14 GiB, 1 GPU');
    expect(
      screen.getByRole('button', {
        name: 'Hide details of llama-3-8b-vllm-7d9c6b5f4-crash',
      }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(
      screen.getAllByText(/back-off 5m0s restarting failed container=vllm/),
    ).not.toHaveLength(0);
    // Its recent warning events, newest first.
    const events = screen.getByRole('table', {
      name: 'Warning events of llama-3-8b-vllm-7d9c6b5f4-crash',
    });
    const eventRows = within(events).getAllByRole('row').slice(1);
    expect(eventRows.map(r => r.textContent)).toEqual([
      'BackOffBack-off restarting failed container vllm in pod llama-3-8b-vllm-7d9c6b5f4-crash612026-11-22T13:59:40Z',
      expect.stringMatching(/^UnhealthyReadiness probe failed: .*12/),
    ]);
  });

  it('says when an opened pod has no warning events', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({ getWorkloads: jest.fn(async () => troubledWorkloads()) }),
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Show details of llama-3-8b-vllm-7d9c6b5f4-abcde',
      }),
    );
    expect(
      await screen.findByText('No recent warning events for this pod.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', {
        name: 'Warning events of llama-3-8b-vllm-7d9c6b5f4-abcde',
      }),
    ).not.toBeInTheDocument();
  });

  it('keeps only a bounded number of rows in the page at 2,000 pods', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({ getWorkloads: jest.fn(async () => largeWorkloads(2000)) }),
    );
    const table = await screen.findByRole('table', { name: 'Pods' });
    await within(table).findAllByRole('rowheader');
    expect(within(table).getAllByRole('row').length).toBeLessThanOrEqual(26);
    expect(screen.getByText('2000 of 2000 pods')).toBeInTheDocument();
    expect(screen.getByText('1–25 of 2000')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Go to next page' }),
    );
    expect(screen.getByText('26–50 of 2000')).toBeInTheDocument();
    expect(within(table).getAllByRole('row').length).toBeLessThanOrEqual(26);
    expect(
      screen.getByRole('region', { name: 'Pods ready' }),
    ).toHaveTextContent('1250 / 2000');
  });

  it('keeps sort, filter, page, open rows, range and model across a refresh', async () => {
    let restarts = 0;
    const api = mockApi({
      // Each refresh returns new objects, one pod with one more restart.
      getWorkloads: jest.fn(async () =>
        largeWorkloads(120, pods => {
          pods[0] = makePod('llama-3-8b-vllm-0000', {
            restarts: restarts++,
          });
        }),
      ),
      getMetrics: jest.fn(async (_e, { range }) =>
        makeMetrics({
          range,
          models: ['llama-3-8b-instruct', 'mistral-7b-instruct'],
        }),
      ),
    });
    await renderWithApi(<EntityLlmPlatformContent />, api);
    const table = await screen.findByRole('table', { name: 'Pods' });
    await within(table).findAllByRole('rowheader');

    await userEvent.click(within(table).getByRole('button', { name: 'Pod' }));
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter pods' }),
      'vllm-00',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Go to next page' }),
    );
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Show details of llama-3-8b-vllm-0030',
      }),
    );
    const panel = screen.getByRole('region', { name: 'Inference latency' });
    await userEvent.click(
      within(panel).getByRole('button', { name: 'Last 6h' }),
    );
    await userEvent.click(
      within(panel).getByRole('combobox', { name: 'Model' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'mistral-7b-instruct' }),
    );

    const before = podRows();
    // The same DOM nodes after the refresh: nothing remounts, so the page's
    // and the table's scroll positions stay where the user left them.
    const tableBefore = screen.getByRole('table', { name: 'Pods' });
    const rowBefore = screen.getByRole('rowheader', {
      name: 'llama-3-8b-vllm-0030',
    });
    const workloadCalls = api.getWorkloads.mock.calls.length;
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() =>
      expect(api.getWorkloads.mock.calls.length).toBe(workloadCalls + 1),
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(expect.anything(), {
        range: '6h',
        gpuSeries: 'latest',
      }),
    );

    expect(podRows()).toEqual(before);
    expect(podRows()[0]).toBe('llama-3-8b-vllm-0025');
    expect(screen.getByRole('table', { name: 'Pods' })).toBe(tableBefore);
    expect(
      screen.getByRole('rowheader', { name: 'llama-3-8b-vllm-0030' }),
    ).toBe(rowBefore);
    expect(screen.getByText('26–50 of 100')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Filter pods' })).toHaveValue(
      'vllm-00',
    );
    expect(
      screen.getByRole('button', {
        name: 'Hide details of llama-3-8b-vllm-0030',
      }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(panel).getByRole('button', { name: 'Last 6h' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      within(panel).getByText(/model mistral-7b-instruct/),
    ).toBeInTheDocument();
  });

  it('leaves the table untouched when a refresh returns unchanged data', async () => {
    const unchanged = largeWorkloads(60);
    const metrics = makeMetrics();
    const api = mockApi({
      getWorkloads: jest.fn(async () => unchanged),
      getMetrics: jest.fn(async () => metrics),
    });
    await renderWithApi(<EntityLlmPlatformContent />, api);
    const table = await screen.findByRole('table', { name: 'Pods' });
    await within(table).findAllByRole('rowheader');

    const mutations: MutationRecord[] = [];
    const observer = new MutationObserver(records =>
      mutations.push(...records),
    );
    observer.observe(table, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() => expect(api.getWorkloads).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(api.getMetrics).toHaveBeenCalledTimes(2));
    observer.disconnect();
    expect(mutations).toEqual([]);
  });

  it('refreshes on its interval and stops while paused', async () => {
    jest.useFakeTimers();
    try {
      const workloads = healthyWorkloads();
      const metrics = makeMetrics();
      const api = mockApi({
        getWorkloads: jest.fn(async () => workloads),
        getMetrics: jest.fn(async () => metrics),
      });
      await renderWithApi(<EntityLlmPlatformContent />, api);
      await screen.findByRole('region', { name: 'Pods ready' });
      expect(api.getWorkloads).toHaveBeenCalledTimes(1);

      await act(async () => {
        jest.advanceTimersByTime(10_000);
      });
      expect(api.getWorkloads).toHaveBeenCalledTimes(2);
      expect(api.getMetrics).toHaveBeenCalledTimes(2);

      const toggle = screen.getByRole('checkbox', { name: 'Auto-refresh' });
      expect(toggle).toBeChecked();
      fireEvent.click(toggle);
      expect(toggle).not.toBeChecked();
      await act(async () => {
        jest.advanceTimersByTime(60_000);
      });
      expect(api.getWorkloads).toHaveBeenCalledTimes(2);
      expect(
        screen.getByRole('combobox', { name: 'Refresh every' }),
      ).toHaveAttribute('aria-disabled', 'true');

      fireEvent.click(toggle);
      await act(async () => {
        jest.advanceTimersByTime(10_000);
      });
      expect(api.getWorkloads).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the data and says so when a refresh fails', async () => {
    const api = mockApi();
    await renderWithApi(<EntityLlmPlatformContent />, api);
    await screen.findByRole('region', { name: 'Pods ready' });
    await waitFor(() => expect(podRows()).toHaveLength(2));
    api.getWorkloads.mockRejectedValueOnce(new Error('Gateway timeout'));
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(
      await screen.findByText(
        /Could not refresh the workloads \(Gateway timeout\)/,
      ),
    ).toBeInTheDocument();
    expect(podRows()).toHaveLength(2);
  });

  it('shows the error when the workloads cannot be read at all', async () => {
    await renderWithApi(
      <EntityLlmPlatformContent />,
      mockApi({
        getWorkloads: jest.fn(async () => {
          throw new Error('Request failed with 503 Service Unavailable');
        }),
      }),
    );
    expect(
      await screen.findAllByText(/Request failed with 503 Service Unavailable/),
    ).not.toHaveLength(0);
    expect(screen.queryByRole('table', { name: 'Pods' })).toHaveAttribute(
      'aria-busy',
      'true',
    );
  });
});

describe('fixtures', () => {
  it('keeps the healthy fixture consistent with its counts', () => {
    const response = healthyWorkloads();
    if (response.status !== 'ok') throw new Error('expected ok');
    expect(response.clusters[0].counts.ready).toBe(
      response.clusters[0].pods!.length,
    );
  });
});

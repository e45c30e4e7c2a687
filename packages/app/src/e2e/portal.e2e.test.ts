/**
 * @jest-environment node
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  Portal,
  artifactsDir,
  screenshotCurrentTest,
  launchChromium,
  startPortal,
} from './__testUtils__/portal';

// The first README command's portal, driven in Debian's Chromium as a person would.

jest.setTimeout(300_000);

describe('portal in a browser', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  // Every answer of the backend's API the page received, for the token check.
  const apiBodies: Promise<string>[] = [];

  beforeAll(async () => {
    fs.mkdirSync(artifactsDir, { recursive: true });
    [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
    context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
    });
    // A Playwright trace of the whole run (actions, DOM snapshots, network),
    // kept with the screenshots: `npx playwright-core show-trace <file>`.
    await context.tracing.start({ screenshots: true, snapshots: true });
    page = await context.newPage();
    page.on('response', response => {
      if (response.url().includes('/api/')) {
        apiBodies.push(response.text().catch(() => ''));
      }
    });
  }, 600_000);

  afterEach(() => screenshotCurrentTest(page));

  afterAll(async () => {
    await context?.tracing
      .stop({ path: path.join(artifactsDir, 'portal-trace.zip') })
      .catch(() => undefined);
    await browser?.close();
    await portal?.stop();
  }, 60_000);

  it('signs in as guest and lists the example LLM platform', async () => {
    await page.goto(portal.appUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByRole('link', { name: 'Llama 3 8B Instruct (vLLM)' })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByRole('link', { name: 'Model router' }).count()).toBe(
      1,
    );
  });

  it('shows the LLM Platform tab on an annotated entity', async () => {
    await page
      .getByRole('link', { name: 'Llama 3 8B Instruct (vLLM)' })
      .click();
    await page.getByRole('link', { name: 'LLM Platform', exact: true }).click();
    await page.waitForURL(/\/llm-platform$/);
    expect(page.url()).toMatch(
      /\/catalog\/default\/component\/llama-3-8b-instruct\/llm-platform$/,
    );
    await page
      .getByText('backstage.io/kubernetes-id=llama-3-8b-instruct')
      .first()
      .waitFor();
  });

  it('shows the sandbox pods and explains the failing ones', async () => {
    await page
      .getByText('llama-3-8b-instruct-vllm-0000')
      .first()
      .waitFor({ timeout: 60_000 });
    // The sandbox's OOMKilled tokenizer and the pod waiting for a GPU.
    await page
      .getByText(/OOMKilled/)
      .first()
      .waitFor();
    await page
      .getByText(/Insufficient nvidia\.com\/gpu/)
      .first()
      .waitFor();
    expect(await page.getByText('sandbox').count()).toBeGreaterThan(0);
    // The whole tab with sandbox data, for the READMEs (scripts/screenshots.sh).
    await page.getByRole('region', { name: 'Inference latency' }).waitFor();
    await page.screenshot({
      path: path.join(artifactsDir, 'llm-platform-tab.png'),
      fullPage: true,
    });
  });

  it('opens a pod row and keeps it open, with the sort order and the scroll position, across auto-refreshes', async () => {
    const pods = page.getByRole('table', { name: 'Pods' });
    const rowButtons = pods.getByRole('button', {
      name: /^(Show|Hide) details of /,
    });
    const order = async () =>
      (
        await rowButtons.evaluateAll(buttons =>
          buttons.map(b => b.getAttribute('aria-label')),
        )
      ).map(label => label!.replace(/^(Show|Hide) details of /, ''));
    // Most restarts first: the OOMKilled pod leads.
    await pods.getByRole('button', { name: 'Restarts' }).click();
    await pods.getByRole('button', { name: 'Restarts' }).click();
    await pods
      .locator('th[aria-sort="descending"]', { hasText: 'Restarts' })
      .waitFor();
    const sorted = await order();
    const first = sorted[0];
    await pods
      .getByRole('button', { name: `Show details of ${first}` })
      .click();
    await page.getByRole('table', { name: `Containers of ${first}` }).waitFor();
    await page.screenshot({
      path: path.join(artifactsDir, 'pod-row-open.png'),
    });
    // Scrolled down to the open row, as a person reading it would be.
    await page
      .getByRole('table', { name: `Containers of ${first}` })
      .scrollIntoViewIfNeeded();
    const scrolled = () =>
      page.evaluate(() =>
        Math.max(
          window.scrollY,
          ...[...document.querySelectorAll('*')].map(el => el.scrollTop),
        ),
      );
    const tableTop = () =>
      pods.evaluate(el => Math.round(el.getBoundingClientRect().top));
    expect(await scrolled()).toBeGreaterThan(0);
    const scrolledBefore = await scrolled();
    const topBefore = await tableTop();
    // Two auto-refreshes of the workload view (every 10 s by default).
    for (let i = 0; i < 2; i++) {
      await page.waitForResponse(r => r.url().includes('/workloads'), {
        timeout: 40_000,
      });
    }
    await page.waitForTimeout(500);
    // The view did not move.
    expect(await scrolled()).toBe(scrolledBefore);
    expect(await tableTop()).toBe(topBefore);
    expect(
      await pods
        .getByRole('button', { name: `Hide details of ${first}` })
        .getAttribute('aria-expanded'),
    ).toBe('true');
    expect(
      await page
        .getByRole('table', { name: `Containers of ${first}` })
        .isVisible(),
    ).toBe(true);
    expect(
      await pods
        .locator('th[aria-sort="descending"]', { hasText: 'Restarts' })
        .count(),
    ).toBe(1);
    expect(await order()).toEqual(sorted);
  });

  it('redraws the latency charts for another range', async () => {
    const sixHours = page.waitForResponse(
      r => r.url().includes('/metrics') && r.url().includes('range=6h'),
    );
    await page.getByRole('button', { name: 'Last 6h' }).click();
    expect((await sixHours).status()).toBe(200);
    await page
      .locator('button[aria-label="Last 6h"][aria-pressed="true"]')
      .waitFor();
    await page.getByRole('region', { name: 'Inference latency' }).waitFor();
  });

  it('shows exact values with their units when hovering a chart', async () => {
    const chart = page
      .getByRole('figure', { name: 'Time to first token' })
      .locator('svg')
      .first();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
    // The chart library's tooltip has no role of its own: it is the popup
    // that appears by the pointer, a table of each series at that time.
    const tooltip = page.locator('[class*="MuiChartsTooltip-root"]');
    await tooltip.waitFor({ timeout: 10_000 });
    const text = (await tooltip.innerText()).replace(/\s+/g, ' ');
    expect(text).toMatch(/p50 \d+(\.\d+)? (ms|s)\b/);
    expect(text).toMatch(/p95 \d+(\.\d+)? (ms|s)\b/);
    await page.mouse.move(0, 0);
  });

  it('works by keyboard: range, sorting, filtering, a pod’s details, the auto-refresh switch and interval', async () => {
    const tab = page.getByRole('region', { name: 'LLM serving' });
    const panel = tab.getByRole('region', { name: 'Inference latency' });
    // Each control is reached with Tab from the one before it and worked
    // with the keys a person would use; no mouse click.
    const tabTo = async (target: Locator) => {
      for (let i = 0; i < 200; i++) {
        if (await target.evaluate(el => el === document.activeElement)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${target}`);
    };
    await tab.getByRole('heading', { name: 'LLM serving' }).click();

    const oneHour = panel.getByRole('button', { name: 'Last 1h' });
    await tabTo(oneHour);
    await page.keyboard.press('Enter');
    await panel
      .locator('button[aria-label="Last 1h"][aria-pressed="true"]')
      .waitFor();

    const pods = tab.getByRole('table', { name: 'Pods' });
    const filter = tab.getByRole('textbox', { name: 'Filter pods' });
    await tabTo(filter);
    await page.keyboard.type('vllm');
    const podSort = pods.getByRole('button', { name: 'Pod', exact: true });
    await tabTo(podSort);
    await page.keyboard.press('Enter');
    await pods
      .locator('th[aria-sort="ascending"]', { hasText: 'Pod' })
      .waitFor();
    const names = await pods.getByRole('rowheader').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every(n => n.includes('vllm'))).toBe(true);
    expect([...names].sort()).toEqual(names);

    const details = pods
      .getByRole('button', { name: /^Show details of / })
      .first();
    const pod = (await details.getAttribute('aria-label'))!.replace(
      'Show details of ',
      '',
    );
    await tabTo(details);
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: `Containers of ${pod}` }).waitFor();

    const autoRefresh = tab.getByLabel('Auto-refresh');
    const wasOn = await autoRefresh.isChecked();
    await autoRefresh.focus();
    await page.keyboard.press('Space');
    expect(await autoRefresh.isChecked()).toBe(!wasOn);
    await page.keyboard.press('Space');
    expect(await autoRefresh.isChecked()).toBe(wasOn);

    const interval = tab.getByRole('combobox', { name: 'Refresh every' });
    await tabTo(interval);
    await page.keyboard.press('Enter');
    const thirty = page.getByRole('option', { name: '30 s' });
    await thirty.waitFor();
    for (let i = 0; i < 5; i++) {
      if (await thirty.evaluate(el => el === document.activeElement)) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await expect(interval.textContent()).resolves.toBe('30 s');

    // Leave no filter behind for the tests after this one.
    await filter.fill('');
  });

  it('has no serious accessibility violations in the tab and the overview card, in the light and the dark theme (axe)', async () => {
    // axe-core over one part of the page; serious and critical findings.
    const audit = async (part: Locator) => {
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      return part.evaluate(async root => {
        const result = await (window as any).axe.run(root, {
          resultTypes: ['violations'],
        });
        return result.violations
          .filter((v: any) => ['serious', 'critical'].includes(v.impact))
          .map(
            (v: any) =>
              `${v.id} (${v.impact}): ${v.help}; ${v.nodes
                .slice(0, 3)
                .map(
                  (n: any) =>
                    `${n.html.slice(0, 120)} ${n.any?.[0]?.message ?? ''}`,
                )
                .join(' | ')}`,
          );
      });
    };
    const tabUrl = page.url();
    const overviewUrl = tabUrl.replace(/\/llm-platform$/, '');
    const tab = page.getByRole('region', { name: 'LLM serving' });
    // The overview card: the innermost card with the card's subtitle.
    const card = page
      .locator('div[class*="MuiCard-root"]', {
        has: page.getByText('Pods, GPUs and latency at a glance'),
      })
      .last();
    // The tab loaded afresh, down to its first pod row.
    const openTab = async () => {
      await page.goto(tabUrl);
      await tab
        .getByRole('table', { name: 'Pods' })
        .getByRole('rowheader')
        .first()
        .waitFor();
    };
    const auditBoth = async () => {
      await openTab();
      expect(await audit(tab)).toEqual([]);
      await page.goto(overviewUrl);
      await card
        .getByText(/pods ready/i)
        .first()
        .waitFor();
      expect(await audit(card)).toEqual([]);
    };
    const theme = async (name: 'Dark' | 'Light') => {
      await page.goto(`${portal.appUrl}/settings`);
      await page.getByRole('button', { name, exact: true }).click();
    };

    await auditBoth();
    await theme('Dark');
    await auditBoth();
    await openTab();
    await tab.getByRole('figure', { name: 'Time to first token' }).waitFor();
    await page.screenshot({
      path: path.join(artifactsDir, 'llm-platform-tab-dark.png'),
      fullPage: true,
    });
    await theme('Light');
  });

  it('offers no LLM Platform tab on an entity without the annotations', async () => {
    await page.goto(`${portal.appUrl}/catalog/default/system/llm-platform`);
    await page.getByRole('link', { name: 'Overview', exact: true }).waitFor();
    expect(
      await page
        .getByRole('link', { name: 'LLM Platform', exact: true })
        .count(),
    ).toBe(0);
  });

  it('creates a platform from the template, refusing a model that does not fit', async () => {
    await page.goto(`${portal.appUrl}/create`);
    // As a person with several templates does: search, then choose.
    await page
      .getByRole('textbox', { name: /search/i })
      .fill('LLM platform on EKS');
    const choose = page.getByRole('button', { name: /choose/i });
    for (let i = 0; i < 100 && (await choose.count()) !== 1; i++) {
      await page.waitForTimeout(100);
    }
    await choose.click();
    // Component
    await page.getByLabel('Name', { exact: false }).first().fill('acme');
    await page.getByRole('textbox', { name: /^Owner/ }).click();
    await page.getByRole('textbox', { name: /^Owner/ }).fill('platform');
    await page
      .getByRole('option', { name: /platform-team/ })
      .first()
      .click();
    await page.getByRole('textbox', { name: /^System/ }).fill('acme-llm');
    await page
      .getByRole('textbox', { name: /^Description/ })
      .fill('LLM platform of the acme team');
    await page.getByRole('button', { name: 'Next' }).click();
    // AWS and cluster
    await page
      .getByRole('textbox', { name: /AWS account id/ })
      .fill('418295730164');
    await page.getByRole('textbox', { name: /Cluster name/ }).fill('acme-llm');
    await page.getByRole('button', { name: 'Next' }).click();
    // Model serving: Mistral-7B in fp16 does not fit a T4 (seed D16).
    const pick = async (field: RegExp, option: string) => {
      await page
        .getByRole('button', { name: field })
        .or(page.getByRole('combobox', { name: field }))
        .first()
        .click();
      await page.getByRole('option', { name: option, exact: true }).click();
    };
    await pick(/^Model/, 'Mistral-7B-Instruct-v0.2 (fp16)');
    await pick(/^Quantization/, 'none (fp16/bf16)');
    await page
      .getByText(/does not fit|refused|cannot serve/i)
      .first()
      .waitFor();
    await page.screenshot({
      path: path.join(artifactsDir, 'template-fit-refused.png'),
    });
    await pick(/^Model/, 'Mistral-7B-Instruct-v0.2 AWQ 4-bit');
    await pick(/^Quantization/, 'AWQ 4-bit');
    await page.getByText(/fits/i).first().waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByRole('button', { name: 'Review' })
      .or(page.getByRole('button', { name: 'Next' }))
      .first()
      .click();
    await page.getByRole('button', { name: 'Create' }).click();
    // Every step succeeds, then the output links to the new model server.
    await page
      .getByRole('link', { name: /LLM Platform tab of the model server/ })
      .waitFor({ timeout: 180_000 });
    await page.screenshot({
      path: path.join(artifactsDir, 'template-task-done.png'),
    });
    // The planner's verdict for what was generated, and the local repository.
    await page
      .getByText(/TheBloke\/Mistral-7B-Instruct-v0\.2-AWQ/)
      .first()
      .waitFor();
    await page
      .getByText(/Preflight: 0 error\(s\)/)
      .first()
      .waitFor();
    await page
      .getByText(/Published acme to/)
      .first()
      .waitFor();
    expect(await page.getByText(/Does not fit/).count()).toBe(0);
    // The output link leads to the new model server's tab, where the sandbox
    // serves its pod, GPU node and latency series. The series start when the
    // model is published; the tab's auto-refresh brings them in once
    // Prometheus has scraped enough of them for a rate.
    const latencyPoints = page.waitForResponse(
      async r => {
        if (
          !r.url().includes('/component/default/acme-vllm/metrics') ||
          r.status() !== 200
        ) {
          return false;
        }
        const body = await r.json().catch(() => undefined);
        return (body?.total?.e2eLatency?.p95?.points?.length ?? 0) > 0;
      },
      { timeout: 180_000 },
    );
    await page
      .getByRole('link', { name: /LLM Platform tab of the model server/ })
      .click();
    await page.getByText('acme-vllm-0000').first().waitFor({ timeout: 90_000 });
    await page
      .getByRole('heading', { name: /GPU allocation/i })
      .first()
      .waitFor();
    await latencyPoints;
    // The chart's text alternative lists its points.
    await page
      .getByRole('region', { name: 'Inference latency' })
      .getByRole('figure', { name: 'End-to-end latency' })
      .locator('tbody tr')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.screenshot({
      path: path.join(artifactsDir, 'template-new-entity-tab.png'),
      fullPage: true,
    });
  });

  it('shows a stopped Prometheus in the latency panel while pods still show', async () => {
    await page.goto(
      `${portal.appUrl}/catalog/default/component/llama-3-8b-instruct/llm-platform`,
    );
    await page
      .getByText('llama-3-8b-instruct-vllm-0000')
      .first()
      .waitFor({ timeout: 60_000 });
    const pid = Number(
      /Prometheus \(instance "sandbox"\) on \S+, pid (\d+)/.exec(
        portal.log.join(''),
      )?.[1],
    );
    expect(pid).toBeGreaterThan(0);
    // The sandbox started this Prometheus for the test run; stop it by its pid.
    process.kill(pid, 'SIGTERM');
    await page
      .getByText(/Prometheus sandbox failed|Inference metrics are unavailable/)
      .first()
      .waitFor({ timeout: 90_000 });
    expect(
      await page.getByText('llama-3-8b-instruct-vllm-0000').count(),
    ).toBeGreaterThan(0);
  });

  it('never shows the cluster token, in the page or in any API answer', async () => {
    // The sandbox cluster's service-account token (app-config.yaml): only
    // the backend may hold it.
    const token = 'sandbox-reader-token';
    const bodies = await Promise.all(apiBodies);
    expect(bodies.length).toBeGreaterThan(20);
    expect(bodies.some(b => b.includes('llama-3-8b-instruct-vllm-0000'))).toBe(
      true,
    );
    expect(bodies.filter(b => b.includes(token))).toEqual([]);
    await page.goto(
      `${portal.appUrl}/catalog/default/component/llama-3-8b-instruct/llm-platform`,
    );
    await page
      .getByText('llama-3-8b-instruct-vllm-0000')
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await page.content()).not.toContain(token);
  });

  it('answers bad input with a 400 that names it and what would be valid', async () => {
    const session = await fetch(`${portal.backendUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const token = (await session.json()).backstageIdentity.token as string;
    const metrics = `${portal.backendUrl}/api/llm-platform/v1/entities/component/default/llama-3-8b-instruct/metrics`;
    for (const [query, valid] of [
      ['range=2h', 'range must be equal to one of the allowed values: 15m'],
      [
        'range=1h&gpuSeries=all',
        'gpuSeries must be equal to one of the allowed values: range, latest',
      ],
    ]) {
      const res = await fetch(`${metrics}?${query}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const { error } = await res.json();
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(error.message).toContain(valid);
      // This portal runs in development, where Backstage adds the stack for
      // the developer; the production profile's test checks it is left out.
    }
  });

  it('answers 401 to API calls without a session', async () => {
    for (const api of [
      '/api/llm-platform/v1/entities/component/default/llama-3-8b-instruct/workloads',
      '/api/llm-platform/v1/entities/component/default/llama-3-8b-instruct/metrics?range=1h',
      '/api/catalog/entities',
    ]) {
      const res = await fetch(`${portal.backendUrl}${api}`);
      expect({ api, status: res.status }).toEqual({ api, status: 401 });
      expect(await res.text()).not.toContain('sandbox-reader-token');
    }
  });
});

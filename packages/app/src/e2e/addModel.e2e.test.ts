/**
 * @jest-environment node
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  Portal,
  artifactsDir,
  screenshotCurrentTest,
  launchChromium,
  startPortal,
} from './__testUtils__/portal';

// Day 2 in the sandbox: a platform made by the llm-platform template gets a
// second model server through the llm-model template, and its own dashboard.

jest.setTimeout(300_000);

const PLATFORM = 'orbit';
const SERVER = 'orbit-qwen';
const MODEL = 'Qwen/Qwen2.5-7B-Instruct-AWQ';

/**
 * The backend's API as a signed-in guest. The development backend restarts
 * when its sources change, and its in-memory keys with it: a request that
 * fails or answers 401 signs in again.
 */
function backendApi(backendUrl: string) {
  let token: string | undefined;
  const signIn = async () => {
    const res = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!res.ok) throw new Error(`guest sign-in answered ${res.status}`);
    return (await res.json()).backstageIdentity.token as string;
  };
  return async (route: string, init: RequestInit = {}) => {
    try {
      token ??= await signIn();
      const res = await fetch(`${backendUrl}${route}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
      });
      if (res.status === 401) token = undefined;
      return res;
    } catch {
      token = undefined;
      return undefined;
    }
  };
}

async function waitUntil(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within 120 s`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** Runs the llm-platform template through the scaffolder API, as the Create page does. */
async function createPlatform(backendUrl: string) {
  const api = backendApi(backendUrl);
  const found = async (ref: string) =>
    (await api(`/api/catalog/entities/by-name/${ref}`))?.status === 200;
  // The catalog ingests the templates shortly after the backend starts.
  for (const name of ['llm-platform', 'llm-model']) {
    await waitUntil(`template ${name} in the catalog`, () =>
      found(`template/default/${name}`),
    );
  }
  const created = await api('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({
      templateRef: 'template:default/llm-platform',
      values: {
        name: PLATFORM,
        owner: 'group:default/platform-team',
        system: `${PLATFORM}-llm`,
        description: 'LLM platform of the orbit team',
        awsAccountId: '418295730164',
        awsRegion: 'us-west-2',
        clusterName: PLATFORM,
        kubernetesVersion: '1.32',
        environments: ['dev'],
        vpcCidr: '10.0.0.0/16',
        model: 'mistral-7b-instruct-v0.2-awq',
        instanceType: 'g4dn.xlarge',
        quantization: 'auto',
        tensorParallelSize: 1,
        maxModelLen: 4096,
        replicas: 1,
        gpuMinSize: 1,
        gpuMaxSize: 2,
        services: ['gateway'],
        observability: ['prometheus', 'dcgm-exporter'],
        grafanaUrl: 'http://localhost:3000',
        publisher: 'local',
      },
    }),
  });
  if (created?.status !== 201) {
    throw new Error(
      `llm-platform task not created: ${
        created?.status
      } ${await created?.text()}`,
    );
  }
  const { id } = await created.json();
  let status = '';
  await waitUntil('the llm-platform task finished', async () => {
    const res = await api(`/api/scaffolder/v2/tasks/${id}`);
    if (res?.ok) status = (await res.json()).status;
    return ['completed', 'failed', 'cancelled'].includes(status);
  });
  expect(status).toBe('completed');
  // The System the new model server joins, as the form's picker lists it.
  await waitUntil(`system ${PLATFORM}-llm in the catalog`, () =>
    found(`system/default/${PLATFORM}-llm`),
  );
}

describe('adding a model server to a platform in the sandbox', () => {
  let portal: Portal;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(artifactsDir, { recursive: true });
    [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
    await createPlatform(portal.backendUrl).catch(error => {
      // What the portal said, for a set-up that did not reach the UI.
      throw new Error(`${error.message}\n${portal.log.join('').slice(-6000)}`);
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(portal.appUrl);
    await page.getByRole('button', { name: 'Enter' }).click();
  }, 600_000);

  afterEach(() => screenshotCurrentTest(page));

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  }, 60_000);

  it('adds a second model through the llm-model template', async () => {
    await page.goto(`${portal.appUrl}/create`);
    // As a person with several templates does: search, then choose.
    await page
      .getByRole('textbox', { name: /search/i })
      .fill('Add a model server');
    // The list filters as the search settles: wait for the one card left.
    const choose = page.getByRole('button', { name: /choose/i });
    for (let i = 0; i < 100 && (await choose.count()) !== 1; i++) {
      await page.waitForTimeout(100);
    }
    await choose.click();
    // Model server
    await page.getByRole('textbox', { name: /^Name/ }).fill(SERVER);
    await page.getByRole('textbox', { name: /^Owner/ }).click();
    await page.getByRole('textbox', { name: /^Owner/ }).fill('platform');
    await page
      .getByRole('option', { name: /platform-team/ })
      .first()
      .click();
    await page.getByRole('textbox', { name: /^System/ }).click();
    await page.getByRole('textbox', { name: /^System/ }).fill(PLATFORM);
    await page
      .getByRole('option', { name: new RegExp(`${PLATFORM}-llm`) })
      .first()
      .click();
    await page.getByRole('button', { name: 'Next' }).click();
    // Platform repository: the local one the platform template wrote.
    await page
      .getByRole('textbox', { name: /^Local platform repository/ })
      .fill(PLATFORM);
    await page.getByRole('button', { name: 'Next' }).click();
    // Model serving: the same fit field as the platform template.
    await page
      .getByRole('button', { name: /^Model/ })
      .or(page.getByRole('combobox', { name: /^Model/ }))
      .first()
      .click();
    await page
      .getByRole('option', { name: 'Qwen2.5-7B-Instruct AWQ', exact: true })
      .click();
    await page.getByText(/fits/i).first().waitFor();
    await page
      .getByRole('button', { name: 'Review' })
      .or(page.getByRole('button', { name: 'Next' }))
      .first()
      .click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('link', { name: /LLM Platform tab of the model server/ })
      .waitFor({ timeout: 180_000 });
    await page
      .getByText(/Preflight: 0 error\(s\)/)
      .first()
      .waitFor();
    // The model folder (3 files), its catalog file, the dev overlay and the
    // Prometheus config: one commit on top of the platform's.
    const committed = page
      .getByText(new RegExp(`Committed \\d+ files to ${PLATFORM}`))
      .first();
    await committed.waitFor();
    expect(await committed.textContent()).toMatch(
      new RegExp(`Committed 6 files to ${PLATFORM} at [0-9a-f]{40}`),
    );
    await page.screenshot({
      path: path.join(artifactsDir, 'add-model-task-done.png'),
    });
  });

  it("shows the new model server's pods and its own latency series", async () => {
    const metrics = page.waitForResponse(
      async r => {
        if (
          !r.url().includes(`/component/default/${SERVER}/metrics`) ||
          r.status() !== 200
        ) {
          return false;
        }
        const body = await r.json().catch(() => undefined);
        // Its own model's p95 end-to-end latency, with points.
        return body?.models?.some(
          (m: any) => m.model === MODEL && m.e2eLatency.p95.points.length > 0,
        );
      },
      { timeout: 180_000 },
    );
    await page
      .getByRole('link', { name: /LLM Platform tab of the model server/ })
      .click();
    await page.waitForURL(new RegExp(`/component/${SERVER}/llm-platform$`));
    await page.getByText(`${SERVER}-0000`).first().waitFor({ timeout: 90_000 });
    // The entity's own series: vLLM labels them with its model name.
    expect((await metrics).status()).toBe(200);
    const latency = page.getByRole('region', { name: 'Inference latency' });
    await latency.waitFor();
    await latency
      .getByRole('figure')
      .first()
      .locator('tbody tr')
      .first()
      .waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(artifactsDir, 'add-model-new-entity-tab.png'),
      fullPage: true,
    });
  });
});

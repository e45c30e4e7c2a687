/**
 * @jest-environment node
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Portal, artifactsDir, launchChromium, startPortal } from './portal';

// The first README command's portal, driven in Debian's Chromium as a person would.

jest.setTimeout(300_000);

describe('portal in a browser', () => {
  let portal: Portal;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(artifactsDir, { recursive: true });
    [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  }, 300_000);

  afterEach(async () => {
    const name = expect.getState().currentTestName ?? 'test';
    await page
      ?.screenshot({
        path: path.join(artifactsDir, `${name.replace(/\W+/g, '-')}.png`),
      })
      .catch(() => undefined);
  });

  afterAll(async () => {
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
    await page.getByRole('tab', { name: 'LLM Platform' }).click();
    await page.waitForURL(/\/llm-platform$/);
    await page
      .getByText('backstage.io/kubernetes-id=llama-3-8b-instruct')
      .first()
      .waitFor();
  });

  it('offers no LLM Platform tab on an entity without the annotations', async () => {
    await page.goto(`${portal.appUrl}/catalog/default/system/llm-platform`);
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    expect(await page.getByRole('tab', { name: 'LLM Platform' }).count()).toBe(
      0,
    );
  });

  it('answers 401 to API calls without a session', async () => {
    const res = await fetch(`${portal.backendUrl}/api/catalog/entities`);
    expect(res.status).toBe(401);
  });
});

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient } from '../../infra/cli/client';
import { SAMPLE_DIR } from '../../infra/local/demo-flow';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { requireTool, skipRequested } from '../support/tools';
import { operatorPage } from './ui-check';

const SHOTS = join(import.meta.dirname, '../../test-results/screenshots');
let runtime: LocalRuntime;
let browser: Browser;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  runtime = await startLocalRuntime({ port: 0 });
  browser = await chromium.launch({
    executablePath: requireTool('chromium'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe.skipIf(skipRequested('browser'))('web pages in a real browser', () => {
  it('serves a Vietnamese home page', async () => {
    const page = await browser.newPage();
    await page.goto(`${runtime.urls.api}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect(page.locator('header').textContent()).resolves.toContain('Hệ thống báo cáo định kỳ');
    await page.screenshot({ path: join(SHOTS, 'home.png'), fullPage: true });
  });

  it('uploads a division file from the form straight to S3 and shows it accepted', async () => {
    const page = await operatorPage(browser, runtime.signinUrl);
    await page.goto(`${runtime.urls.api}/form`);
    await page.selectOption('#division', 'VP');
    await page.fill('#period', '2021-Q1');
    await page.setInputFiles('#file', join(SAMPLE_DIR, '2021-Q1', 'VP.json'));
    await page.click('button[type=submit]');
    await page.waitForSelector('#result.ok, #result.warn, #result.err', { timeout: 30_000 });
    const text = await page.textContent('#result');
    await page.screenshot({ path: join(SHOTS, 'form-accepted.png'), fullPage: true });
    expect(text).toContain('Đã tiếp nhận');
    const status = await new BaocaoClient(runtime.urls.api).periodStatus('2021-Q1');
    expect(status.submissions.map((s) => s.divisionId)).toContain('VP');
  });

  it('shows the Vietnamese refusal when the file is not valid JSON', async () => {
    const page = await operatorPage(browser, runtime.signinUrl);
    await page.goto(`${runtime.urls.api}/form?division=TTRA&period=2021-Q1`);
    await page.setInputFiles('#file', { name: 'hong.json', mimeType: 'application/json', buffer: Buffer.from('{ "division": ') });
    await page.click('button[type=submit]');
    await page.waitForSelector('#result.err', { timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'form-refused.png'), fullPage: true });
    expect(await page.textContent('#result')).toContain('không phải JSON hợp lệ');
  });
});

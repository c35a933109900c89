/**
 * The second department's division form in a real browser: Sở Tư pháp opens a quarter of its kstt
 * report; only the divisions that answer it are invited; the judicial-administration division fills
 * the rows of form 06/VPCP/KSTT (no total typed twice) and gets its submission accepted.
 */
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { quarterDue } from '../../shared/features/intake/service';
import { secondOrganizationDocument, secondSampleFiles } from '../../shared/sample/binhphuoc-stp';
import { requireTool, skipRequested } from '../support/tools';

let runtime: LocalRuntime;
let browser: Browser;
let client: BaocaoClient;
const QUARTER = quarterDue(new Date());
const links = new Map<string, string>();

beforeAll(async () => {
  if (skipRequested('browser')) return;
  runtime = await startLocalRuntime({ port: 0, organizations: [secondOrganizationDocument] });
  client = new BaocaoClient(runtime.urls.api, { org: secondOrganizationDocument.id, type: 'kstt' });
  browser = await chromium.launch({
    executablePath: requireTool('chromium'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const opened = await client.openPeriod(QUARTER);
  for (const s of opened.sent) {
    const mail = (await client.inbox()).find((m) => m.to.includes(s.sentTo[0]) && m.subject.includes('Mời nộp số liệu'));
    links.set(s.divisionId, linksIn(mail?.text ?? '', 'nop')[0]);
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe.skipIf(skipRequested('browser'))('Sở Tư pháp’s kstt form in a real browser', () => {
  it('invites only the divisions that answer the report type', () => {
    expect([...links.keys()].sort()).toEqual(['HCTP', 'TGPL', 'VP']);
  });

  it('takes the rows of form 06 from the settling division and accepts them', async () => {
    const rows = (secondSampleFiles[1] as { tables: { bieu06: Array<Record<string, string | number>> } }).tables.bieu06.slice(0, 2);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(links.get('HCTP')!);
    await page.waitForSelector('html[data-ready="1"]');
    await expect(page.locator('h1').textContent()).resolves.toContain('Nộp số liệu báo cáo');
    // The totals are computed from the rows: no indicator input to type them twice.
    expect(await page.locator('[id^="f_indicators_"]').count()).toBe(0);
    for (const [i, row] of rows.entries()) {
      await page.getByRole('button', { name: 'Thêm dòng' }).click();
      for (const [col, value] of Object.entries(row)) {
        await page.fill(`[data-table="bieu06"][data-row="${i}"][data-col="${col}"]`, String(value));
      }
    }
    await page.getByRole('button', { name: 'Gửi số liệu' }).click();
    await page.waitForSelector('#result.ok, #result.warn, #result.err', { timeout: 30_000 });
    expect(await page.textContent('#result')).toContain('Đã tiếp nhận');
    const status = await client.periodStatus(QUARTER);
    expect(status.submissions.map((s) => s.divisionId)).toEqual(['HCTP']);
    await page.close();
  });
});

import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { sampleLoader } from '../../infra/local/sample-year';
import { decodeXml, readDocx } from '../fixtures/docx/docx-reader';
import { requireTool, skipRequested } from '../support/tools';
import { checkPage, operatorPage, SHOTS, VIEWPORTS, visitBoth } from './ui-check';

/**
 * The first run and the compiler's editing desk in Chromium at 1366 and 390 px: an empty system
 * loads the sample year in one click; a compile with the desk waits for the compiler, who orders,
 * edits, merges and drops narrative items; the draft prints the edits; after a return and a
 * recompile the edits are kept and the approver who returned sees what changed. Every page: no
 * horizontal scroll at 390 px, no serious or critical axe violation, no internal code.
 * Screenshots land in test-results/screenshots/ui/.
 */
let runtime: LocalRuntime;
let browser: Browser;
let client: BaocaoClient;
let api: string;
let reportUrl = '';
const SECTION = '#muc-nhiemVuTrongTam';
const EDITED = 'Triển khai nhiệm vụ trọng tâm cải cách hành chính năm 2021 (Văn phòng đã biên tập).';

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  runtime = await startLocalRuntime({ port: 0 });
  api = runtime.urls.api;
  client = new BaocaoClient(api);
  browser = await chromium.launch({
    executablePath: requireTool('chromium'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

async function waitForMail(match: (m: { subject: string; text: string }) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await client.inbox()).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('Không thấy thư mong đợi.');
}

const items = (page: Page) => page.locator(`${SECTION} li[data-desk-item]`);

describe.skipIf(skipRequested('browser'))("first run and the compiler's editing desk", () => {
  it('an empty system offers the sample year on the home page and loads it in one click, through the upload path', async () => {
    await visitBoth(browser, `${api}/`, 'first-run-home', runtime.signinUrl);
    const page = await operatorPage(browser, runtime.signinUrl, { viewport: { width: 390, height: 844 } });
    await page.goto(`${api}/`);
    await page.getByRole('button', { name: 'Nạp dữ liệu mẫu năm 2021' }).click();
    await page.waitForURL(/\/_local\/sample/);
    await page.waitForSelector('text=Xem báo cáo và tiến độ phê duyệt', { timeout: 120_000 });
    await checkPage(page, 'first-run-loaded', '390');
    await page.getByRole('link', { name: 'Xem báo cáo và tiến độ phê duyệt' }).click();
    await page.waitForSelector('#live[data-status="awaiting_approval"]', { timeout: 90_000 });
    await page.goto(`${api}/`);
    expect(await page.locator('#du-lieu-mau').count()).toBe(0);
    await page.close();
    // A load on a system that has data is refused, and a page elsewhere cannot start one.
    expect(await sampleLoader(() => api).start()).toMatchObject({ state: 'failed', error: expect.stringContaining('đã có dữ liệu') });
    const crossSite = await fetch(`${api}/_local/sample`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${runtime.operatorToken}` },
    });
    expect(crossSite.status).toBe(403);
  }, 240_000);

  it('a compile with the desk waits for the compiler, who orders, edits, merges and drops items, then sends', async () => {
    const page = await operatorPage(browser, runtime.signinUrl, { viewport: { width: 1366, height: 900 } });
    await page.goto(`${api}/periods/2021-Q1`);
    expect(await page.getByLabel('Biên tập nội dung (sắp xếp, sửa, gộp, bỏ ý) trước khi gửi phê duyệt').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Tổng hợp và dựng dự thảo' }).click();
    await page.waitForURL(/\/reports\//);
    reportUrl = page.url();
    await page.waitForSelector('#live[data-status="editing"]', { timeout: 60_000 });
    await checkPage(page, 'report-editing', '1366');
    await page.getByRole('link', { name: 'Biên tập và gửi phê duyệt' }).click();
    await page.waitForURL(/\/desk$/);
    for (const v of VIEWPORTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await checkPage(page, 'desk', v.name);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    const before = await items(page)
      .locator('textarea')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    expect(before.length).toBeGreaterThanOrEqual(4);
    // Edit the first, move the second to the end, merge the third into the first, drop the fourth.
    await items(page).nth(0).locator('textarea').fill(EDITED);
    await items(page).nth(1).getByLabel('Thứ tự').fill('99');
    await items(page).nth(2).getByLabel('Gộp vào ý phía trên').check();
    await items(page).nth(3).getByLabel('Bỏ ý này').check();
    await page.getByRole('button', { name: 'Lưu biên tập' }).click();
    await page.waitForURL(/saved=1/);
    expect(await page.locator('[role=status]').first().textContent()).toContain('lần lưu thứ 1');
    const after = await items(page)
      .locator('textarea')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    expect(after[0]).toBe(`${EDITED} ${before[2]}`);
    // The second item moved last; the dropped one stays on the desk after it, ticked, to be taken back if need be.
    expect(after.at(-2)).toBe(before[1]);
    expect(after.at(-1)).toBe(before[3]);
    expect(await items(page).last().getByLabel('Bỏ ý này').isChecked()).toBe(true);
    const history = await page.locator('table.stack tbody tr').first().textContent();
    expect(history).toMatch(/sửa 1 ý.*gộp 1.*bỏ 1.*đổi thứ tự/);
    await checkPage(page, 'desk-saved', '1366');
    await page.setViewportSize({ width: 390, height: 844 });
    await checkPage(page, 'desk-saved', '390');

    await page.getByRole('button', { name: 'Lưu và gửi phê duyệt' }).click();
    await page.waitForURL(/\/reports\/[^/]+$/);
    await page.waitForSelector('#live[data-status="awaiting_approval"]', { timeout: 60_000 });
    // The draft prints the edits: the merged item, not the dropped one.
    const href = await page.locator('a[href$="download?draft=1"]').first().getAttribute('href');
    const res = await page.request.get(`${api}${href}`);
    const text = decodeXml((await readDocx(Buffer.from(await res.body()))).document.replace(/<[^>]+>/g, ''));
    expect(text).toContain(EDITED);
    expect(text).not.toContain(before[3]);
    await page.close();
  }, 180_000);

  it('after a return and a recompile the edits are kept, and the approver who returned sees what changed', async () => {
    const first = await waitForMail((m) => m.subject.startsWith('[Cần phê duyệt]') && m.subject.includes('quý I'));
    const page = await operatorPage(browser, runtime.signinUrl, { viewport: { width: 390, height: 844 } });
    await page.goto(linksIn(first.text, 'decision')[0]);
    await page.getByLabel('Ý kiến (bắt buộc khi trả lại)').fill('Đề nghị viết gọn mục nhiệm vụ trọng tâm.');
    await page.getByRole('button', { name: 'Trả lại' }).click();
    await page.waitForSelector('text=Đồng chí đã trả lại dự thảo');

    await page.goto(reportUrl);
    await page.waitForSelector('#live[data-status="returned"]', { timeout: 60_000 });
    // Recompile asks for a reason and a confirmation, like abandon.
    await page.getByLabel('Lý do tổng hợp lại (ví dụ: các đơn vị đã cập nhật số liệu)').fill('Viết gọn theo ý kiến Chánh Văn phòng.');
    await page.getByLabel('Tôi hiểu dự thảo mới sẽ được trình lại từ bước 1').check();
    await checkPage(page, 'report-returned', '390');
    await page.getByRole('button', { name: /Tổng hợp lại/ }).click();
    await page.waitForSelector('#live[data-status="editing"]', { timeout: 60_000 });
    await page.goto(`${reportUrl}/desk`);
    expect(await items(page).nth(0).locator('textarea').inputValue()).toContain(EDITED);
    expect(await page.locator('#can-xem-lai').count()).toBe(0);
    const kept = await items(page).nth(0).locator('textarea').inputValue();
    await items(page).nth(0).locator('textarea').fill(kept.replace('(Văn phòng đã biên tập)', '(Văn phòng biên tập lần hai)'));
    // With script, "Xuống" moves an item and renumbers the "Thứ tự" boxes in page order.
    const moved = await items(page).nth(1).locator('textarea').inputValue();
    await items(page).nth(1).getByRole('button', { name: 'Chuyển ý này xuống dưới' }).click();
    expect(await items(page).nth(2).locator('textarea').inputValue()).toBe(moved);
    expect(await items(page).nth(2).getByLabel('Thứ tự').inputValue()).toBe('3');
    expect(await items(page).nth(1).getByLabel('Thứ tự').inputValue()).toBe('2');
    await checkPage(page, 'desk-script', '390');
    await page.getByRole('button', { name: 'Lưu và gửi phê duyệt' }).click();
    await page.waitForSelector('#live[data-status="awaiting_approval"]', { timeout: 60_000 });

    const second = await waitForMail(
      (m) => m.subject.startsWith('[Cần phê duyệt]') && m.subject.includes('dự thảo lần 2') && m.subject.includes('quý I'),
    );
    const link = linksIn(second.text, 'decision')[0];
    await page.goto(link);
    const changes = await page.locator('#thay-doi').textContent();
    expect(await page.locator('h2', { hasText: 'Thay đổi so với dự thảo lần 1' }).count()).toBe(1);
    expect(changes).toContain('Sửa:');
    expect(changes).toContain('(Văn phòng biên tập lần hai)');
    await page.close();
    await visitBoth(browser, link, 'decision-changes');
  }, 180_000);
});

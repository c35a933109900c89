import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { SAMPLE_DIR } from '../../infra/local/demo-flow';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { quarterDue } from '../../shared/features/intake/service';
import { requireTool, skipRequested } from '../support/tools';
import { checkPage, internalCodesIn, operatorPage, SHOTS, VIEWPORTS, visitBoth } from './ui-check';

/**
 * Each user's path through the web UI in Chromium at 1366 px and 390 px: every page has no
 * horizontal scroll at 390 px, no serious or critical axe violation, no internal code; every
 * email likewise. Screenshots land in test-results/screenshots/ui/.
 */
let runtime: LocalRuntime;
let browser: Browser;
let client: BaocaoClient;
let api: string;
const QUARTER = quarterDue(new Date());
let reportUrl = '';

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  runtime = await startLocalRuntime({ port: 0 });
  api = runtime.urls.api;
  client = new BaocaoClient(api);
  browser = await chromium.launch({
    executablePath: requireTool('chromium'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  // Two of eight divisions in for 2021-Q1: the compile must show the gap.
  for (const d of ['VP', 'KHTC']) await client.submit(join(SAMPLE_DIR, '2021-Q1', `${d}.json`), d, '2021-Q1');
  await client.openPeriod(QUARTER);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe.skipIf(skipRequested('browser'))('the web UI as its users meet it', () => {
  it("the compiler's home, period and completeness pages", async () => {
    await visitBoth(browser, `${api}/`, 'home', runtime.signinUrl);
    await visitBoth(browser, `${api}/periods/2021-Q1`, 'period', runtime.signinUrl);
    await visitBoth(browser, `${api}/periods/${QUARTER}/completeness`, 'completeness', runtime.signinUrl);
    await visitBoth(browser, `${api}/periods/2021`, 'period-year', runtime.signinUrl);
    const page = await operatorPage(browser, runtime.signinUrl, { viewport: { width: 390, height: 844 } });
    await page.goto(`${api}/periods/2021-Q1`);
    expect(await page.locator('h1').textContent()).toContain('Quý I/2021');
    expect(await page.locator('.alert-warn').textContent()).toContain('còn thiếu 6/8');
    await page.close();
  }, 60_000);

  it('a second "Mở kỳ" asks instead of re-mailing every division; "Mở lại" needs a reason', async () => {
    const before = (await client.inbox()).length;
    const page = await operatorPage(browser, runtime.signinUrl, { viewport: { width: 390, height: 844 } });
    await page.goto(`${api}/periods/${QUARTER}/completeness`);
    await page.getByRole('button', { name: 'Mở kỳ và gửi liên kết' }).click();
    await page.waitForURL(/ask=open/);
    expect(await page.locator('#mo-ky [role=alert]').textContent()).toContain('8 đơn vị');
    await checkPage(page, 'open-again', '390');
    await page.getByRole('button', { name: 'Gửi liên kết' }).click(); // default: only those not yet invited
    await page.waitForURL(/done=opened/);
    expect((await client.inbox()).length).toBe(before);
    const refused = await page.request.post(`${api}/periods/${QUARTER}/reopen`, { form: { division: 'VP' }, headers: { origin: api } });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain('lý do');
    await page.close();
  }, 60_000);

  it('compiling with submissions missing asks for a reason, then the report page follows progress without reload', async () => {
    const page = await operatorPage(browser, runtime.signinUrl, { viewport: { width: 1366, height: 900 } });
    const refused = await page.request.post(`${api}/periods/2021-Q1/compile`, { form: { confirm: '1' }, headers: { origin: api } });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain('Chưa nhập lý do');
    await page.goto(`${api}/periods/2021-Q1`);
    await page.getByLabel('Tôi xác nhận tổng hợp khi số liệu còn thiếu').check();
    await page.getByLabel('Lý do tổng hợp khi còn thiếu').fill('Báo cáo nhanh theo yêu cầu của Sở Nội vụ.');
    // Straight to the approvers here; the editing desk has its own path (desk.test.ts).
    await page.getByLabel('Biên tập nội dung (sắp xếp, sửa, gộp, bỏ ý) trước khi gửi phê duyệt').uncheck();
    await page.getByRole('button', { name: 'Tổng hợp khi còn thiếu' }).click();
    await page.waitForURL(/\/reports\//);
    reportUrl = page.url();
    // The live block updates in place (polling script) until the first approval step waits.
    await page.waitForSelector('#live[data-status="awaiting_approval"]', { timeout: 60_000 });
    expect(await page.locator('.steps li.done').count()).toBe(3);
    expect(await page.locator('.alert-warn').first().textContent()).toContain('Sở Nội vụ');
    for (const v of VIEWPORTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await checkPage(page, 'report-awaiting', v.name);
    }
    await page.close();
  }, 90_000);

  it("the leader's decision page: figures first, the gap, a return without comment kept on the page, the final approver told the release", async () => {
    const mail = (await client.inbox()).find((m) => m.subject.includes('[Cần phê duyệt]'))!;
    expect(mail.text).toContain('còn thiếu');
    const link = linksIn(mail.text, 'decision')[0];
    await visitBoth(browser, link, 'decision');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link);
    expect(await page.locator('.figures li').count()).toBeGreaterThan(0);
    // The draft itself follows the key figures, marked DỰ THẢO with its gap banner; its tables
    // scroll inside their own regions (the page itself never does: checkPage above).
    const order = await page.evaluate(() => {
      const figures = document.querySelector('.figures');
      const doc = document.querySelector('article.doc');
      return figures && doc ? figures.compareDocumentPosition(doc) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeGreaterThan(0);
    expect(await page.locator('article.doc .doc-draft-mark').textContent()).toBe('DỰ THẢO');
    expect(await page.locator('article.doc .doc-gap').count()).toBe(1);
    expect(await page.locator('.doc-table-wrap[role=region]').count()).toBeGreaterThan(0);
    const scrollsInside = await page.evaluate(() =>
      [...document.querySelectorAll('.doc-table-wrap')].some((e) => e.scrollWidth > e.clientWidth),
    );
    expect(scrollsInside).toBe(true);
    expect(await page.locator('a[href$="/draft"]').count()).toBe(1);
    await page.getByLabel('Văn phòng', { exact: false }).first().check();
    await page.getByRole('button', { name: 'Trả lại' }).click();
    await page.waitForSelector('#decision-error');
    expect(await page.locator('input[name=divisions]:checked').count()).toBe(1);
    await checkPage(page, 'decision-return-without-comment', '390');
    await page.getByRole('button', { name: 'Đồng ý' }).click();
    await page.waitForSelector('text=bước phê duyệt tiếp theo');
    await checkPage(page, 'decided', '390');

    const next = await waitForMail((m) => m.subject.includes('[Cần phê duyệt]') && m.text !== mail.text);
    await page.goto(linksIn(next.text, 'decision')[0]);
    await page.getByRole('button', { name: 'Đồng ý' }).click();
    await page.waitForSelector('text=ban hành');
    expect(await page.locator('main').textContent()).toMatch(/đã được ban hành, số \d+\/|đang được ban hành/);
    await checkPage(page, 'decided-final', '390');
    await page.close();
  }, 90_000);

  it('the released report page links the file, and the download answers the file, not JSON', async () => {
    const page = await operatorPage(browser, runtime.signinUrl, { viewport: { width: 390, height: 844 } });
    await page.goto(reportUrl);
    await page.waitForSelector('#live[data-status="released"]', { timeout: 60_000 });
    await checkPage(page, 'report-released', '390');
    // The compiler reads the released document and each draft in the page, as the approvers did.
    for (const [selector, name] of [
      ['a[href$="/released"]', 'document-released'],
      ['a[href*="/drafts/"]', 'document-draft'],
    ] as const) {
      const view = await page.locator(selector).first().getAttribute('href');
      expect(view).toBeTruthy();
      await visitBoth(browser, `${api}${view}`, name);
    }
    const href = await page.locator('a[href$="/download"]').first().getAttribute('href');
    const res = await page.request.get(`${api}${href}`, { maxRedirects: 0 });
    expect(res.status()).toBe(302);
    expect(res.headers().location).toContain('.docx');
    await page.close();
  }, 90_000);

  it("the clerk's form at 390 px: stacked tables, required marks, one message per field on leaving it (the receipt: intake-form.test.ts)", async () => {
    const invite = (await client.inbox()).find((m) => m.to.some((t) => t.includes('.vp@')) && m.subject.includes('Mời nộp số liệu'));
    const link = linksIn(invite?.text ?? '', 'nop')[0];
    expect(link).toBeTruthy();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link);
    await page.waitForSelector('html[data-ready="1"]');
    await checkPage(page, 'form', '390');
    expect(await page.locator('label .req').count()).toBeGreaterThan(0);
    expect(await page.locator('.section-menu a').count()).toBeGreaterThan(3);
    const first = page.locator('input[data-field^="indicators."]').first();
    await first.fill('3412abc');
    await first.blur();
    const slot = page.locator(`#${(await first.getAttribute('aria-describedby'))!.split(' ').pop()}`);
    await expect.poll(() => slot.locator('p').count()).toBe(1);
    expect(await slot.textContent()).not.toContain('Chưa nhập');
    const send = page.getByRole('button', { name: 'Gửi số liệu' });
    const box = (await send.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1366, height: 900 });
    await checkPage(page, 'form', '1366');
    await page.close();
  }, 60_000);

  it('no email shows an internal code, a presigned URL or a CLI command', async () => {
    const mails = await client.inbox();
    expect(mails.length).toBeGreaterThan(8);
    for (const m of mails) {
      const visible = `${m.subject}\n${m.text.replace(/https?:\/\/\S+/g, '')}\n${((m as { html?: string }).html ?? '').replace(/<[^>]+>/g, ' ')}`;
      expect(internalCodesIn(visible), m.subject).toEqual([]);
      expect(m.text.length < 3000 && !/X-Amz-/.test(m.text), m.subject).toBe(true);
    }
  });
});

async function waitForMail(match: (m: { subject: string; text: string }) => boolean) {
  for (let i = 0; i < 120; i++) {
    const found = (await client.inbox()).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('Không thấy thư mong đợi.');
}

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { SAMPLE_DIR } from '../../infra/local/demo-flow';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { DynamoIntakeStore } from '../../shared/adapters/aws/dynamo-intake-store';
import { newLinkSecret } from '../../shared/crypto';
import { previousQuarter } from '../../shared/domain/periods';
import { quarterDue } from '../../shared/features/intake/service';
import { formatInteger } from '../../shared/format/vi';
import { requireTool, skipRequested } from '../support/tools';
import { operatorPage } from './ui-check';

const SHOTS = join(import.meta.dirname, '../../test-results/screenshots');
let runtime: LocalRuntime;
let browser: Browser;
let client: BaocaoClient;
/** The quarter whose deadline is next: open, not locked, whatever day the test runs. */
const QUARTER = quarterDue(new Date());
const links = new Map<string, string>();

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  runtime = await startLocalRuntime({ port: 0 });
  client = new BaocaoClient(runtime.urls.api);
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

async function openForm(division: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
  await page.goto(links.get(division)!);
  await page.waitForSelector('html[data-ready="1"]');
  return page;
}

describe.skipIf(skipRequested('browser'))('division intake in a real browser', () => {
  it('mails every division an invite link to its own form', () => {
    expect([...links.keys()].sort()).toEqual(['KHTC', 'KTNL', 'QLCN', 'QLTM', 'TTKC', 'TTRA', 'TTXT', 'VP']);
    for (const link of links.values()) expect(link).toMatch(/\/nop\/[A-Za-z0-9_-]{43}$/);
  });

  it('fills the form with the keyboard, submits and shows it accepted', async () => {
    const page = await openForm('TTKC');
    await expect(page.locator('h1').textContent()).resolves.toContain('Nộp số liệu báo cáo');
    const tinBai = page.getByLabel('Số tin, bài về cải cách hành chính', { exact: false });
    await tinBai.focus();
    await page.keyboard.type('1.204');
    await page
      .getByLabel('Thông tin tuyên truyền kiểm soát TTHC')
      .fill('Đăng 12 tin, bài về kiểm soát thủ tục hành chính trên trang thông tin điện tử.');
    await page.screenshot({ path: join(SHOTS, 'intake-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Gửi số liệu' }).press('Enter');
    await page.waitForSelector('#result.ok, #result.warn, #result.err', { timeout: 30_000 });
    expect(await page.textContent('#result')).toContain('Đã tiếp nhận');
    // The receipt sits at the top of the page: reference number, time, which submission.
    await expect(page.locator('#receipt').isVisible()).resolves.toBe(true);
    expect(await page.textContent('#receipt')).toMatch(/Số tiếp nhận\s*TN-[0-9A-F]{4}-[0-9A-F]{4}[\s\S]*Lần thứ 1/);
    const status = await client.periodStatus(QUARTER);
    expect(status.submissions.find((s) => s.divisionId === 'TTKC')).toMatchObject({ version: 1 });
    await page.close();
  });

  it('prefills from the last quarter, puts a wrong total next to its field, then accepts "16.075"-style numbers', async () => {
    const sample = JSON.parse(await readFile(join(SAMPLE_DIR, '2021-Q1', 'VP.json'), 'utf8'));
    const previous = previousQuarter(QUARTER);
    const prior = await client.submit(Buffer.from(JSON.stringify({ ...sample, period: previous })), 'VP', previous);
    expect(prior.status).toBe('accepted');

    const page = await openForm('VP');
    const received = page.locator('#f_indicators_hoSoTiepNhan');
    await expect(received.inputValue()).resolves.toBe(formatInteger(Number(sample.indicators.hoSoTiepNhan)));
    await page.fill('#f_indicators_hoSoTrucTiep', '1');
    await page.click('#send');
    const slot = page.locator('#e_indicators_hoSoTiepNhan');
    await slot.locator('.err').waitFor();
    expect(await slot.textContent()).toContain('phải bằng');
    expect(await received.getAttribute('aria-describedby')).toContain('e_indicators_hoSoTiepNhan');
    expect(await received.getAttribute('aria-invalid')).toBe('true');
    expect(await page.textContent('#summary')).toContain('lỗi cần sửa');
    await received.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'intake-form-error.png') });

    // A figure outside the template's range: the message a JSON or .xlsx file gets (plausible-ranges.test.ts).
    const episodes = page.locator('#f_indicators_kyPhatSong');
    const typed = await episodes.inputValue();
    await episodes.fill('5.000');
    await page.click('#send');
    await page.locator('#e_indicators_kyPhatSong .err').waitFor();
    expect(await page.textContent('#e_indicators_kyPhatSong')).toContain('phải từ 0 đến 1.000 kỳ; nhận được “5.000”');
    await episodes.fill(typed);

    // Typed values survive a reload (localStorage), so a network error loses nothing.
    await page.reload();
    await page.waitForSelector('html[data-ready="1"]');
    await expect(page.locator('#f_indicators_hoSoTrucTiep').inputValue()).resolves.toBe('1');
    expect(await page.locator('#draft-note').isVisible()).toBe(true);

    const direct = Number(sample.indicators.hoSoTiepNhan) - Number(sample.indicators.hoSoTrucTuyen);
    await page.fill('#f_indicators_hoSoTrucTiep', formatInteger(direct));
    await page.click('#send');
    await page.waitForSelector('#result.ok, #result.warn, #result.err', { timeout: 30_000 });
    expect(await page.textContent('#result')).toContain('Đã tiếp nhận');
    expect(await page.locator('#e_indicators_hoSoTiepNhan .err').count()).toBe(0);
    await page.close();
  });

  it('accepts a figure far outside the earlier quarters with a warning, settled by a comment', async () => {
    // Two earlier quarters (one already sent above) give the outlier check its baseline.
    const sample = JSON.parse(await readFile(join(SAMPLE_DIR, '2021-Q1', 'VP.json'), 'utf8'));
    const twoBack = previousQuarter(previousQuarter(QUARTER));
    expect((await client.submit(Buffer.from(JSON.stringify({ ...sample, period: twoBack })), 'VP', twoBack)).status).toBe('accepted');

    const page = await openForm('VP');
    // Ten times the postal dossiers of the earlier quarters (still within the dossiers received).
    await page.fill('#f_indicators_hoSoBuuChinh', formatInteger(Number(sample.indicators.hoSoBuuChinh) * 10));
    await page.click('#send');
    await page.waitForSelector('#result.ok, #result.warn, #result.err', { timeout: 30_000 });
    expect(await page.getAttribute('#result', 'class')).toContain('warn');
    const warning = page.locator('#e_indicators_hoSoBuuChinh .warn');
    expect(await warning.textContent()).toContain('cao bất thường');
    const boxes = page.locator('textarea[data-rule^="outlier."]');
    expect(await boxes.count()).toBeGreaterThan(0);
    await warning.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'intake-form-warning.png') });

    for (let i = 0; i < (await boxes.count()); i++)
      await boxes.nth(i).fill('Số hồ sơ tăng do gộp tiếp nhận của Trung tâm Hành chính công.');
    await page.click('#send');
    await page.waitForFunction(() => document.querySelector('#result')?.textContent?.includes('Cảm ơn'), undefined, { timeout: 30_000 });
    expect(await page.getAttribute('#result', 'class')).toContain('ok');
    const status = await client.periodStatus(QUARTER);
    expect(status.submissions.find((s) => s.divisionId === 'VP')?.version).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  it('accepts the .xlsx template downloaded from the page and filled in', async () => {
    const page = await openForm('TTRA');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href$="mau.xlsx"]')]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const table = wb.worksheets.find((w) => w.name.startsWith('B1'))!;
    table.addRow([
      'Phòng Quản lý Thương mại',
      '10/05/2021-19/05/2021',
      'Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính',
      'Không có vi phạm',
    ]);
    const nar = wb.getWorksheet('Nội dung')!;
    nar.eachRow((row, n) => {
      if (n > 1 && row.getCell(1).value === 'kiemTraCchc') row.getCell(3).value = 'Ban hành Kế hoạch kiểm tra CCHC năm.';
    });
    const file = join(SHOTS, '..', 'mau-ttra.xlsx');
    await wb.xlsx.writeFile(file);

    await page.setInputFiles('#file', file);
    await page.click('#file-upload button[type=submit]');
    await page.waitForSelector('#result.ok, #result.warn, #result.err', { timeout: 30_000 });
    expect(await page.textContent('#result')).toContain('Đã tiếp nhận');
    // The receipt sits at the top of the page: reference number, time, which submission.
    await expect(page.locator('#receipt').isVisible()).resolves.toBe(true);
    expect(await page.textContent('#receipt')).toMatch(/Số tiếp nhận\s*TN-[0-9A-F]{4}-[0-9A-F]{4}[\s\S]*Lần thứ 1/);
    const status = await client.periodStatus(QUARTER);
    expect(status.submissions.map((s) => s.divisionId)).toContain('TTRA');
    await page.close();
  });

  it('refuses a tampered link and an expired one with a clear page, changing nothing', async () => {
    const page = await browser.newPage();
    const good = links.get('QLCN')!;
    const tampered = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const res = await page.goto(tampered);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('main')).toContain('Liên kết nộp báo cáo không hợp lệ');

    // An invite of a quarter long past, issued before it expired.
    const { secret, hash } = newLinkSecret();
    await new DynamoIntakeStore(runtime.env.TABLE_NAME, undefined, { orgId: 'dongnai-sct', reportType: 'cchc' }).putInvite({
      linkHash: hash,
      divisionId: 'QLCN',
      periodId: '2021-Q1',
      reason: 'open',
      createdAt: '2020-12-15T01:00:00.000Z',
      expiresAt: '2021-03-25T16:59:59.999Z',
      issuedBy: 'test',
      sentTo: ['minh.qlcn@sct-dongnai.example'],
      revoked: false,
    });
    const expired = await page.goto(`${runtime.urls.api}/nop/${secret}`);
    expect(expired?.status()).toBe(410);
    expect(await page.textContent('main')).toContain('đã hết hạn');
    await page.screenshot({ path: join(SHOTS, 'intake-link-expired.png'), fullPage: true });
    const upload = await fetch(`${runtime.urls.api}/nop/${secret}/upload`, { method: 'POST', body: '{"kind":"json"}' });
    expect(upload.status).toBe(410);
    expect((await client.periodStatus('2021-Q1')).submissions.map((s) => s.divisionId)).not.toContain('QLCN');
    await page.close();
  });

  it('shows the compiler who has submitted and sends reminders to the others', async () => {
    const page = await operatorPage(browser, runtime.signinUrl);
    await page.goto(`${runtime.urls.api}/periods/${QUARTER}/completeness`);
    await expect(page.locator('tr[data-division="TTKC"] td[data-status]').getAttribute('data-status')).resolves.toBe('on_time');
    await expect(page.locator('tr[data-division="TTKC"]').textContent()).resolves.toContain('Đã nộp đúng hạn');
    await expect(page.locator('tr[data-division="KHTC"] td[data-status]').getAttribute('data-status')).resolves.toBe('not_started');
    await page.screenshot({ path: join(SHOTS, 'intake-dashboard.png'), fullPage: true });

    await page.getByRole('button', { name: 'Gửi nhắc nhở' }).click();
    await expect(page.locator('.alert[role=status]').textContent()).resolves.toContain('Đã gửi thư nhắc cho 5 đơn vị');
    await expect(page.locator('tr[data-division="KHTC"]').textContent()).resolves.toContain('1 lần');
    const reminders = (await client.inbox()).filter((m) => m.subject.includes('Nhắc nộp số liệu'));
    expect(reminders.map((m) => m.to[0]).sort()).toEqual(
      [
        'lan.khtc@sct-dongnai.example',
        'minh.qlcn@sct-dongnai.example',
        'tam.ktnl@sct-dongnai.example',
        'hoa.qltm@sct-dongnai.example',
        'anh.ttxt@sct-dongnai.example',
      ].sort(),
    );
    await page.close();
  });
});

/**
 * Renders the final .docx with LibreOffice and reads the PDF back: what a recipient opening
 * the file sees. Needs `soffice` (or `libreoffice`) and poppler's pdftotext/pdfinfo/pdffonts.
 * Found through test/support/tools.ts; fails when they are missing; set BAOCAO_SKIP_RENDER=1 to skip deliberately.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../shared/docx/render';
import { fixtureOrganization, fixtureReport, fixtureTemplate } from '../fixtures/docx/report';
import { requireTool, skipRequested } from '../support/tools';

const run = promisify(execFile);
const SKIP = skipRequested('render');
const TIMEOUT = 120_000;

/** Resolved in beforeAll, so a missing tool fails the suite with the install advice. */
const tool = { soffice: '', pdftotext: '', pdfinfo: '', pdffonts: '' };

/** pdftotext output, NBSP folded to a space so "98,95 %" compares plainly. */
async function pdfText(pdf: string, page?: number): Promise<string> {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  const { stdout } = await run(tool.pdftotext, ['-layout', '-enc', 'UTF-8', ...range, pdf, '-']);
  return stdout.replace(/\u00a0/g, ' ').normalize('NFC');
}

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0) ?? '';

describe.skipIf(SKIP)('LibreOffice renders the final report', () => {
  let dir = '';
  let pdf = '';
  let all = '';

  beforeAll(async () => {
    for (const id of ['soffice', 'pdftotext', 'pdfinfo', 'pdffonts'] as const) tool[id] = requireTool(id);
    requireTool('fonts');

    dir = await mkdtemp(join(tmpdir(), 'baocao-render-'));
    const docx = join(dir, 'bao-cao.docx');
    await writeFile(
      docx,
      await renderReport({
        template: fixtureTemplate,
        report: fixtureReport(),
        organization: fixtureOrganization,
        mode: 'final',
        version: 2,
        number: 5,
        issuedAt: new Date('2025-01-05T02:00:00Z'),
      }),
    );
    // A private profile per run, so parallel runs never fight over ~/.config/libreoffice.
    const profile = `file:///tmp/lo-${randomBytes(8).toString('hex')}`;
    try {
      await run(tool.soffice, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx], {
        timeout: TIMEOUT - 10_000,
      });
    } finally {
      await rm(profile.slice('file://'.length), { recursive: true, force: true });
    }
    const files = await readdir(dir);
    expect(files).toContain('bao-cao.pdf');
    pdf = join(dir, 'bao-cao.pdf');
    all = await pdfText(pdf);
  }, TIMEOUT);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the national header, number and date on page 1', async () => {
    const page1 = await pdfText(pdf, 1);
    const lines = page1.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(lines.find((l) => l.includes('UBND TỈNH ĐỒNG NAI'))).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(lines.find((l) => l.includes('SỞ CÔNG THƯƠNG'))).toContain('Độc lập - Tự do - Hạnh phúc');
    // Number and place–date sit on the same line, as Decree 30 lays them out.
    expect(lines.find((l) => l.includes('Số: 05/BC-SCT'))).toContain('Đồng Nai, ngày 05 tháng 01 năm 2025');
    expect(lines).toContain('BÁO CÁO');
    expect(lines).toContain('Kết quả thực hiện công tác cải cách hành chính năm 2021');
  });

  it('prints figures the Vietnamese way', () => {
    expect(all).toContain('16.075');
    expect(all).toContain('15.906');
    expect(all).toContain('98,95 %');
    expect(all).toContain('94,27 %');
    expect(all).not.toContain('98,94');
  });

  it('ends with Nơi nhận and the signature block', () => {
    expect(all).toContain('Nơi nhận:');
    expect(all).toMatch(/- Lưu: VT, VP \(Khoa\)\./);
    expect(all).toContain('KT. GIÁM ĐỐC');
    expect(all).toContain('PHÓ GIÁM ĐỐC');
    expect(all).toContain('Nguyễn Trí Phương');
    // Nơi nhận is level with the signer's title.
    const line = all.split('\n').find((l) => l.includes('Nơi nhận:'))!;
    expect(line).toContain('KT. GIÁM ĐỐC');
  });

  it('numbers pages from 2, centred at the top, and not page 1', async () => {
    const page1 = await pdfText(pdf, 1);
    expect(firstLine(page1)).not.toMatch(/^\d+$/);
    expect(firstLine(page1)).toContain('UBND TỈNH ĐỒNG NAI');
    const page2 = await pdfText(pdf, 2);
    expect(firstLine(page2)).toBe('2');
    const raw = page2.split('\n').find((l) => l.trim() === '2')!;
    // Centred: the number starts well inside the line, not at the left margin.
    expect(raw.indexOf('2')).toBeGreaterThan(20);
  });

  it('uses A4 portrait, with one landscape page for the wide table', async () => {
    const { stdout } = await run(tool.pdfinfo, ['-f', '1', '-l', '99', pdf]);
    const sizes = [...stdout.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    const portrait = sizes.filter(([w, h]) => Math.abs(w - 595.3) < 1 && Math.abs(h - 841.9) < 1);
    const landscape = sizes.filter(([w, h]) => Math.abs(w - 841.9) < 1 && Math.abs(h - 595.3) < 1);
    expect(portrait.length + landscape.length).toBe(sizes.length);
    expect(landscape.length).toBe(1);
    const wide = await pdfText(pdf, sizes.findIndex(([w]) => w > 800) + 1);
    expect(wide).toContain('Số văn bản điện tử');
  });

  it('embeds only Times New Roman or its metric twin, so no theme font leaked', async () => {
    const { stdout } = await run(tool.pdffonts, [pdf]);
    const fonts = stdout
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[0])
      .filter(Boolean)
      .map((f) => f.replace(/^[A-Z]{6}\+/, ''));
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/^(TimesNewRoman|Times|LiberationSerif)/);
  });
});

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
import { DEPARTMENTS, departmentReportInput } from '../support/departments';
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

/** One document to open: how it is rendered and what a recipient must see in it. */
interface RenderCase {
  name: string;
  render: () => Promise<Buffer>;
  parentBody: string;
  agency: string;
  number: string;
  placeDate: string;
  subject: string;
  figures: string[];
  notFigures: string[];
  archive: RegExp;
  /** Title line level with "Nơi nhận:", then the rest of the signature block. */
  signature: string[];
  wideTable: string;
}

const ISSUED = new Date('2025-01-05T02:00:00Z');
const stp = DEPARTMENTS[1];

const CASES: RenderCase[] = [
  {
    name: 'Sở Công Thương, CCHC (fixture)',
    render: () =>
      renderReport({
        template: fixtureTemplate,
        report: fixtureReport(),
        organization: fixtureOrganization,
        mode: 'final',
        version: 2,
        number: 5,
        issuedAt: ISSUED,
      }),
    parentBody: 'UBND TỈNH ĐỒNG NAI',
    agency: 'SỞ CÔNG THƯƠNG',
    number: 'Số: 05/BC-SCT',
    placeDate: 'Đồng Nai, ngày 05 tháng 01 năm 2025',
    subject: 'Kết quả thực hiện công tác cải cách hành chính năm 2021',
    figures: ['16.075', '15.906', '98,95 %', '94,27 %'],
    notFigures: ['98,94'],
    archive: /- Lưu: VT, VP \(Khoa\)\./,
    signature: ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', 'Nguyễn Trí Phương'],
    wideTable: 'Số văn bản điện tử',
  },
  {
    name: 'Sở Tư pháp, KSTT quý I/2021 (form 06/VPCP/KSTT)',
    render: () => renderReport(departmentReportInput(stp, { issuedAt: ISSUED })),
    parentBody: 'UBND TỈNH BÌNH PHƯỚC',
    agency: 'SỞ TƯ PHÁP',
    number: 'Số: 05/BC-STP',
    placeDate: 'Bình Phước, ngày 05 tháng 01 năm 2025',
    subject: stp.expected.subject,
    figures: ['1.256', '1.128', '52,71 %', '0,35 %'],
    notFigures: ['Đồng Nai', 'BC-SCT'],
    archive: /- Lưu: VT, VP\./,
    signature: ['GIÁM ĐỐC', 'Trịnh Quang Minh'],
    wideTable: 'Số hồ sơ đang giải quyết',
  },
];

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0) ?? '';

describe.skipIf(SKIP).each(CASES)('LibreOffice renders the final report of $name', (c) => {
  let dir = '';
  let pdf = '';
  let all = '';

  beforeAll(async () => {
    for (const id of ['soffice', 'pdftotext', 'pdfinfo', 'pdffonts'] as const) tool[id] = requireTool(id);
    requireTool('fonts');

    dir = await mkdtemp(join(tmpdir(), 'baocao-render-'));
    const docx = join(dir, 'bao-cao.docx');
    await writeFile(docx, await c.render());
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
    expect(lines.find((l) => l.includes(c.parentBody))).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(lines.find((l) => l.includes(c.agency))).toContain('Độc lập - Tự do - Hạnh phúc');
    // Number and place–date sit on the same line, as Decree 30 lays them out.
    expect(lines.find((l) => l.includes(c.number))).toContain(c.placeDate);
    expect(lines).toContain('BÁO CÁO');
    // A long subject may wrap: compare the title block's words.
    expect(lines.join(' ')).toContain(c.subject);
  });

  it('prints figures the Vietnamese way', () => {
    for (const f of c.figures) expect(all).toContain(f);
    for (const f of c.notFigures) expect(all).not.toContain(f);
  });

  it('ends with Nơi nhận and the signature block', () => {
    expect(all).toContain('Nơi nhận:');
    expect(all).toMatch(c.archive);
    for (const l of c.signature) expect(all).toContain(l);
    // Nơi nhận is level with the signer's title.
    const line = all.split('\n').find((l) => l.includes('Nơi nhận:'))!;
    expect(line).toContain(c.signature[0]);
  });

  it('numbers pages from 2, centred at the top, and not page 1', async () => {
    const page1 = await pdfText(pdf, 1);
    expect(firstLine(page1)).not.toMatch(/^\d+$/);
    expect(firstLine(page1)).toContain(c.parentBody);
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
    expect(wide).toContain(c.wideTable);
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

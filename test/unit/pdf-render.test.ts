/**
 * The PDF rendition of a small hand-written model, read back with poppler: the national header,
 * a table with column and row spans, a landscape table whose header rows repeat on the next page,
 * page numbers from page 2, the draft mark and footer, the signature box, every Vietnamese letter,
 * and the page-break rules (a heading never ends a page, no paragraph leaves a single line behind).
 * Poppler is needed (test/support/tools.ts); BAOCAO_SKIP_RENDER=1 skips deliberately.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel, Placed } from '../../shared/document/model';
import { type RenderedPdf, renderPdf } from '../../shared/pdf/render';
import { DIACRITICS_SENTENCE, fixtureModel, WIDE_ROWS } from '../fixtures/pdf/model';
import { normalise, type PdfWord, pageCount, pageLines, pageText, pageWords, pdfFonts, pdfInfo } from '../support/pdf-text';
import { requireTool, skipRequested } from '../support/tools';

const SKIP = skipRequested('render');
const MM = 72 / 25.4;

const word = (words: PdfWord[], text: string) => words.filter((w) => w.text === text);
const centre = (w: PdfWord) => (w.xMin + w.xMax) / 2;

describe.skipIf(SKIP)('renderPdf on a fixture model', () => {
  let dir = '';
  let final: RenderedPdf;
  let finalPath = '';
  let draftPath = '';

  async function write(name: string, pdf: Buffer): Promise<string> {
    const p = join(dir, name);
    await writeFile(p, pdf);
    return p;
  }

  beforeAll(async () => {
    for (const id of ['pdftotext', 'pdfinfo', 'pdffonts'] as const) requireTool(id);
    dir = await mkdtemp(join(tmpdir(), 'baocao-pdf-unit-'));
    final = await renderPdf(fixtureModel('final'));
    finalPath = await write('final.pdf', final.pdf);
    draftPath = await write('draft.pdf', (await renderPdf(fixtureModel('draft'))).pdf);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the two-column national header, number and date line on page 1', async () => {
    const lines = await pageLines(finalPath, 1);
    expect(lines.slice(0, 3)).toEqual([
      'UBND TỈNH ĐỒNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'SỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc',
      'Số: 01/BC-SCT Đồng Nai, ngày 20 tháng 12 năm 2021',
    ]);
    expect(lines).toContain('BÁO CÁO');
    expect(lines).toContain('Kính gửi: Ủy ban nhân dân tỉnh.');
  });

  it('numbers pages from page 2, at the top centre of the text, and puts the wide table on landscape pages', async () => {
    expect(final.pageCount).toBe(await pageCount(finalPath));
    expect(final.pageCount).toBe(4);
    for (let p = 1; p <= final.pageCount; p++) {
      const { width, height, words } = await pageWords(finalPath, p);
      const landscape = p === 2 || p === 3;
      expect(width > height, `trang ${p}`).toBe(landscape);
      const number = word(words, String(p)).find((w) => w.yMax < 20 * MM);
      if (p === 1) {
        expect(number).toBeUndefined();
        continue;
      }
      expect(number, `số trang ${p}`).toBeDefined();
      const textCentre = 30 * MM + (width - 45 * MM) / 2;
      expect(Math.abs(centre(number as PdfWord) - textCentre)).toBeLessThan(1);
      expect(Math.abs((number as PdfWord).yMin - 10 * MM)).toBeLessThan(2);
    }
  });

  it('spans a group header over its columns and a merged name and number over their rows', async () => {
    const { words } = await pageWords(finalPath, 1);
    const [tiep] = word(words, 'Tiếp');
    const group = word(words, 'hồ')
      .filter((w) => w.yMax <= tiep.yMin)
      .sort((a, b) => b.yMin - a.yMin)[0];
    const [dung] = word(words, 'Đúng');
    const receivedCentre = (tiep.xMin + word(words, 'nhận')[0].xMax) / 2;
    const onTimeCentre = (dung.xMin + word(words, 'hạn').find((w) => w.yMin === dung.yMin)!.xMax) / 2;
    // "Số hồ sơ" sits centred over both of its columns.
    expect(Math.abs(centre(group) - (receivedCentre + onTimeCentre) / 2)).toBeLessThan(2);
    expect(group.yMax).toBeLessThan(tiep.yMin);
    // The merged STT "1" is centred across its two rows; the merged name stays at the top.
    const [first] = word(words, '1.204');
    const [second] = word(words, '96');
    const stt = word(words, '1').find((w) => w.xMax < 30 * MM + 40);
    expect(stt).toBeDefined();
    expect((stt as PdfWord).yMin).toBeGreaterThan(first.yMin + 3);
    expect((stt as PdfWord).yMin).toBeLessThan(second.yMin - 3);
    expect(word(words, 'Điện')[0].yMin).toBeCloseTo(first.yMin, 0);
    expect(word(words, 'Điện')).toHaveLength(1);
  });

  it('repeats the header rows of a table that crosses a page, and keeps its lead-in with it', async () => {
    const page2 = await pageLines(finalPath, 2);
    const page3 = await pageLines(finalPath, 3);
    expect(page2[0]).toBe('Kết quả của từng đơn vị trong năm:');
    expect(page2[1]).toMatch(/^STT Đơn vị Quý I Quý II Quý III Quý IV Cả năm Tỷ lệ Ghi chú$/);
    expect(page3[0]).toBe(page2[1]);
    expect(page3[1]).toBe('1 2 3 4 5 6 7 8 9');
    const rowsOn = (lines: string[]) => lines.filter((l) => /^\d+ Phòng Quản lý số \d+/.test(l)).length;
    expect(rowsOn(page2) + rowsOn(page3)).toBe(WIDE_ROWS);
    expect(page3.at(-1)).toMatch(new RegExp(`^${WIDE_ROWS} Phòng Quản lý số ${WIDE_ROWS}\\b`));
  });

  it('gives every Vietnamese letter back exactly as the model wrote it', async () => {
    const raw = await pageText(finalPath, 1, 'raw');
    expect(normalise(raw)).toContain(DIACRITICS_SENTENCE);
    for (const f of await pdfFonts(finalPath)) expect(f).toMatchObject({ embedded: true, subset: true, unicode: true });
  });

  it('carries the title, author, subject and the custom properties of the .docx', async () => {
    expect(await pdfInfo(finalPath)).toMatchObject({
      Title: 'Báo cáo kết quả thực hiện công tác cải cách hành chính năm 2021',
      Author: 'Sở Công Thương tỉnh Đồng Nai',
      Subject: 'Số: 01/BC-SCT',
      'baocao.period': '2021',
    });
  });

  it('renders the same bytes twice for the same model and creation date', async () => {
    const createdAt = new Date('2021-12-20T02:00:00Z');
    const [a, b] = [await renderPdf(fixtureModel(), { createdAt }), await renderPdf(fixtureModel(), { createdAt })];
    expect(a.pdf.equals(b.pdf)).toBe(true);
    const c = await renderPdf(fixtureModel(), { createdAt: new Date('2021-12-21T02:00:00Z') });
    expect(c.pdf.equals(a.pdf)).toBe(false);
  });

  it('normalises decomposed accents and drops control characters before drawing', async () => {
    const model = fixtureModel();
    model.body = [
      { block: { kind: 'paragraph', role: 'body', runs: [{ text: 'Quyết định số 12\u0007/QĐ-SCT'.normalize('NFD') }] }, landscape: false },
    ];
    const path = await write('nfd.pdf', (await renderPdf(model)).pdf);
    expect(await pageText(path, 1, 'raw')).toContain('Quyết định số 12/QĐ-SCT');
  });

  it('places the signature box between the signer title and name, right of Nơi nhận', async () => {
    const box = final.signatureBox;
    expect(box.page).toBe(final.pageCount - 1);
    const { height, words } = await pageWords(finalPath, box.page + 1);
    const title = word(words, 'PHÓ')[0];
    const name = word(words, 'Nguyễn')[0];
    // pdftotext measures from the top; the box from the bottom.
    expect(height - title.yMax).toBeGreaterThanOrEqual(box.y + box.height - 1);
    expect(height - name.yMin).toBeLessThanOrEqual(box.y + 1);
    expect(box.height).toBeCloseTo(3.5 * (567 / 20), 1);
    expect(box.x).toBeCloseTo((30 + 75) * MM, 0);
    expect(box.x + box.width).toBeCloseTo((210 - 15) * MM, 0);
    expect(word(words, 'nhận:')[0].xMax).toBeLessThan(box.x);
  });

  it('marks a draft: DỰ THẢO and the gap note on page 1, the footer line on every page', async () => {
    const first = await pageLines(draftPath, 1);
    expect(first[0]).toBe('DỰ THẢO Dự thảo lần 2');
    expect(first[1]).toBe('Lưu ý: còn thiếu số liệu của 1 đơn vị.');
    expect(first).toContain('Số: /BC-SCT Đồng Nai, ngày tháng năm 2021');
    for (let p = 1; p <= (await pageCount(draftPath)); p++) {
      expect((await pageLines(draftPath, p)).at(-1), `trang ${p}`).toBe('Dự thảo lần 2 - không phải văn bản ban hành');
    }
  });

  it('never ends a page on a heading, and leaves no single line of a paragraph at a page foot or head', async () => {
    const PROBE = Array.from({ length: 130 }, () => 'xa').join(' '); // five lines
    const FILLERS = 21;
    // Short paragraphs, then 6.9 pt spacers one by one: the heading and the probe slide down page 1
    // in small steps; without the heading, the probe alone (no single first line at the foot).
    const cases = [
      ...Array.from({ length: 15 }, (_, spacers) => ({ spacers, heading: true })),
      ...Array.from({ length: 8 }, (_, k) => ({ spacers: 2 * k, heading: false })),
    ];
    for (const { spacers, heading } of cases) {
      const fillers = `${FILLERS} đoạn + ${spacers} dòng trống${heading ? ' + đề mục' : ''}`;
      const body: Placed[] = Array.from({ length: FILLERS }, (_, k) => ({
        block: { kind: 'paragraph', role: 'body', runs: [{ text: `Đoạn văn số ${k + 1}.` }] },
        landscape: false,
      }));
      for (let k = 0; k < spacers; k++) body.push({ block: { kind: 'paragraph', role: 'spacer', runs: [] }, landscape: false });
      if (heading) {
        body.push({
          block: { kind: 'paragraph', role: 'heading', runs: [{ text: 'II. ĐỀ MỤC KIỂM TRA', bold: true }], keepWithNext: true },
          landscape: false,
        });
      }
      body.push({ block: { kind: 'paragraph', role: 'body', runs: [{ text: PROBE }] }, landscape: false });
      const model: DocumentModel = { ...fixtureModel(), body };
      const path = await write(`keep-${spacers}-${heading}.pdf`, (await renderPdf(model)).pdf);
      const pages = await pageCount(path);
      const probeLines: number[] = [];
      for (let p = 1; p <= pages; p++) {
        const lines = await pageLines(path, p);
        expect(lines.at(-1), `${fillers}, trang ${p}`).not.toBe('II. ĐỀ MỤC KIỂM TRA');
        const n = lines.filter((l) => /^(xa ?)+$/.test(l)).length;
        if (n > 0) probeLines.push(n);
      }
      expect(probeLines.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
      for (const n of probeLines) expect(n, `${fillers}: ${probeLines.join('+')}`).toBeGreaterThanOrEqual(2);
    }
  }, 60_000);

  it('breaks a table row taller than a page across pages, losing no text and staying inside the margins', async () => {
    const long = Array.from({ length: 260 }, (_, k) => `Câu số ${k + 1} của ghi chú dài.`).join(' ');
    const model = fixtureModel();
    model.body = [
      {
        landscape: false,
        block: {
          kind: 'table',
          id: 'dai',
          label: 'Bảng có ô rất dài',
          columnWidths: [624, 2000, 6731],
          fontSizePt: 12,
          rows: [
            { header: true, cells: ['STT', 'Đơn vị', 'Ghi chú'].map((text) => ({ text, align: 'center' as const, bold: true })) },
            {
              keepTogether: true,
              cells: [
                { text: '1', align: 'center' },
                { text: 'Phòng Kế hoạch', align: 'left' },
                { text: long, align: 'left' },
              ],
            },
          ],
        },
      },
    ];
    const path = await write('long-row.pdf', (await renderPdf(model)).pdf);
    const pages = await pageCount(path);
    expect(pages).toBeGreaterThanOrEqual(3);
    let text = '';
    for (let p = 1; p <= pages; p++) {
      const { height, words } = await pageWords(path, p);
      const low = words.filter((w) => w.yMax > height - 20 * MM + 1);
      expect(
        low.map((w) => w.text),
        `trang ${p}`,
      ).toEqual([]);
      // Each page after the first opens with its number and the repeated header row.
      const raw = (await pageText(path, p, 'raw')).replace(/\s+/g, '');
      text += p === 1 ? raw : raw.replace(new RegExp(`^${p}STTĐơnvịGhichú`), '');
      if (p > 1 && p < pages) expect((await pageLines(path, p))[0], `trang ${p}`).toBe('STT Đơn vị Ghi chú');
    }
    expect(text).toContain(long.replace(/\s+/g, ''));
  });
});

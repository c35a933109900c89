/**
 * The PDF original prints the same pages as the .docx working copy. One document model (the
 * sample annual report `npm run demo` releases, and the small fixture with a landscape table)
 * is rendered both ways; LibreOffice prints the .docx; the two PDFs must have the same number
 * of pages and each page must begin with the same line. The PDF embeds only its own subset
 * fonts, and every paragraph of the model comes back from pdftotext as the model wrote it (no
 * missing glyph, no decomposed accent).
 * Needs soffice and poppler (test/support/tools.ts); BAOCAO_SKIP_RENDER=1 skips deliberately.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../../shared/document/build';
import type { DocumentModel } from '../../shared/document/model';
import { renderDocx } from '../../shared/docx/render';
import { renderPdf } from '../../shared/pdf/render';
import { fixtureModel } from '../fixtures/pdf/model';
import { DEPARTMENTS, departmentReportInput } from '../support/departments';
import { normalise, pageCount, pageLines, pageText, pageWords, pdfFonts } from '../support/pdf-text';
import { sampleAnnualModel } from '../support/sample-report';
import { requireTool, skipRequested } from '../support/tools';

const run = promisify(execFile);
const SKIP = skipRequested('render');
const TIMEOUT = 180_000;

interface Rendered {
  ours: string;
  libreoffice: string;
  model: DocumentModel;
}

async function renderBoth(dir: string, name: string, model: DocumentModel): Promise<Rendered> {
  const docx = join(dir, `${name}.docx`);
  const ours = join(dir, `${name}-pdfkit.pdf`);
  await writeFile(docx, await renderDocx(model));
  await writeFile(ours, (await renderPdf(model)).pdf);
  const profile = join(tmpdir(), `lo-${randomBytes(8).toString('hex')}`);
  try {
    await run(
      requireTool('soffice'),
      [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx],
      {
        timeout: TIMEOUT - 30_000,
      },
    );
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  return { ours, libreoffice: join(dir, `${name}.pdf`), model };
}

/** First line of every page of both PDFs, side by side, for the ones that differ. */
async function firstLineDifferences(r: Rendered): Promise<string[]> {
  const pages = Math.min(await pageCount(r.ours), await pageCount(r.libreoffice));
  const out: string[] = [];
  for (let p = 1; p <= pages; p++) {
    const [a] = await pageLines(r.libreoffice, p);
    const [b] = await pageLines(r.ours, p);
    // A table's header cells on one printed line can come out in another order when their tops
    // differ by a fraction of a point: the same words count as the same line.
    const words = (s = '') => s.split(' ').sort().join(' ');
    if (a !== b && words(a) !== words(b)) out.push(`trang ${p}: LibreOffice "${a}" ≠ PDF "${b}"`);
  }
  return out;
}

/** The model's paragraphs, whitespace removed (line ends fall differently from spaces). */
function paragraphTexts(model: DocumentModel): string[] {
  return model.body.flatMap(({ block }) =>
    block.kind === 'paragraph' && block.runs.length > 0
      ? [
          block.runs
            .map((r) => r.text)
            .join('')
            .replace(/\s+/g, ''),
        ]
      : [],
  );
}

/** The whole PDF's text in drawing order, page numbers left out, whitespace removed. */
async function extractedText(pdf: string): Promise<string> {
  const pages = await pageCount(pdf);
  let text = '';
  for (let p = 1; p <= pages; p++) {
    const lines = (await pageText(pdf, p, 'raw')).split('\n');
    if (p > 1 && /^\s*\d+\s*$/.test(lines[0] ?? '')) lines.shift();
    text += lines.join('');
  }
  return text.replace(/\u00a0/g, ' ').replace(/\s+/g, '');
}

describe.skipIf(SKIP)('the PDF rendition against the .docx printed by LibreOffice', () => {
  let dir = '';
  let sample: Rendered;
  let fixture: Rendered;
  let draft: Rendered;
  let annexed: Rendered;

  beforeAll(async () => {
    for (const id of ['soffice', 'pdftotext', 'pdfinfo', 'pdffonts', 'fonts'] as const) requireTool(id);
    dir = await mkdtemp(join(tmpdir(), 'baocao-pdf-pages-'));
    sample = await renderBoth(dir, 'bao-cao-nam', sampleAnnualModel());
    fixture = await renderBoth(dir, 'fixture', fixtureModel());
    draft = await renderBoth(dir, 'du-thao', sampleAnnualModel('draft'));
    const stp = DEPARTMENTS[1];
    annexed = await renderBoth(dir, 'kstt', buildDocument(departmentReportInput(stp)));
  }, TIMEOUT);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the sample annual report on as many pages as LibreOffice prints the .docx', async () => {
    const [ours, lo] = [await pageCount(sample.ours), await pageCount(sample.libreoffice)];
    expect(lo).toBeGreaterThan(15);
    expect(ours).toBe(lo);
  });

  it('begins every page of the sample report with the line LibreOffice begins it with', async () => {
    expect(await firstLineDifferences(sample)).toEqual([]);
  });

  it('prints most pages of the sample line for line as LibreOffice does (the rest differ by a wrapped word)', async () => {
    const pages = await pageCount(sample.ours);
    const words = (lines: string[]) => lines.map((l) => l.split(' ').sort().join(' '));
    let same = 0;
    for (let p = 1; p <= pages; p++) {
      if (words(await pageLines(sample.ours, p)).join('\n') === words(await pageLines(sample.libreoffice, p)).join('\n')) same++;
    }
    // Glyph advances rounded differently by LibreOffice move a word to the next line now and then.
    expect(same / pages).toBeGreaterThanOrEqual(0.8);
  });

  it('prints the draft (DỰ THẢO mark, footer on every page) on the same pages, each beginning alike', async () => {
    expect(await pageCount(draft.ours)).toBe(await pageCount(draft.libreoffice));
    expect(await firstLineDifferences(draft)).toEqual([]);
  });

  it('prints the fixture (landscape table crossing a page) on the same pages, each beginning alike', async () => {
    expect(await pageCount(fixture.ours)).toBe(await pageCount(fixture.libreoffice));
    expect(await firstLineDifferences(fixture)).toEqual([]);
  });

  it('prints an appendix (the second department’s wide table) after the signature, on a landscape page of its own, as LibreOffice does', async () => {
    const pages = await pageCount(annexed.ours);
    expect(pages).toBe(await pageCount(annexed.libreoffice));
    // Not compared line by line: LibreOffice leaves the headings "II." and "1." at the foot of page
    // 1 of this report (their keep-with-next notwithstanding), where the PDF carries them over.
    for (const pdf of [annexed.ours, annexed.libreoffice]) {
      const last = normalise(await pageText(pdf, pages));
      expect(last).toContain('Phụ lục I');
      expect(last).toContain('(Kèm theo Báo cáo số 05/BC-STP ngày 05/01/2025 của Sở Tư pháp)');
      expect(last).toContain('Tổng cộng');
      // The signature block is on the page before: the appendix follows the signed letter.
      expect(normalise(await pageText(pdf, pages - 1))).toContain('Trịnh Quang Minh');
      const { width, height } = await pageWords(pdf, pages);
      expect(width).toBeGreaterThan(height);
    }
  });

  it('embeds only subsets of its own Liberation Serif faces, with a Unicode map', async () => {
    const fonts = await pdfFonts(sample.ours);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    for (const f of fonts) {
      expect(f, f.name).toMatchObject({ embedded: true, subset: true, unicode: true });
      expect(f.name).toMatch(/^[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?$/);
    }
  });

  it('gives back every paragraph of the model exactly (NFC, no missing glyph), in order', async () => {
    const text = await extractedText(sample.ours);
    let from = 0;
    const missing: string[] = [];
    for (const p of paragraphTexts(sample.model)) {
      const at = text.indexOf(p, from);
      if (at < 0) missing.push(p.slice(0, 80));
      else from = at + p.length;
    }
    expect(missing).toEqual([]);
    expect(text).toBe(text.normalize('NFC'));
  });
});

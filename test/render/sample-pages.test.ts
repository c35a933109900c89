/**
 * The sample annual report (what `npm run demo` releases) through LibreOffice, page by page: what
 * a leader leafing through the printed report sees. No page but the last is more than about half
 * empty, a landscape page is never spent on a short table, and no page ends on a heading or a
 * lead-in (a line ending in ":"), which must stay with what they introduce.
 * Needs soffice and poppler (test/support/tools.ts); BAOCAO_SKIP_RENDER=1 skips deliberately.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAnnualDocx } from '../support/sample-report';
import { requireTool, skipRequested } from '../support/tools';

const run = promisify(execFile);
const SKIP = skipRequested('render');
const TIMEOUT = 180_000;
/** Top and bottom page margins (2 cm) in points, as shared/docx/styles.ts sets them. */
const MARGIN_PT = 56.7;

interface Page {
  number: number;
  landscape: boolean;
  /** Share of the text area below the last line printed, 0…1. */
  empty: number;
  /** Non-empty lines, trimmed, page number left out. */
  lines: string[];
}

const tool = { soffice: '', pdftotext: '', pdfinfo: '' };

async function readPages(pdf: string): Promise<Page[]> {
  const { stdout: bbox } = await run(tool.pdftotext, ['-bbox', '-enc', 'UTF-8', pdf, '-'], { maxBuffer: 64 << 20 });
  const pages: Page[] = [];
  for (const [k, m] of [...bbox.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].entries()) {
    const [w, h, body] = [Number(m[1]), Number(m[2]), m[3]];
    const bottoms = [...body.matchAll(/yMax="([\d.]+)"/g)].map((x) => Number(x[1]));
    const last = bottoms.length ? Math.max(...bottoms) : MARGIN_PT;
    const { stdout } = await run(tool.pdftotext, ['-layout', '-enc', 'UTF-8', '-f', String(k + 1), '-l', String(k + 1), pdf, '-']);
    const lines = stdout
      .replace(/\u00a0/g, ' ')
      .normalize('NFC')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0 && !/^\d+$/.test(l));
    pages.push({ number: k + 1, landscape: w > h, empty: Math.max(0, 1 - (last - MARGIN_PT) / (h - 2 * MARGIN_PT)), lines });
  }
  return pages;
}

describe.skipIf(SKIP)('the sample annual report, page by page', () => {
  let dir = '';
  let pages: Page[] = [];

  beforeAll(async () => {
    for (const id of ['soffice', 'pdftotext', 'pdfinfo'] as const) tool[id] = requireTool(id);
    requireTool('fonts');
    dir = await mkdtemp(join(tmpdir(), 'baocao-pages-'));
    const docx = join(dir, 'bao-cao-nam.docx');
    await writeFile(docx, await sampleAnnualDocx());
    const profile = `file:///tmp/lo-${randomBytes(8).toString('hex')}`;
    try {
      await run(tool.soffice, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx], {
        timeout: TIMEOUT - 20_000,
      });
    } finally {
      await rm(profile.slice('file://'.length), { recursive: true, force: true });
    }
    pages = await readPages(join(dir, 'bao-cao-nam.pdf'));
  }, TIMEOUT);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('takes about as many pages as the seed (20–21 pages of text at 13 pt)', () => {
    expect(pages.length).toBeGreaterThanOrEqual(19);
    expect(pages.length).toBeLessThanOrEqual(21);
  });

  it('leaves no page but the last more than about half empty', () => {
    const hollow = pages.slice(0, -1).filter((p) => p.empty > 0.45);
    expect(hollow.map((p) => `trang ${p.number}: trống ${Math.round(p.empty * 100)}%`)).toEqual([]);
  });

  it('spends no landscape page on a short table', () => {
    const short = pages.filter((p) => p.landscape && p.empty > 0.45);
    expect(short.map((p) => p.number)).toEqual([]);
  });

  it('ends no page on a heading or a lead-in', () => {
    const heading = /^(?:[IVX]+|\d+(?:\.\d+)*)\.\s+\S|^[a-zđ]\)\s+\S/u;
    const bad = pages.slice(0, -1).flatMap((p) => {
      const last = p.lines[p.lines.length - 1] ?? '';
      // A numbered line that does not end a sentence is a heading ("2.1. Công tác …"), not run-in text.
      const isHeading = heading.test(last) && last.length < 120 && !/[.;]$/.test(last);
      return /:$/.test(last) || isHeading ? [`trang ${p.number}: "${last}"`] : [];
    });
    expect(bad).toEqual([]);
  });
});

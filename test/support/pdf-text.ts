/**
 * Reading a PDF back with poppler, as a reader's tools do: text per page (pdftotext), the fonts
 * (pdffonts). Shared by the PDF rendition's tests.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireTool } from './tools';

const run = promisify(execFile);

/** Whitespace collapsed, no-break spaces as spaces, NFC: what two renderings of one line share. */
export const normalise = (s: string) =>
  s
    .replace(/\u00a0/g, ' ')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();

export async function pageCount(pdf: string): Promise<number> {
  const { stdout } = await run(requireTool('pdfinfo'), [pdf]);
  const m = /^Pages:\s+(\d+)/m.exec(stdout);
  if (!m) throw new Error(`pdfinfo gave no page count for ${pdf}`);
  return Number(m[1]);
}

/** The text of one page (1-based) as poppler extracts it, not normalised; `layout` keeps columns side by side as printed. */
export async function pageText(pdf: string, page: number, mode: 'layout' | 'raw' = 'layout'): Promise<string> {
  const { stdout } = await run(requireTool('pdftotext'), [`-${mode}`, '-enc', 'UTF-8', '-f', String(page), '-l', String(page), pdf, '-'], {
    maxBuffer: 64 << 20,
  });
  return stdout;
}

/** Non-empty lines of a page, trimmed, with the page number line (digits alone) left out. */
export async function pageLines(pdf: string, page: number): Promise<string[]> {
  return (await pageText(pdf, page))
    .split('\n')
    .map((l) => normalise(l))
    .filter((l) => l.length > 0 && !/^\d+$/.test(l));
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

export async function pdfFonts(pdf: string): Promise<PdfFont[]> {
  const { stdout } = await run(requireTool('pdffonts'), [pdf]);
  return stdout
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      // name, type (may hold spaces), encoding, emb, sub, uni, object, generation
      const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(l);
      if (!m) throw new Error(`unexpected pdffonts line: ${l}`);
      return { name: m[1], type: m[2], embedded: m[4] === 'yes', subset: m[5] === 'yes', unicode: m[6] === 'yes' };
    });
}

export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words of one page with their boxes (points, origin at the top-left, as pdftotext gives them) and the page size. */
export async function pageWords(pdf: string, page: number): Promise<{ width: number; height: number; words: PdfWord[] }> {
  const { stdout } = await run(requireTool('pdftotext'), ['-bbox', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), pdf, '-'], {
    maxBuffer: 64 << 20,
  });
  const size = /<page width="([\d.]+)" height="([\d.]+)">/.exec(stdout);
  if (!size) throw new Error(`no page ${page} in ${pdf}`);
  const words = [...stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5]
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"'),
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }));
  return { width: Number(size[1]), height: Number(size[2]), words };
}

/** The document information dictionary as pdfinfo shows it, custom entries included. */
export async function pdfInfo(pdf: string): Promise<Record<string, string>> {
  const { stdout } = await run(requireTool('pdfinfo'), ['-custom', pdf]);
  const entries = stdout.split('\n').flatMap((l) => {
    const m = /^([^:]+):\s+(.*)$/.exec(l);
    return m ? [[m[1], m[2]] as const] : [];
  });
  return Object.fromEntries(entries);
}

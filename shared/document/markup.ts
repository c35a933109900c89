/** Text → runs: the minimal markup divisions can type, resolved once for every rendition. */
import { cleanText } from '../format/vi';
import type { Run } from './model';

export interface Span {
  text: string;
  bold: boolean;
  italics: boolean;
}

/**
 * The minimal markup divisions can type (docs/submission.md): **bold**, *italic*, ***both***.
 * A lone "*" (as in "*) Về kết quả …") stays as typed; web addresses lose the "<…>" a paste adds.
 */
export function markupSpans(text: string): Span[] {
  const plain = text.replace(/<((?:https?:\/\/|www\.)[^<>\s]+)>/g, '$1');
  const spans: Span[] = [];
  const re = /(\*{1,3})(?=\S)([^*]+?)(?<=\S)\1(?!\*)/g;
  let at = 0;
  for (const m of plain.matchAll(re)) {
    if (m.index > at) spans.push({ text: plain.slice(at, m.index), bold: false, italics: false });
    const n = m[1].length;
    spans.push({ text: m[2], bold: n >= 2, italics: n !== 2 });
    at = m.index + m[0].length;
  }
  if (at < plain.length) spans.push({ text: plain.slice(at), bold: false, italics: false });
  return spans.length ? spans : [{ text: '', bold: false, italics: false }];
}

/** Markup resolved into model runs; `text` is already clean (cleanText), only the emphasis a run has is set. */
export function markupRuns(text: string, italic = false): Run[] {
  return markupSpans(text).map((s) => {
    const r: Run = { text: s.text };
    if (s.bold) r.bold = true;
    if (s.italics || italic) r.italic = true;
    return r;
  });
}

/** One run without markup. */
export function plainRuns(text: string, italic = false): Run[] {
  return [italic ? { text: cleanText(text), italic: true } : { text: cleanText(text) }];
}

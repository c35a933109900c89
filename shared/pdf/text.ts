/**
 * Text on the page: measuring with the embedded fonts, breaking a paragraph into lines the way a
 * word processor does (greedy, at spaces and after a hyphen or slash before a letter), and
 * drawing a line left, centred, right or justified.
 *
 * Justification is done here, not by pdfkit's `align: 'justify'`, because line breaking must be
 * ours (runs of different weight on one line, first-line indent, widow control need the lines
 * before anything is drawn).
 */
import type { Align } from '../document/model';
import { type TextStyle, TextWriter } from './emit';
import { faceOf, fontPaths } from './fonts';

/** Liberation Serif's vertical metrics (hhea, 2048 units per em), the same as Times New Roman's. */
const UNITS = 2048;
export const ASCENT = 1825 / UNITS;
export const DESCENT = 443 / UNITS;
export const LINE_GAP = 87 / UNITS;
/** Single line spacing as Word and LibreOffice compute it for this font: 1.15 × size. */
export const lineHeightOf = (size: number) => size * (ASCENT + DESCENT + LINE_GAP);

export type { TextStyle } from './emit';

export const styleKey = (s: TextStyle) => `${s.face}/${s.size}/${s.color ?? ''}`;

/** A stretch of one style inside a word (a word may change weight in the middle: "**Sở**,"). */
export interface Piece {
  text: string;
  style: TextStyle;
  width: number;
}

/** What lies between break opportunities. */
export interface Word {
  pieces: Piece[];
  width: number;
  /** Width of the space after the word; 0 when the break is after a hyphen or slash, or at the end. */
  space: number;
  spaceStyle?: TextStyle;
}

export interface Line {
  words: Word[];
  /** Natural width, without the trailing space. */
  width: number;
  height: number;
  /** Largest font size on the line (sets the baseline). */
  size: number;
  indent: number;
  /** The paragraph's last line: never stretched. */
  last: boolean;
}

export interface StyledRun {
  text: string;
  style: TextStyle;
}

/**
 * Measures text with the fonts the document embeds. Widths are cached per face and text at
 * 1000 pt and scaled (glyph advances are linear in size), which keeps 500-division reports fast.
 */
export class Measure {
  private readonly cache = new Map<string, number>();
  private readonly paths = fontPaths();
  /** Draws the lines this measured (emit.ts). */
  readonly writer: TextWriter;
  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.writer = new TextWriter(doc);
  }

  width(text: string, style: TextStyle): number {
    const key = `${style.face}\u0000${text}`;
    let w = this.cache.get(key);
    if (w === undefined) {
      this.doc.font(this.paths[style.face]).fontSize(1000);
      w = this.doc.widthOfString(text);
      this.cache.set(key, w);
    }
    return (w * style.size) / 1000;
  }
}

export const style = (size: number, o: { bold?: boolean; italic?: boolean; color?: string } = {}): TextStyle => ({
  face: faceOf(o.bold, o.italic),
  size,
  color: o.color,
});

/**
 * Break after a hyphen that follows a letter or figure and precedes one ("KH-\nSCT", "19-\nNQ/TW",
 * "2021-\n2025"), never after "/" nor at a no-break space: what LibreOffice does with the .docx.
 */
const HYPHEN_BREAK = /(?<=[\p{L}\p{N}]-)(?=[\p{L}\p{N}])/u;

/** NFC (decomposed accents print badly); a tab or line break is a space; other control characters have no glyph. */
export const printable = (s: string) =>
  s
    .normalize('NFC')
    .replace(/[\t\n\r\v\f]/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '');

/** Splits runs into words at spaces (U+0020 only: a no-break space stays inside its word) and after hyphens. */
export function wordsOf(runs: StyledRun[], m: Measure): Word[] {
  const words: Word[] = [];
  let pieces: Piece[] = [];
  let buf = '';
  let bufStyle: TextStyle | undefined;
  const flushPiece = () => {
    if (buf && bufStyle) pieces.push({ text: buf, style: bufStyle, width: m.width(buf, bufStyle) });
    buf = '';
  };
  const endWord = (space: number, spaceStyle?: TextStyle) => {
    flushPiece();
    if (pieces.length === 0) {
      // Consecutive spaces widen the gap before the next word.
      const prev = words[words.length - 1];
      if (prev && space) prev.space += space;
      return;
    }
    words.push({ pieces, width: pieces.reduce((a, p) => a + p.width, 0), space, spaceStyle });
    pieces = [];
  };
  for (const run of runs) {
    if (bufStyle && styleKey(bufStyle) !== styleKey(run.style)) flushPiece();
    bufStyle = run.style;
    // Whole stretches at a time (splitting per character made 500-division reports slow).
    const tokens = printable(run.text).split(' ');
    for (let t = 0; t < tokens.length; t++) {
      if (t > 0) endWord(m.width(' ', run.style), run.style);
      const parts = tokens[t].split(HYPHEN_BREAK);
      for (let k = 0; k < parts.length; k++) {
        if (k > 0 && (buf || pieces.length > 0)) endWord(0);
        buf += parts[k];
      }
    }
  }
  endWord(0);
  const last = words[words.length - 1];
  if (last) last.space = 0;
  return words;
}

/** A word wider than the line is cut between characters (a long figure in a narrow cell). */
function splitWide(word: Word, width: number, m: Measure): Word[] {
  const out: Word[] = [];
  let pieces: Piece[] = [];
  let w = 0;
  for (const p of word.pieces) {
    let buf = '';
    for (const ch of p.text) {
      const cw = m.width(ch, p.style);
      if (w + cw > width && (buf || pieces.length)) {
        if (buf) pieces.push({ text: buf, style: p.style, width: m.width(buf, p.style) });
        out.push({ pieces, width: pieces.reduce((a, x) => a + x.width, 0), space: 0 });
        pieces = [];
        buf = '';
        w = 0;
      }
      buf += ch;
      w += cw;
    }
    if (buf) pieces.push({ text: buf, style: p.style, width: m.width(buf, p.style) });
  }
  out.push({ pieces, width: pieces.reduce((a, x) => a + x.width, 0), space: word.space, spaceStyle: word.spaceStyle });
  return out;
}

export interface ParagraphShape {
  width: number;
  firstIndent?: number;
  /** Size of the paragraph mark: the height of an empty paragraph. */
  markSize: number;
}

/** Greedy line breaking: as many words as fit, like Word and LibreOffice. */
export function breakLines(words: Word[], shape: ParagraphShape, m: Measure): Line[] {
  const lines: Line[] = [];
  const indentOf = (k: number) => (k === 0 ? (shape.firstIndent ?? 0) : 0);
  let current: Word[] = [];
  let width = 0;
  const push = (last: boolean) => {
    const size = Math.max(0, ...current.flatMap((w) => w.pieces.map((p) => p.style.size)));
    lines.push({
      words: current,
      width,
      height: lineHeightOf(size || shape.markSize),
      size: size || shape.markSize,
      indent: indentOf(lines.length),
      last,
    });
    current = [];
    width = 0;
  };
  const queue = [...words];
  while (queue.length > 0) {
    const word = queue.shift() as Word;
    const avail = shape.width - indentOf(lines.length);
    const prev = current[current.length - 1];
    const next = current.length === 0 ? word.width : width + (prev?.space ?? 0) + word.width;
    if (next <= avail + 0.01) {
      current.push(word);
      width = next;
      continue;
    }
    if (current.length === 0) {
      // Alone and still too wide: cut it, the first part fills this line.
      const parts = splitWide(word, avail, m);
      current.push(parts[0]);
      width = parts[0].width;
      queue.unshift(...parts.slice(1));
      push(false);
      continue;
    }
    push(false);
    queue.unshift(word);
  }
  push(true);
  return lines;
}

export function layoutText(runs: StyledRun[], shape: ParagraphShape, m: Measure): Line[] {
  return breakLines(wordsOf(runs, m), shape, m);
}

/** Where the baseline of a line sits below its top. */
export const baselineOf = (line: Line) => line.size * (ASCENT + LINE_GAP);

/**
 * Draws one line whose top is at `top` (pdfkit coordinates, from the page top). Justified lines
 * share the spare width among their spaces (a no-break space is part of its word and does not
 * stretch); a hyphen break leaves no gap.
 */
export function drawLine(m: Measure, line: Line, x: number, top: number, width: number, align: Align): void {
  if (line.words.length === 0) return;
  const free = width - line.indent - line.width;
  let start = x + line.indent;
  let extra = 0;
  if (align === 'center') start = x + (width - line.width) / 2;
  else if (align === 'right') start = x + width - line.width;
  else if (align === 'justify' && !line.last) {
    const gaps = line.words.slice(0, -1).filter((w) => w.space > 0).length;
    if (gaps > 0 && free > 0) extra = free / gaps;
  }
  const w = m.writer;
  w.begin(start, top + baselineOf(line));
  const words = line.words;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    for (const p of word.pieces) w.text(p.text, p.style);
    if (i < words.length - 1 && word.space > 0) {
      const st = word.spaceStyle;
      w.space(word.space + extra, st, st ? m.width(' ', st) : 0);
    }
  }
  w.end();
}

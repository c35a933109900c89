/**
 * Writes a line of text as one PDF text object: one position, then glyph runs with kerning,
 * font changes and the justification gaps as TJ adjustments, real space glyphs kept (so a
 * reader's copy and pdftotext get the spaces).
 *
 * Why not pdfkit's `text()`: it wraps every fragment in save/transform/restore and measures it
 * again, which made a 500-division report (a thousand pages) twice as slow. This uses four pdfkit
 * internals, typed below (pinned pdfkit 0.x): the current font (`_font`: its resource id, its
 * `encode` that subsets glyphs and records their Unicode), the page's font resources and
 * `addContent`. Glyph advances come from the same layout `Measure` uses, so the pen lands
 * exactly where the line breaker measured.
 */
import { type FontFace, fontPaths } from './fonts';

interface GlyphPosition {
  xAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

interface KitFont {
  id: string;
  ref(): unknown;
  encode(text: string): [string[], GlyphPosition[]];
}

interface KitInternals {
  _font: KitFont;
  page: { fonts: Record<string, unknown>; height: number };
  addContent(data: string): unknown;
}

const num = (n: number) => (Math.round(n * 1000) / 1000).toString();

function rgb(hex: string): string {
  const v = Number.parseInt(hex.replace('#', ''), 16);
  return `${num(((v >> 16) & 255) / 255)} ${num(((v >> 8) & 255) / 255)} ${num((v & 255) / 255)} rg`;
}

/** How a run of text is drawn: font face, size, colour. */
export interface TextStyle {
  face: FontFace;
  size: number;
  /** Hex colour ("#C00000"); black when absent. */
  color?: string;
}

export class TextWriter {
  private readonly kit: KitInternals;
  private readonly fonts = new Map<FontFace, KitFont>();
  private readonly paths = fontPaths();
  private ops: string[] = [];
  private tj: string[] = [];
  private font: KitFont | undefined;
  private size = 0;
  private color = '';

  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.kit = doc as unknown as KitInternals;
  }

  private fontOf(face: FontFace): KitFont {
    let f = this.fonts.get(face);
    if (!f) {
      this.doc.font(this.paths[face]);
      f = this.kit._font;
      this.fonts.set(face, f);
    }
    return f;
  }

  /** Starts a line: the pen at x, on the baseline y (both from the page's top-left, as pdfkit counts). */
  begin(x: number, baseline: number): void {
    this.ops = [];
    this.tj = [];
    this.font = undefined;
    this.size = 0;
    this.color = '';
    // pdfkit's pages draw with y flipped; text is written in PDF's own orientation.
    this.ops.push(`q 1 0 0 -1 0 ${num(this.kit.page.height)} cm BT 1 0 0 1 ${num(x)} ${num(this.kit.page.height - baseline)} Tm`);
  }

  private flush(): void {
    if (this.tj.length > 0) this.ops.push(`[${this.tj.join(' ')}] TJ`);
    this.tj = [];
  }

  private use(style: TextStyle): void {
    const font = this.fontOf(style.face);
    if (font !== this.font || style.size !== this.size) {
      this.flush();
      this.ops.push(`/${font.id} ${num(style.size)} Tf`);
      this.kit.page.fonts[font.id] ??= font.ref();
      this.font = font;
      this.size = style.size;
    }
    const color = style.color ?? '#000000';
    if (color !== this.color) {
      this.flush();
      this.ops.push(rgb(color));
      this.color = color;
    }
  }

  /** Glyphs of `text` in `style`; the pen moves by their advances (kerning included). */
  text(text: string, style: TextStyle): void {
    if (!text) return;
    this.use(style);
    const [glyphs, positions] = (this.font as KitFont).encode(text);
    let run = '';
    for (let i = 0; i < glyphs.length; i++) {
      const p = positions[i];
      if (p.xOffset || p.yOffset) {
        // A positioned mark (a decomposed accent the font places itself): shift, draw, shift back.
        if (run) this.tj.push(`<${run}>`);
        run = '';
        this.flush();
        this.ops.push(`${num((p.yOffset * this.size) / 1000)} Ts`);
        this.tj.push(num(-p.xOffset), `<${glyphs[i]}>`, num(p.xOffset));
        this.flush();
        this.ops.push('0 Ts');
      } else run += glyphs[i];
      const kern = p.xAdvance - p.advanceWidth;
      if (kern) {
        this.tj.push(`<${run}>`, num(-kern));
        run = '';
      }
    }
    if (run) this.tj.push(`<${run}>`);
  }

  /** Moves the pen right by `width` points without drawing. */
  skip(width: number): void {
    if (Math.abs(width) < 0.0005 || this.size === 0) return;
    this.tj.push(num((-width * 1000) / this.size));
  }

  /**
   * A space of `width` points: the space glyph in `style` when it is the current style (so the
   * text keeps its spaces), then the rest as a gap.
   */
  space(width: number, style: TextStyle | undefined, glyphWidth: number): void {
    if (style && this.font === this.fontOf(style.face) && this.size === style.size && (style.color ?? '#000000') === this.color) {
      this.text(' ', style);
      this.skip(width - glyphWidth);
    } else this.skip(width);
  }

  end(): void {
    this.flush();
    this.ops.push('ET Q');
    this.doc.addContent(this.ops.join('\n'));
  }
}

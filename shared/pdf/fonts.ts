/**
 * The four Liberation Serif faces (metric twins of Times New Roman, with every Vietnamese letter)
 * the PDF embeds. Committed under ./fonts because Lambda has no system fonts.
 *
 * Resolved against this module's URL: under tsx that is shared/pdf/fonts/; inside a Lambda bundle
 * every module is index.mjs, so the files must sit in fonts/ beside it — the bundling hook
 * `withPdfFonts` (infra/constructs/functions.ts) copies them there. This module stays at
 * shared/pdf/ for that reason, and imports nothing heavy so infra can read the file names.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type FontFace = 'regular' | 'bold' | 'italic' | 'boldItalic';

export const FONT_FILES: Readonly<Record<FontFace, string>> = {
  regular: 'LiberationSerif-Regular.ttf',
  bold: 'LiberationSerif-Bold.ttf',
  italic: 'LiberationSerif-Italic.ttf',
  boldItalic: 'LiberationSerif-BoldItalic.ttf',
};

/** The folder, relative to the repository root, that the bundling hook copies to `fonts/`. */
export const FONT_SOURCE_DIR = 'shared/pdf/fonts';
/** The folder name beside the bundle (and beside this module in the source tree). */
export const FONT_BUNDLE_DIR = 'fonts';

let cached: Record<FontFace, string> | undefined;

/** Absolute paths of the four faces; throws naming the folder when one is missing (a bundle without the hook). */
export function fontPaths(): Record<FontFace, string> {
  if (cached) return cached;
  const dir = new URL(`./${FONT_BUNDLE_DIR}/`, import.meta.url);
  const paths = Object.fromEntries(
    (Object.keys(FONT_FILES) as FontFace[]).map((face) => [face, fileURLToPath(new URL(FONT_FILES[face], dir))]),
  ) as Record<FontFace, string>;
  const missing = Object.values(paths).filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`PDF fonts missing (bundle built without withPdfFonts?): ${missing.join(', ')}`);
  cached = paths;
  return paths;
}

export function faceOf(bold?: boolean, italic?: boolean): FontFace {
  if (bold) return italic ? 'boldItalic' : 'bold';
  return italic ? 'italic' : 'regular';
}

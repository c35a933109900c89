/**
 * The PDF renderer reads its fonts from `fonts/` beside its module (shared/pdf/fonts.ts). In a
 * Lambda bundle every module is `index.mjs`, so the functions that render PDFs get the four
 * Liberation Serif files and their licence copied into `fonts/` beside it after esbuild runs.
 */
import path from 'node:path';
import type { BundlingOptions, ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FONT_BUNDLE_DIR, FONT_FILES, FONT_SOURCE_DIR } from '../../shared/pdf/fonts';

/** The files copied: the faces the renderer opens, and the SIL OFL 1.1 text they ship under. */
export const PDF_FONT_FILES: readonly string[] = [...Object.values(FONT_FILES), 'LICENSE'];

const q = (s: string) => `"${s}"`;

/** Shell commands (run by CDK after bundling) that copy the fonts from the source tree into the bundle. */
export function copyPdfFontsCommands(inputDir: string, outputDir: string): string[] {
  const from = path.join(inputDir, FONT_SOURCE_DIR);
  const to = path.join(outputDir, FONT_BUNDLE_DIR);
  return [`mkdir -p ${q(to)}`, ...PDF_FONT_FILES.map((f) => `cp ${q(path.join(from, f))} ${q(path.join(to, f))}`)];
}

/** The bundling options of a function that renders PDFs: its other command hooks kept, the font copy added after bundling. */
export function withPdfFonts(bundling: BundlingOptions): BundlingOptions {
  const prev = bundling.commandHooks;
  const hooks: ICommandHooks = {
    beforeBundling: (i, o) => prev?.beforeBundling(i, o) ?? [],
    beforeInstall: (i, o) => prev?.beforeInstall(i, o) ?? [],
    afterBundling: (i, o) => [...(prev?.afterBundling(i, o) ?? []), ...copyPdfFontsCommands(i, o)],
  };
  return { ...bundling, commandHooks: hooks };
}

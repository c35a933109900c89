/**
 * The PDF fonts reach the Lambda bundle of every function that renders PDFs: the bundling hook
 * copies them beside index.mjs, and a real esbuild bundle built with the functions' options
 * renders a PDF from there (and fails with a clear message without them).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ALIASES, bundlingFor, ESM_REQUIRE_BANNER, FUNCTION_PROFILES, HANDLER_NAMES } from '../../infra/constructs/functions';
import { PDF_FONT_FILES } from '../../infra/constructs/pdf-fonts';
import { FONT_FILES } from '../../shared/pdf/fonts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What CDK does with an afterBundling hook: each command through the shell, in order — but the
 * split re-bundle of the handler (splitHook, tested in test/infra/bundles.test.ts), which would
 * replace this test's own index.mjs.
 */
function runAfterBundling(name: (typeof HANDLER_NAMES)[number], outputDir: string): string[] {
  const commands = (bundlingFor(name).commandHooks?.afterBundling(ROOT, outputDir) ?? []).filter((c) => !c.includes('--splitting'));
  for (const c of commands) execFileSync('sh', ['-c', c]);
  return commands;
}

describe('PDF fonts in the Lambda bundles', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baocao-pdf-bundle-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('marks the function that renders the final PDF as rendering PDFs, and release (which only copies it) not', () => {
    expect(FUNCTION_PROFILES['sign-document'].rendersPdf).toBe(true);
    expect(FUNCTION_PROFILES.release.rendersPdf).toBeFalsy();
  });

  it('copies the four Liberation Serif faces and their licence into fonts/ of every PDF-rendering function', async () => {
    for (const name of HANDLER_NAMES.filter((n) => FUNCTION_PROFILES[n].rendersPdf)) {
      const out = join(dir, `hook-${name}`);
      runAfterBundling(name, out);
      expect((await readdir(join(out, 'fonts'))).sort()).toEqual([...PDF_FONT_FILES].sort());
      for (const f of Object.values(FONT_FILES)) {
        expect((await stat(join(out, 'fonts', f))).size).toBe((await stat(join(ROOT, 'shared/pdf/fonts', f))).size);
      }
    }
  });

  it('leaves the other functions without fonts and keeps the api form hook', () => {
    const fontCopy = (name: (typeof HANDLER_NAMES)[number]) =>
      (bundlingFor(name).commandHooks?.afterBundling(ROOT, '/out') ?? []).some((c) => c.includes('LiberationSerif'));
    for (const name of HANDLER_NAMES) expect(fontCopy(name)).toBe(FUNCTION_PROFILES[name].rendersPdf === true);
    const api = bundlingFor('api').commandHooks?.afterBundling(ROOT, '/out') ?? [];
    expect(api.some((c) => c.includes('form.js'))).toBe(true);
  });

  it('renders a PDF from an esbuild bundle built like the functions, with the fonts beside index.mjs', async () => {
    const entry = join(dir, 'entry.ts');
    await writeFile(
      entry,
      [
        `import { renderPdf } from ${JSON.stringify(join(ROOT, 'shared/pdf/render.ts'))};`,
        `import { fixtureModel } from ${JSON.stringify(join(ROOT, 'test/fixtures/pdf/model.ts'))};`,
        'const r = await renderPdf(fixtureModel());',
        'console.log(JSON.stringify({ pages: r.pageCount, head: r.pdf.subarray(0, 5).toString() }));',
      ].join('\n'),
    );
    const options = bundlingFor('sign-document');
    const out = join(dir, 'bundle');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: options.target,
      mainFields: options.mainFields,
      banner: { js: ESM_REQUIRE_BANNER },
      alias: { ...BUNDLE_ALIASES },
      minify: true,
      outfile: join(out, 'index.mjs'),
      logLevel: 'silent',
    });
    // Without the hook the renderer says what is missing instead of failing somewhere in pdfkit.
    await expect(run(process.execPath, [join(out, 'index.mjs')], { cwd: out })).rejects.toThrow(/PDF fonts missing/);
    runAfterBundling('sign-document', out);
    const { stdout } = await run(process.execPath, [join(out, 'index.mjs')], { cwd: dir });
    const result = JSON.parse(stdout.trim()) as { pages: number; head: string };
    expect(result.head).toBe('%PDF-');
    expect(result.pages).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

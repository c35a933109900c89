import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_ALIASES,
  bundlingFor,
  ESM_REQUIRE_BANNER,
  FUNCTION_PROFILES,
  HANDLER_NAMES,
  type HandlerName,
} from '../../infra/constructs/functions';
import { DOCUMENT_FUNCTIONS } from '../bench/functions';

/**
 * Each bundle carries only what its handler uses (issue 15 item 6, ADR 0046): the packages below
 * are large and needed by few functions. Sizes and init times are measured by `npm run bench`.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function packagesOf(name: HandlerName): Promise<Set<string>> {
  const res = await build({
    entryPoints: [join(ROOT, 'functions', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { ...BUNDLE_ALIASES },
    write: false,
    metafile: true,
    outfile: 'out.mjs',
    logLevel: 'error',
  });
  const out = Object.values(res.metafile.outputs)[0];
  return new Set(
    Object.keys(out.inputs)
      .filter((f) => out.inputs[f].bytesInOutput > 0)
      .map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1])
      .filter((p): p is string => Boolean(p)),
  );
}

describe('function bundles', () => {
  const pkgs = {} as Record<HandlerName, Set<string>>;
  beforeAll(async () => {
    for (const name of HANDLER_NAMES) pkgs[name] = await packagesOf(name);
  }, 240_000);

  it('carry the document builders, the mail client and the upload presigner only where used', () => {
    const found: Record<string, string[]> = {};
    for (const name of HANDLER_NAMES) {
      const profile = FUNCTION_PROFILES[name];
      found[name] = ['docx', 'exceljs', 'nodemailer', '@aws-sdk/client-sesv2', '@aws-sdk/s3-presigned-post'].filter((p) =>
        pkgs[name].has(p),
      );
      const allowed = [
        ...(name === 'build-docx' || name === 'release' ? ['docx'] : []),
        ...(DOCUMENT_FUNCTIONS.includes(name) && name !== 'build-docx' ? ['exceljs'] : []),
        ...(profile.sendsMail ? ['@aws-sdk/client-sesv2'] : []),
        ...(profile.write?.includes('raw') ? ['@aws-sdk/s3-presigned-post'] : []),
      ];
      expect(
        found[name].filter((p) => !allowed.includes(p)),
        name,
      ).toEqual([]);
    }
    // record-failure, the step every failure passes through, carries none of them.
    expect(found['record-failure']).toEqual([]);
    expect(Object.values(found).some((p) => p.includes('nodemailer'))).toBe(false);
  });

  it('carry the PDF renderer and PAdES (pdfkit, pkijs) only in the functions that render or sign PDFs, never the JavaScript Brotli decoder', async () => {
    const heavy = ['pdfkit', 'fontkit', 'pkijs', 'asn1js', '@peculiar/x509', 'brotli'];
    const carriers: string[] = [];
    for (const name of HANDLER_NAMES) {
      const found = heavy.filter((p) => pkgs[name].has(p));
      if (found.length) carriers.push(name);
      expect(found.includes('brotli'), name).toBe(false);
      if (!FUNCTION_PROFILES[name].rendersPdf) expect(found, name).toEqual([]);
    }
    expect(carriers.sort()).toEqual(HANDLER_NAMES.filter((n) => FUNCTION_PROFILES[n].rendersPdf).sort());
  });

  it('are split as deployed: the PDF renderer and PAdES in chunks beside index.mjs, read only when imported', () => {
    const out = mkdtempSync(join(tmpdir(), 'baocao-split-'));
    try {
      for (const c of bundlingFor('sign-document').commandHooks?.afterBundling(ROOT, out) ?? []) execFileSync('sh', ['-c', c]);
      const files = readdirSync(out);
      expect(files).toContain('index.mjs');
      expect(files).toContain('index.mjs.map');
      const chunks = files.filter((f) => /^chunk-.*\.mjs$/.test(f));
      const text = (f: string) => readFileSync(join(out, f), 'utf8');
      // pdfkit writes the "%PDF-" header; the CMS SignedData OID is PAdES's (pkijs, shared/signing).
      for (const marker of ['%PDF-', '1.2.840.113549.1.7.2']) {
        expect(text('index.mjs').includes(marker), marker).toBe(false);
        expect(
          chunks.some((f) => text(f).includes(marker)),
          marker,
        ).toBe(true);
      }
      expect(files).toContain('fonts'); // the hooks after it still run (withPdfFonts)
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

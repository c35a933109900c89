import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The browser bundle (client.ts: the invite form, which runs the same validateSubmission as
 * ingest, and the compiler's generic upload form), bundled by esbuild. In the Lambda bundle it was built next to the handler by the
 * NodejsFunction command hook (assets/form.js); on the local system it is built in memory on
 * first request (esbuild is a dev dependency). See docs/adr/0020-division-intake.md.
 */
const CLIENT_ENTRY = fileURLToPath(new URL('./client.ts', import.meta.url));
/** zod is replaced by an inert stub in the browser (see zod-stub.ts). */
const ZOD_STUB = fileURLToPath(new URL('./zod-stub.ts', import.meta.url));

/** Options shared by the in-memory build and the bundling hook. */
const CLIENT_BUILD = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  charset: 'utf8',
  legalComments: 'none',
  alias: { zod: ZOD_STUB },
} as const;

/** The same build as esbuild CLI arguments, for the NodejsFunction afterBundling hook. */
export function clientBuildArgs(entry: string, zodStub: string, outfile: string): string[] {
  return [
    entry,
    '--bundle',
    '--format=iife',
    '--platform=browser',
    '--target=es2020',
    '--minify',
    '--charset=utf8',
    '--legal-comments=none',
    `--alias:zod=${zodStub}`,
    `--outfile=${outfile}`,
  ];
}

let cached: Promise<string> | undefined;

export function formScript(): Promise<string> {
  cached ??= load().catch((err) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function load(): Promise<string> {
  try {
    return await readFile(new URL('./assets/form.js', import.meta.url), 'utf8');
  } catch {
    // Not a Lambda bundle: build it now.
  }
  const name = 'esbuild'; // a variable keeps the Lambda bundler from trying to bundle esbuild itself
  const esbuild = (await import(name)) as typeof import('esbuild');
  const res = await esbuild.build({ ...CLIENT_BUILD, entryPoints: [CLIENT_ENTRY], write: false });
  return res.outputFiles[0].text;
}

/**
 * Function bench (issue 15 item 6): every handler bundled as the stack bundles it (esbuild, ESM,
 * minified, node22, the same banner and main fields as infra/constructs/functions.ts), then its
 * minified size and its module initialisation time (median of several `import()` of the bundle,
 * each in a fresh node process) beside its budget. Exits non-zero when a budget is exceeded.
 *   npx tsx test/bench/functions.ts [name …]     (part of `npm run bench`)
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER, FUNCTION_PROFILES, HANDLER_NAMES, type HandlerName } from '../../infra/constructs/functions';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MB = 1024 * 1024;
/** Budgets of issue 15 item 6: 1 MB, the document builders 2 MB; init 150 ms on this machine. */
export const SIZE_BUDGET = MB;
export const HEAVY_SIZE_BUDGET = 2 * MB;
export const INIT_BUDGET_MS = 150;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

export interface FunctionBench {
  name: HandlerName;
  bytes: number;
  budgetBytes: number;
  initMs: number;
  ok: boolean;
}

/** The .docx/.xlsx builders (heavy profile) get the larger budget. */
export const sizeBudget = (name: HandlerName) => (FUNCTION_PROFILES[name].heavy ? HEAVY_SIZE_BUDGET : SIZE_BUDGET);

/** Bundles one handler with the stack's esbuild options into `dir/<name>/index.mjs`. */
export async function bundle(name: HandlerName, dir: string): Promise<string> {
  const outfile = join(dir, name, 'index.mjs');
  mkdirSync(join(dir, name), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'functions', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    logLevel: 'error',
  });
  return outfile;
}

/** Module init: wall time of `await import(bundle)` in a fresh process, as Lambda's cold start pays it. */
function initOnce(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});process.stdout.write(String(performance.now()-t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    // The environment a Lambda has: handlers read it at module load (never contacted here).
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'ap-southeast-1',
      TABLE_NAME: 'bench',
      BUCKET_NAME: 'bench',
      MAIL_FROM: 'baocao@example.com',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
      LOG_LEVEL: 'ERROR',
    },
    encoding: 'utf8',
  });
  return Number(out);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchFunctions(names: readonly HandlerName[] = HANDLER_NAMES): Promise<FunctionBench[]> {
  const dir = mkdtempSync(join(tmpdir(), 'baocao-bench-'));
  try {
    const out: FunctionBench[] = [];
    for (const name of names) {
      const file = await bundle(name, dir);
      const bytes = statSync(file).size;
      const initMs = median(Array.from({ length: RUNS }, () => initOnce(file)));
      const budgetBytes = sizeBudget(name);
      out.push({ name, bytes, budgetBytes, initMs, ok: bytes <= budgetBytes && initMs <= INIT_BUDGET_MS });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatTable(rows: readonly FunctionBench[]): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [`${pad('function', 20)}${pad('size', 10)}${pad('budget', 9)}${pad('init ms', 9)}budget`];
  for (const r of rows) {
    lines.push(
      `${pad(r.name, 20)}${pad(`${(r.bytes / MB).toFixed(2)} MB`, 10)}${pad(`${r.budgetBytes / MB} MB`, 9)}${pad(r.initMs.toFixed(0), 9)}${INIT_BUDGET_MS}${r.ok ? '' : '  ✗ OVER'}`,
    );
  }
  return lines.join('\n');
}

export async function main(args = process.argv.slice(2)): Promise<boolean> {
  const names = (args.length ? args : HANDLER_NAMES) as HandlerName[];
  const rows = await benchFunctions(names);
  console.log(formatTable(rows));
  const over = rows.filter((r) => !r.ok);
  console.log(
    over.length ? `${over.length} function(s) over budget: ${over.map((r) => r.name).join(', ')}` : 'every function within budget',
  );
  return over.length === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => process.exit(ok ? 0 : 1));
}

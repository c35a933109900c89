/**
 * Function bench (issue 15 item 6): every handler bundled as the stack deploys it (esbuild with
 * splitBundleArgs of infra/constructs/functions.ts: ESM, minified, node22, source maps, split at
 * dynamic imports) and loaded with the functions' NODE_OPTIONS (--enable-source-maps), then its
 * minified size (index.mjs and its chunks; index.mjs alone beside it) and its module initialisation time (median of several `import()` of the bundle,
 * each in a fresh node process) beside its budget. Exits non-zero when a budget is exceeded.
 *   npx tsx test/bench/functions.ts [name …]     (part of `npm run bench`)
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_PROFILES, HANDLER_NAMES, type HandlerName, LAMBDA_NODE_OPTIONS, splitBundleArgs } from '../../infra/constructs/functions';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MB = 1024 * 1024;
/** Budgets of issue 15 item 6: 1 MB, the document builders 2 MB; init 150 ms on this machine. */
export const SIZE_BUDGET = MB;
export const HEAVY_SIZE_BUDGET = 2 * MB;
/**
 * The functions that render or sign PDFs (FUNCTION_PROFILES.rendersPdf: api, sign-document;
 * release only copies the sealed PDF, verified at the seal) also carry pdfkit with fontkit, pkijs, asn1js and @peculiar/x509 (~1 MB
 * minified, in chunks read on first use): 3 MB (ADR 0046 §4, after the signing merges).
 */
export const PDF_SIZE_BUDGET = 3 * MB;
export const INIT_BUDGET_MS = 150;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

export interface FunctionBench {
  name: HandlerName;
  /** Every .mjs of the bundle (index.mjs and its chunks): what the function carries. */
  bytes: number;
  /** index.mjs alone: what its cold start reads. */
  entryBytes: number;
  budgetBytes: number;
  /** Median CPU time of the module init (judged against the budget). */
  initMs: number;
  /** Median wall time of the module init. */
  wallMs: number;
  ok: boolean;
}

/**
 * The functions that build or read .docx/.xlsx documents, with the larger budget: build-docx and
 * release (heavy profile: the draft and the final .docx, the figures .xlsx), api (the division's
 * .xlsx template, /nop/<id>/mau.xlsx), ingest and reconcile-uploads (read uploaded .xlsx).
 */
export const DOCUMENT_FUNCTIONS: readonly HandlerName[] = ['build-docx', 'release', 'api', 'ingest', 'reconcile-uploads'];
export const sizeBudget = (name: HandlerName) =>
  FUNCTION_PROFILES[name].rendersPdf
    ? PDF_SIZE_BUDGET
    : FUNCTION_PROFILES[name].heavy || DOCUMENT_FUNCTIONS.includes(name)
      ? HEAVY_SIZE_BUDGET
      : SIZE_BUDGET;

/** Bundles one handler as the stack does (splitBundleArgs) into `dir/<name>/`; answers index.mjs and the size of every .mjs (entry and chunks). */
export async function bundle(name: HandlerName, dir: string): Promise<{ file: string; bytes: number; entryBytes: number }> {
  const outdir = join(dir, name);
  mkdirSync(outdir, { recursive: true });
  execFileSync(join(ROOT, 'node_modules/.bin/esbuild'), splitBundleArgs(join(ROOT, 'functions', `${name}.ts`), outdir), {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const file = join(outdir, 'index.mjs');
  const bytes = readdirSync(outdir)
    .filter((f) => f.endsWith('.mjs'))
    .reduce((sum, f) => sum + statSync(join(outdir, f)).size, 0);
  return { file, bytes, entryBytes: statSync(file).size };
}

/**
 * Module init of `await import(bundle)` in a fresh process, as Lambda's cold start pays it: wall
 * time, and the CPU time the process spent on it (user + system). On a dedicated core the two
 * agree; on this shared machine the wall time swings with other people's load, so the budget is
 * judged on CPU time and the wall time is printed beside it.
 */
function initOnce(file: string): { cpuMs: number; wallMs: number } {
  const script = `const c=process.cpuUsage(),t=performance.now();await import(${JSON.stringify(`file://${file}`)});const w=performance.now()-t,u=process.cpuUsage(c);process.stdout.write(JSON.stringify({cpuMs:(u.user+u.system)/1000,wallMs:w}));`;
  const out = execFileSync(process.execPath, [...LAMBDA_NODE_OPTIONS.split(' '), '--input-type=module', '-e', script], {
    // The environment a Lambda has (tracing on, as in the stack): handlers read it at module
    // load; nothing is contacted during an import.
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'ap-southeast-1',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
      TABLE_NAME: 'bench',
      BUCKET_NAME: 'bench',
      MAIL_FROM: 'baocao@example.com',
      LOG_LEVEL: 'ERROR',
    },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { cpuMs: number; wallMs: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchFunctions(names: readonly HandlerName[] = HANDLER_NAMES): Promise<FunctionBench[]> {
  const dir = mkdtempSync(join(tmpdir(), 'baocao-bench-'));
  try {
    const out: FunctionBench[] = [];
    for (const name of names) {
      const { file, bytes, entryBytes } = await bundle(name, dir);
      const runs = Array.from({ length: RUNS }, () => initOnce(file));
      const initMs = median(runs.map((r) => r.cpuMs));
      const wallMs = median(runs.map((r) => r.wallMs));
      const budgetBytes = sizeBudget(name);
      out.push({ name, bytes, entryBytes, budgetBytes, initMs, wallMs, ok: bytes <= budgetBytes && initMs <= INIT_BUDGET_MS });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatTable(rows: readonly FunctionBench[]): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    `${pad('function', 24)}${pad('size', 10)}${pad('entry', 10)}${pad('budget', 9)}${pad('init cpu ms', 13)}${pad('budget', 8)}wall ms`,
  ];
  for (const r of rows) {
    lines.push(
      `${pad(r.name, 24)}${pad(`${(r.bytes / MB).toFixed(2)} MB`, 10)}${pad(`${(r.entryBytes / MB).toFixed(2)} MB`, 10)}${pad(`${r.budgetBytes / MB} MB`, 9)}${pad(r.initMs.toFixed(0), 13)}${pad(String(INIT_BUDGET_MS), 8)}${r.wallMs.toFixed(0)}${r.ok ? '' : '  ✗ OVER'}`,
    );
  }
  return lines.join('\n');
}

export async function main(args = process.argv.slice(2)): Promise<boolean> {
  const names = (args.length ? args : HANDLER_NAMES) as HandlerName[];
  const rows = await benchFunctions(names);
  console.log(
    `Functions: minified bundle and module init (median of ${RUNS}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores)`,
  );
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

/**
 * The PDF figures of the renderer benchmark: the 500-division report built into the document
 * model and drawn by renderPdf, in a child process of its own so its peak RSS is the PDF
 * renderer's, not the .docx renderer's that ran before it in run.ts.
 *   npx tsx test/bench/pdf.ts --child     (prints one JSON line; run.ts calls pdfBench())
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildDocument } from '../../shared/document/build';
import { renderPdf } from '../../shared/pdf/render';
import { getTemplate } from '../../shared/templates/index';
import { fixtureOrganization } from '../fixtures/docx/report';
import { bigReport } from './big-report';

export interface PdfBenchResult {
  /** Building the model and drawing the PDF, wall clock. */
  renderMs: number;
  /** The same in CPU time of this process (what a busy shared machine does not inflate). */
  cpuMs: number;
  /** Peak RSS of the process (MB). */
  rssMb: number;
  pages: number;
  kib: number;
}

async function child(): Promise<void> {
  const template = getTemplate('cchc');
  const report = bigReport(template);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const model = buildDocument({
    template,
    report,
    organization: fixtureOrganization,
    mode: 'final',
    version: 1,
    number: 5,
    issuedAt: new Date('2025-01-05T02:00:00Z'),
  });
  const { pdf, pageCount } = await renderPdf(model);
  const result: PdfBenchResult = {
    renderMs: performance.now() - t0,
    cpuMs: (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000,
    rssMb: process.resourceUsage().maxRSS / 1024,
    pages: pageCount,
    kib: pdf.length / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export async function pdfBench(): Promise<PdfBenchResult> {
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', self, '--child'], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as PdfBenchResult;
}

if (process.argv.includes('--child')) {
  child().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}

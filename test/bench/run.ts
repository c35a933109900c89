/**
 * Renderer benchmark: an aggregated report for 500 divisions (every table 500 rows long,
 * thousands of narrative items) through renderReport and figuresXlsx, then through the document
 * model into renderPdf (./pdf.ts, in a child process for its own peak RSS).
 * Then the tenancy case (./tenancy.ts): one organization's compiles with 1 and with 100 organizations stored.
 * Prints one line per metric against its target and exits non-zero when a target is missed.
 *   npx tsx test/bench/run.ts      (or: npm run bench)
 */

import { figuresXlsx } from '../../shared/docx/exports';
import { renderReport } from '../../shared/docx/render';
import { getTemplate } from '../../shared/templates/index';
import { fixtureOrganization } from '../fixtures/docx/report';
import { bigReport, DIVISIONS } from './big-report';
import { pdfBench } from './pdf';
import { TARGET_RATIO, tenancyBench } from './tenancy';

const TARGET_MS = 5_000;
const TARGET_RSS_MB = 400;
/** The PDF is laid out line by line and its fonts subset: about twice the .docx's work. */
const TARGET_PDF_MS = 10_000;

async function main() {
  const template = getTemplate('cchc');
  const report = bigReport(template);
  const paragraphs = Object.values(report.narratives).reduce((s, n) => s + n.length, 0);
  const rows = Object.values(report.tables).reduce((s, t) => s + t.rows.length, 0);

  const t0 = performance.now();
  const docx = await renderReport({
    template,
    report,
    organization: fixtureOrganization,
    mode: 'final',
    version: 1,
    number: 5,
    issuedAt: new Date('2025-01-05T02:00:00Z'),
  });
  const renderMs = performance.now() - t0;
  // maxRSS is the OS's high-water mark (KiB): it sees peaks inside synchronous work that sampling would miss.
  const renderRssMb = process.resourceUsage().maxRSS / 1024;

  const t1 = performance.now();
  const xlsx = await figuresXlsx(report, template, fixtureOrganization);
  const xlsxMs = performance.now() - t1;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  // In a process of its own, so its peak RSS is the PDF renderer's alone.
  const pdf = await pdfBench();
  const metrics = [
    { name: 'renderReport', value: renderMs, unit: 'ms', target: TARGET_MS },
    { name: 'figuresXlsx', value: xlsxMs, unit: 'ms', target: TARGET_MS },
    { name: 'peak RSS docx', value: renderRssMb, unit: 'MB', target: TARGET_RSS_MB },
    { name: 'peak RSS all', value: rssMb, unit: 'MB', target: TARGET_RSS_MB },
    { name: 'renderPdf', value: pdf.renderMs, unit: 'ms', target: TARGET_PDF_MS },
    { name: 'peak RSS pdf', value: pdf.rssMb, unit: 'MB', target: TARGET_RSS_MB },
  ];
  console.log(
    `bench: ${DIVISIONS} divisions, ${rows} table rows, ${paragraphs} narrative items; ` +
      `docx ${(docx.length / 1024).toFixed(0)} KiB, xlsx ${(xlsx.length / 1024).toFixed(0)} KiB, ` +
      `pdf ${(pdf.kib).toFixed(0)} KiB / ${pdf.pages} pages (model + PDF ${pdf.cpuMs.toFixed(0)} ms CPU)`,
  );
  let failed = false;
  for (const m of metrics) {
    const ok = m.value < m.target;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${m.name.padEnd(14)} ${m.value.toFixed(0).padStart(7)} ${m.unit}  (target < ${m.target} ${m.unit})`,
    );
  }
  const tenancy = await tenancyBench();
  failed ||= !tenancy.ok;
  console.log(
    `${tenancy.ok ? 'ok  ' : 'FAIL'} ${tenancy.name.padEnd(14)} ${tenancy.value.toFixed(2).padStart(7)}     (target < ${TARGET_RATIO})`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});

/**
 * Renderer benchmark: an aggregated report for 500 divisions (every table 500 rows long,
 * thousands of narrative items) through renderReport and figuresXlsx.
 * Then the tenancy case (./tenancy.ts): one organization's compiles with 1 and with 100 organizations stored.
 * Then every function's minified bundle size and module init time against its budget (./functions.ts).
 * Prints one line per metric against its target and exits non-zero when a target is missed.
 *   npx tsx test/bench/run.ts      (or: npm run bench)
 */

import { figuresXlsx } from '../../shared/docx/exports';
import { renderReport } from '../../shared/docx/render';
import type { AggregatedReport, AggregatedTable, CellValue } from '../../shared/domain/report';
import type { ReportTemplate } from '../../shared/domain/template';
import { getTemplate } from '../../shared/templates/index';
import { fixtureOrganization, fixtureReport } from '../fixtures/docx/report';
import { main as functionBench } from './functions';
import { TARGET_RATIO, tenancyBench } from './tenancy';

const DIVISIONS = 500;
const TARGET_MS = 5_000;
const TARGET_RSS_MB = 400;

const SENTENCE =
  'Triển khai thực hiện các văn bản chỉ đạo của UBND tỉnh về cải cách hành chính, kiểm soát thủ tục hành chính, ' +
  'nâng cao chất lượng phục vụ người dân, doanh nghiệp & bảo đảm công khai, minh bạch <đúng quy định>.';

function bigReport(template: ReportTemplate): AggregatedReport {
  const base = fixtureReport();
  const name = (d: number) => `Phòng, đơn vị số ${d + 1}`;
  const tables: Record<string, AggregatedTable> = {};
  for (const t of template.tables) {
    const rows = Array.from({ length: DIVISIONS }, (_, d) => {
      const row: Record<string, CellValue> = {};
      for (const c of t.columns) {
        if (c.id.toLowerCase() === 'stt') row[c.id] = d + 1;
        else if (c.type === 'integer') row[c.id] = 1000 + ((d * 7919) % 90_000);
        else if (c.type === 'ratio') row[c.id] = Math.round((d * 37) % 10_000) / 100;
        else row[c.id] = d % 3 === 0 ? `${name(d)}: ${SENTENCE}` : name(d);
      }
      return row;
    });
    const total: Record<string, CellValue> = {};
    for (const c of t.columns) {
      if (c.type === 'integer' && c.id.toLowerCase() !== 'stt') total[c.id] = rows.reduce((s, r) => s + Number(r[c.id]), 0);
      else if (c.type === 'ratio') total[c.id] = 98.95;
      else total[c.id] = null;
    }
    tables[t.id] = { id: t.id, rows, total: t.totalLabel ? total : null };
  }
  // Each division contributes one item to every fourth narrative: thousands of paragraphs in all.
  const narratives: Record<string, string[]> = {};
  template.narratives.forEach((n, k) => {
    narratives[n.id] = [];
    for (let d = 0; d < DIVISIONS; d++) if ((d + k) % 4 === 0) narratives[n.id].push(`${name(d)}: ${SENTENCE}`);
  });
  return {
    ...base,
    templateId: template.id,
    indicators: Object.fromEntries(template.indicators.map((i, k) => [i.id, 10_000 + k * 137])),
    ratios: Object.fromEntries(template.ratios.map((r) => [r.id, 98.95])),
    tables,
    narratives,
  };
}

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
  const metrics = [
    { name: 'renderReport', value: renderMs, unit: 'ms', target: TARGET_MS },
    { name: 'figuresXlsx', value: xlsxMs, unit: 'ms', target: TARGET_MS },
    { name: 'peak RSS docx', value: renderRssMb, unit: 'MB', target: TARGET_RSS_MB },
    { name: 'peak RSS all', value: rssMb, unit: 'MB', target: TARGET_RSS_MB },
  ];
  console.log(
    `bench: ${DIVISIONS} divisions, ${rows} table rows, ${paragraphs} narrative items; ` +
      `docx ${(docx.length / 1024).toFixed(0)} KiB, xlsx ${(xlsx.length / 1024).toFixed(0)} KiB`,
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
  failed = !(await functionBench([])) || failed;
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});

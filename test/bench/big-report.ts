/**
 * The 500-division report of the renderer benchmark: every table 500 rows long, thousands of
 * narrative items. Shared by the .docx and PDF figures (run.ts, pdf.ts).
 */
import type { AggregatedReport, AggregatedTable, CellValue } from '../../shared/domain/report';
import type { ReportTemplate } from '../../shared/domain/template';
import { fixtureReport } from '../fixtures/docx/report';

export const DIVISIONS = 500;

const SENTENCE =
  'Triển khai thực hiện các văn bản chỉ đạo của UBND tỉnh về cải cách hành chính, kiểm soát thủ tục hành chính, ' +
  'nâng cao chất lượng phục vụ người dân, doanh nghiệp & bảo đảm công khai, minh bạch <đúng quy định>.';

export function bigReport(template: ReportTemplate): AggregatedReport {
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

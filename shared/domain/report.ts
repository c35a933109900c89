/**
 * The aggregated report: what aggregation produces and what the renderer and exports consume.
 * CONTRACT between shared/domain (producer) and shared/docx (consumer).
 */

export type PeriodKind = 'quarter' | 'half' | 'nine-months' | 'year';

export interface PeriodInfo {
  /** "2021-Q1", "2021-H1", "2021-9M", "2021". */
  id: string;
  kind: PeriodKind;
  year: number;
  /** Quarter ids that make up this period, e.g. ["2021-Q1","2021-Q2"]. */
  quarters: string[];
  /** Vietnamese label used in the subject line: "quý I năm 2021", "6 tháng đầu năm 2021", "9 tháng năm 2021", "năm 2021". */
  label: string;
  /** Data cut-off, ISO dates (Decree 09/2019 Art. 12). */
  from: string;
  to: string;
  /** CCHC sending deadline, ISO date (20th of the period's last month). */
  deadline: string;
}

export type CellValue = string | number | null;

export interface AggregatedTable {
  id: string;
  /** Rows in order, keyed by column id; integer cells are numbers; ratio cells are percentages (e.g. 98.95). "stt" is the renumbered row number. */
  rows: Array<Record<string, CellValue>>;
  /** Total row keyed by column id (summed integers, recomputed ratios); null when the template has no total row. */
  total: Record<string, CellValue> | null;
}

export interface DivisionStatus {
  divisionId: string;
  divisionName: string;
  /** Quarters this division submitted within the period. */
  submitted: string[];
  missing: string[];
  late: string[];
}

export interface AggregatedReport {
  templateId: string;
  period: PeriodInfo;
  /** Summed (or last-value) indicators by id. */
  indicators: Record<string, number>;
  /** Percentages recomputed from summed counts, rounded half up to 2 decimals; null when the denominator is 0. */
  ratios: Record<string, number | null>;
  tables: Record<string, AggregatedTable>;
  /** Narrative items by narrative id, merged in division order, duplicates removed, NFC. */
  narratives: Record<string, string[]>;
  completeness: DivisionStatus[];
  /** Contradictions between figures the compiler should see before approving (optional: older aggregates lack it). */
  findings?: ReportFinding[];
  /** The same period of the previous year, for {compare:…} sentences; absent when not loaded. */
  previous?: PreviousFigures;
}

export interface PreviousFigures {
  year: number;
  indicators: Record<string, number>;
}

/** A problem in the aggregated figures: a warning the compiler sees, never a refusal. */
export interface ReportFinding {
  severity: 'warning';
  /** Stable id, e.g. "bangTrongKhiVanBanCoSoLieu:vanBanDienTu.tong". */
  rule: string;
  /** Vietnamese, naming the table, the column and the figure. */
  message: string;
}

import { AppError } from '../errors';
import { vietnamEndOfDayMs, vietnamWallClock } from '../format/vietnam-time';
import type { PeriodInfo, PeriodKind } from './report';

/**
 * Reporting periods and their data cut-offs (Decree 09/2019/NĐ-CP, Art. 12):
 * a quarter runs from the 15th of the month before it to the 14th of its last month;
 * cumulative periods start on 15/12 of the previous year. CCHC reports are due on the
 * 20th of the period's last month.
 */

/** A period id or date that cannot be read (400, Vietnamese message). */
export class PeriodError extends AppError {
  override name = 'PeriodError';
}

const ROMAN = ['I', 'II', 'III', 'IV'] as const;
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

const QUARTER_RE = /^(\d{4})-Q([1-4])$/;
const PERIOD_RE = /^(\d{4})(?:-(Q[1-4]|H1|9M))?$/;

const pad2 = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;

function checkYear(year: number, id: string): void {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new PeriodError(`Kỳ báo cáo "${id}" không hợp lệ: năm phải từ ${MIN_YEAR} đến ${MAX_YEAR}.`);
  }
}

/** Parses "2021-Q1".."2021-Q4", "2021-H1", "2021-9M" or "2021"; throws PeriodError otherwise. */
export function parsePeriod(id: string): PeriodInfo {
  const m = typeof id === 'string' ? PERIOD_RE.exec(id.trim()) : null;
  if (!m) {
    throw new PeriodError(
      `Kỳ báo cáo "${String(id)}" không hợp lệ. Dùng dạng 2021-Q1 … 2021-Q4 (quý), 2021-H1 (6 tháng), 2021-9M (9 tháng) hoặc 2021 (năm).`,
    );
  }
  const year = Number(m[1]);
  const canonical = m[2] ? `${year}-${m[2]}` : String(year);
  checkYear(year, canonical);
  const part = m[2];
  let kind: PeriodKind;
  let lastMonth: number;
  let firstQuarter = 1;
  let label: string;
  if (!part) {
    kind = 'year';
    lastMonth = 12;
    label = `năm ${year}`;
  } else if (part === 'H1') {
    kind = 'half';
    lastMonth = 6;
    label = `6 tháng đầu năm ${year}`;
  } else if (part === '9M') {
    kind = 'nine-months';
    lastMonth = 9;
    label = `9 tháng năm ${year}`;
  } else {
    kind = 'quarter';
    const q = Number(part.slice(1));
    firstQuarter = q;
    lastMonth = q * 3;
    label = `quý ${ROMAN[q - 1]} năm ${year}`;
  }
  const lastQuarter = lastMonth / 3;
  const quarters: string[] = [];
  for (let q = firstQuarter; q <= lastQuarter; q++) quarters.push(`${year}-Q${q}`);
  // Start: the 15th of the month before the first quarter's first month (Dec of the previous year for Q1).
  const startMonth = (firstQuarter - 1) * 3; // 0 means December of the previous year
  const from = startMonth === 0 ? iso(year - 1, 12, 15) : iso(year, startMonth, 15);
  return {
    id: canonical,
    kind,
    year,
    quarters,
    label,
    from,
    to: iso(year, lastMonth, 14),
    deadline: iso(year, lastMonth, 20),
  };
}

/** True for a well-formed quarter id such as "2021-Q3". */
export function isQuarter(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  const m = QUARTER_RE.exec(id);
  if (!m) return false;
  const year = Number(m[1]);
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** Deadline (ISO date) of a quarter: the 20th of its last month. */
export function quarterDeadline(quarterId: string): string {
  return parsePeriod(quarterId).deadline;
}

/** End of the deadline day in Vietnam (UTC+7), as epoch milliseconds. */
export function deadlineEndMs(deadlineIso: string): number {
  const [y, m, d] = deadlineIso.split('-').map(Number);
  return vietnamEndOfDayMs(y, m, d);
}

/**
 * The quarter whose cut-off window contains the date. A Date (or ISO timestamp) is read in
 * Vietnam time (UTC+7); "YYYY-MM-DD" and "dd/mm/yyyy" are taken as calendar dates.
 * 15/12/2021 belongs to 2022-Q1.
 */
export function quarterOfDate(date: Date | string): string {
  let y: number;
  let mo: number;
  let d: number;
  const dmy = typeof date === 'string' ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date.trim()) : null;
  const ymd = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim()) : null;
  if (dmy) {
    [d, mo, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  } else if (ymd) {
    [y, mo, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  } else {
    const t = date instanceof Date ? date.getTime() : Date.parse(date);
    if (!Number.isFinite(t)) throw new PeriodError(`Ngày "${String(date)}" không hợp lệ.`);
    const local = vietnamWallClock(t);
    [y, mo, d] = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()];
  }
  if (!isValidDate(y, mo, d)) throw new PeriodError(`Ngày "${String(date)}" không hợp lệ.`);
  // From the 15th on, a day counts towards the next month's window.
  let month = d >= 15 ? mo + 1 : mo;
  let year = y;
  if (month === 13) {
    month = 1;
    year += 1;
  }
  const id = `${year}-Q${Math.ceil(month / 3)}`;
  checkYear(year, id);
  return id;
}

/** Label of the period that follows: next quarter, the second half, Q4, or next year. */
export function nextPeriodLabel(period: PeriodInfo): string {
  switch (period.kind) {
    case 'quarter': {
      const q = Number(period.id.slice(-1));
      return q === 4 ? `quý I năm ${period.year + 1}` : `quý ${ROMAN[q]} năm ${period.year}`;
    }
    case 'half':
      return `6 tháng cuối năm ${period.year}`;
    case 'nine-months':
      return `quý IV năm ${period.year}`;
    default:
      return `năm ${period.year + 1}`;
  }
}

export function isValidDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** The quarter before a quarter: 2021-Q1 → 2020-Q4. */
export function previousQuarter(quarterId: string): string {
  const y = Number(quarterId.slice(0, 4));
  const q = Number(quarterId.slice(-1));
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** The n quarters before a quarter, nearest first (they may cross into the previous year). */
export function previousQuarters(quarterId: string, n: number): string[] {
  const out: string[] = [];
  for (let q = previousQuarter(quarterId); out.length < n; q = previousQuarter(q)) out.push(q);
  return out;
}

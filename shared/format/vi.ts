/**
 * Vietnamese number, date and document-number formatting (Decree 30/2020/NĐ-CP conventions),
 * plus placeholder filling for template text. Pure functions, no I/O.
 *
 * Percent sign: a NO-BREAK SPACE (U+00A0) separates the number from "%", so "%" never wraps
 * onto its own line in narrow table cells. Use `PERCENT_SPACE` when comparing.
 */

import { vietnamWallClock } from './vietnam-time';

export const PERCENT_SPACE = '\u00a0';

export function nfc(s: string): string {
  return s.normalize('NFC');
}

// XML 1.0 forbids C0 controls except tab, LF, CR, and U+FFFE/U+FFFF; lone surrogates cannot be encoded.
const XML_DISALLOWED =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NFC and drop every character XML 1.0 cannot carry, so user text never breaks a document. */
export function cleanText(s: string): string {
  return nfc(String(s)).replace(XML_DISALLOWED, '');
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** 16075 → "16.075"; -1234 → "-1.234". Non-integers are truncated toward zero by the caller's choice: use formatDecimal. */
export function formatInteger(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const sign = n < 0 ? '-' : '';
  return sign + groupThousands(String(Math.trunc(Math.abs(n))));
}

/**
 * Fixed decimals, Vietnamese separators: formatDecimal(1234.5) → "1.234,50".
 * Values are expected already rounded (ratios are rounded half up by aggregation);
 * toFixed only pins the number of digits.
 */
export function formatDecimal(n: number, fractionDigits = 2): string {
  if (!Number.isFinite(n)) return '-';
  const sign = n < 0 ? '-' : '';
  const [int, frac] = Math.abs(n).toFixed(fractionDigits).split('.');
  return sign + groupThousands(int) + (frac ? `,${frac}` : '');
}

/** The older house style; a template declares its own (template.numberStyle). */
/** How a document prints numbers (a template declares it: shared/domain/template.ts numberStyle). */
export interface NumberStyle {
  percentSpace: boolean;
  trimZeros: boolean;
  padCounts: boolean;
}

export const DEFAULT_NUMBER_STYLE: NumberStyle = { percentSpace: true, trimZeros: false, padCounts: false };

/**
 * 98.95 → "98,95 %" (NBSP before %). null (denominator 0) → "-".
 * With a template's style: "98,95%" without the space, "100%" and "12,5%" with trimZeros.
 */
export function formatPercent(p: number | null | undefined, style: NumberStyle = DEFAULT_NUMBER_STYLE): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '-';
  let n = formatDecimal(p, 2);
  if (style.trimZeros && n.includes(',')) n = n.replace(/0+$/, '').replace(/,$/, '');
  return `${n}${style.percentSpace ? PERCENT_SPACE : ''}%`;
}

/** An integer as the template's style prints a count: "03" when padCounts, else "3". */
export function formatCountStyled(n: number, style: NumberStyle = DEFAULT_NUMBER_STYLE): string {
  return style.padCounts && Number.isInteger(n) ? formatCount(n) : formatNumber(n);
}

/**
 * A comparison with the previous year, or undefined when a figure is missing:
 * percent "tăng 12,5% so với cùng kỳ năm 2020", count "giảm 02 thủ tục so với năm 2020".
 */
export function formatComparison(
  current: number | undefined,
  previous: number | undefined,
  c: { kind: 'percent' | 'count'; unit: string; against: string },
  previousYear: number,
  style: NumberStyle = DEFAULT_NUMBER_STYLE,
): string | undefined {
  if (current === undefined || previous === undefined || !Number.isFinite(current) || !Number.isFinite(previous)) return undefined;
  const tail = `so với ${c.against} ${previousYear}`;
  if (current === previous) return `bằng ${c.against} ${previousYear}`;
  const verb = current > previous ? 'tăng' : 'giảm';
  if (c.kind === 'count') {
    const unit = c.unit ? ` ${c.unit}` : '';
    return `${verb} ${formatCountStyled(Math.abs(current - previous), style)}${unit} ${tail}`;
  }
  if (previous === 0) return undefined; // a rise from nothing has no percentage
  const change = Math.round((Math.abs(current - previous) / previous) * 10000) / 100;
  return `${verb} ${formatPercent(change, { ...style, trimZeros: true })} ${tail}`;
}

/** A figure as running text prints it: integers grouped, other values with 2 decimals. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? formatInteger(n) : formatDecimal(n, 2);
}

/** 5 → "05", 12 → "12" (Decree 30: numbers under 10 get a leading zero). */
export function padTwo(n: number): string {
  return String(Math.trunc(n)).padStart(2, '0');
}

/** A count as clerks type it in "05/07": leading zero under 10, thousands grouped above. */
export function formatCount(n: number): string {
  return n >= 0 && n < 10 ? padTwo(n) : formatInteger(n);
}

/** formatFraction(5, 7) → "05/07"; formatFraction(116, 116) → "116/116". */
export function formatFraction(numerator: number, denominator: number): string {
  return `${formatCount(numerator)}/${formatCount(denominator)}`;
}

/** Calendar day/month/year in Vietnam for a Date, or as written for an ISO "YYYY-MM-DD" string. */
export function vnCalendarDate(date: Date | string): { day: number; month: number; year: number } {
  if (typeof date === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    date = new Date(date);
  }
  if (Number.isNaN(date.getTime())) throw new Error(`Ngày không hợp lệ: ${String(date)}`);
  const local = vietnamWallClock(date);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** Blank used for a draft's number and date, wide enough to write in by hand. */
export const BLANK = '\u00a0'.repeat(6);

/**
 * "Đồng Nai, ngày 05 tháng 01 năm 2025", "Đồng Nai, ngày 15 tháng 3 năm 2025".
 * Day < 10 and months 1–2 take a leading zero (Decree 30, Appendix I). Without a date
 * (draft) the day and month are left blank: "Đồng Nai, ngày      tháng      năm".
 */
export function formatDateLine(place: string, date?: Date | string | null): string {
  if (date === undefined || date === null) return `${place}, ngày${BLANK}tháng${BLANK}năm`;
  const { day, month, year } = vnCalendarDate(date);
  const mm = month <= 2 ? padTwo(month) : String(month);
  return `${place}, ngày ${padTwo(day)} tháng ${mm} năm ${year}`;
}

/**
 * The line under an appendix's title: "(Kèm theo Báo cáo số 05/BC-SCT ngày 20/12/2021 của Sở
 * Công Thương)"; a draft, without number and date, leaves them blank for the clerk.
 */
export function annexNoteLine(o: {
  kind: string;
  number?: number | null;
  code: string;
  issuedAt?: Date | null;
  agencyName: string;
}): string {
  const number = o.number === undefined || o.number === null ? BLANK : padTwo(o.number);
  let date = `${BLANK}/${BLANK}/${BLANK}`;
  if (o.issuedAt) {
    const { day, month, year } = vnCalendarDate(o.issuedAt);
    date = `${padTwo(day)}/${padTwo(month)}/${year}`;
  }
  return `(Kèm theo ${o.kind} số ${number}/${o.code} ngày ${date} của ${o.agencyName})`;
}

/** "Số: 05/BC-SCT"; without a number (draft) "Số:      /BC-SCT". */
export function formatDocumentNumber(number: number | null | undefined, code: string): string {
  if (number === undefined || number === null) return `Số:${BLANK}/${code}`;
  return `Số: ${padTwo(number)}/${code}`;
}

/**
 * Salutation of an email to an approver: "Kính gửi Chánh Văn phòng Lương Văn Bình,"; by role alone
 * when the name is unknown or only repeats the role ("Kính gửi Chánh Văn phòng,").
 */
export function approverGreeting(role: string, name?: string | null): string {
  const r = cleanText(role).trim();
  const n = cleanText(name ?? '').trim();
  const same = n.toLocaleLowerCase('vi-VN') === r.toLocaleLowerCase('vi-VN');
  return `Kính gửi ${[r, same ? '' : n].filter(Boolean).join(' ')},`;
}

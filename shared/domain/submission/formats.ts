import { isValidDate } from '../periods';

/** Dates and document references as divisions write them in tables. */

const DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DOC_REF_RE =
  /^(?:số\s+)?\d{1,6}(?:\/\d{4})?[/-][A-ZĐ][A-Za-zĐđ0-9&]*(?:[/-][A-ZĐ][A-Za-zĐđ0-9&]*)*\s+ngày\s+(\d{1,2}\/\d{1,2}\/\d{4})$/iu;

function parseDateVi(s: string): [number, number, number] | undefined {
  const m = DATE_RE.exec(s.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidDate(y, mo, d) ? [y, mo, d] : undefined;
}

export function isDateVi(s: string): boolean {
  return parseDateVi(s) !== undefined;
}

export function isDateRangeVi(s: string): boolean {
  const parts = s.split(/\s*[-–]\s*/);
  if (parts.length !== 2) return false;
  const a = parseDateVi(parts[0]);
  const b = parseDateVi(parts[1]);
  if (!a || !b) return false;
  return Date.UTC(a[0], a[1] - 1, a[2]) <= Date.UTC(b[0], b[1] - 1, b[2]);
}

/** "số 116/KH-SCT ngày 07/01/2021" (also "19/2021/QĐ-UBND ngày 19/5/2021"); several joined by ";". */
export function isDocRef(s: string): boolean {
  const parts = s
    .normalize('NFC')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return false;
  return parts.every((p) => {
    const m = DOC_REF_RE.exec(p);
    return m !== null && parseDateVi(m[1]) !== undefined;
  });
}

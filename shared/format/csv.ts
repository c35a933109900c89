/**
 * One CSV cell, quoted, safe to open in a spreadsheet (OWASP "CSV injection"): a value that
 * starts with =, +, -, @, a tab or a carriage return would be read as a formula
 * (=HYPERLINK(…) can leak data or run a command), so it gets a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  const s = String(v ?? '');
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return `"${safe.replaceAll('"', '""')}"`;
}

/**
 * One CSV cell, quoted, safe to open in a spreadsheet (OWASP "CSV injection"): a value that
 * starts with =, +, -, @, a tab or a carriage return would be read as a formula
 * (=HYPERLINK(…) can leak data or run a command), so it gets a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The text with a leading apostrophe when a spreadsheet would read it as a formula. */
export function neutralizeFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

export function csvCell(v: unknown): string {
  return `"${neutralizeFormula(String(v ?? '')).replaceAll('"', '""')}"`;
}

/**
 * Numbers as the domain reads and computes them: Vietnamese-style integer parsing and exact
 * percentages. Display formatting ("16.075", "98,95 %", "05/07") is shared/format/vi.ts.
 */

/** Largest integer a submission may carry: 15 digits, so every accepted value is exact in a double. */
export const MAX_INTEGER = 999_999_999_999_999;

/**
 * A non-negative integer written as text: digits, or groups of three separated by dots
 * ("16.075") or by spaces ("16 075", also the no-break spaces a pasted number carries).
 * Empty or blank means "not entered". A comma is the Vietnamese decimal mark, never a separator.
 * This string is published in docs/submission-schema.json, so the server and the schema read
 * numbers with the same expression.
 */
export const VN_INTEGER_PATTERN = '^\\s*(?:\\d{1,15}|\\d{1,3}(?:\\.\\d{3}){1,4}|\\d{1,3}(?:[ \\u00a0\\u202f]\\d{3}){1,4})?\\s*$';
const VN_INTEGER_RE = new RegExp(VN_INTEGER_PATTERN, 'u');

/**
 * Parses a non-negative integer written as a number or Vietnamese-style string:
 * 16075, "16075", "16.075", "16 075". Returns undefined when it is not one (or is blank).
 */
export function parseIntegerVi(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= MAX_INTEGER ? v : undefined;
  if (typeof v !== 'string' || !VN_INTEGER_RE.test(v) || v.trim() === '') return undefined;
  return Number(v.replace(/[\s.]/gu, ''));
}

/** Percentage num/den rounded half up to 2 decimals, computed exactly; null when den is 0. */
export function percent(num: number, den: number): number | null {
  if (!den) return null;
  const n = BigInt(Math.round(num));
  const d = BigInt(Math.round(den));
  // round(num * 10000 / den) half up, in integers, then back to a 2-decimal percentage.
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 20000n + ad) / (2n * ad);
  const v = Number(q) / 100;
  return neg && v !== 0 ? -v : v;
}

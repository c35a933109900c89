/**
 * Numbers as the domain reads and computes them: Vietnamese-style integer parsing and exact
 * percentages. Display formatting ("16.075", "98,95 %", "05/07") is shared/format/vi.ts.
 */

/**
 * Parses a non-negative integer written as a number or Vietnamese-style string:
 * 16075, "16075", "16.075", "16 075". Returns undefined when it is not one.
 */
export function parseIntegerVi(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.normalize('NFC').replace(/[\s\u00a0\u202f]/g, '');
  if (/^\d+$/.test(s) || /^\d{1,3}(\.\d{3})+$/.test(s)) {
    const n = Number(s.replace(/\./g, ''));
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
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

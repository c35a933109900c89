/**
 * The receipt number a division is given for an accepted submission, the same on the page and
 * in the receipt email: "TN-" and the first 8 hex digits of the file's SHA-256, grouped.
 */
export function receiptNumber(rec: { sha256?: string; version?: number }): string {
  const h = (rec.sha256 ?? '').slice(0, 8).toUpperCase();
  return h ? `TN-${h.slice(0, 4)}-${h.slice(4)}` : `TN-${String(rec.version ?? 0).padStart(4, '0')}`;
}

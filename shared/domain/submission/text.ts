import { stripInvisible } from '../../format/clean-text';
import { formatInteger } from '../../format/vi';
import type { Column } from '../template';

/** Small helpers for the Vietnamese messages of the submission checks. */

export const q = (label: string) => `“${label}”`;
export const fmt = (n: number) => formatInteger(n);
/** NFC, trimmed, without zero-width and bidirectional control characters (a text of only those becomes empty). */
export const nfc = (s: string) => stripInvisible(s);

/** Short, safe description of any value for messages (never throws). */
export function show(v: unknown): string {
  try {
    if (typeof v === 'string') return `“${v.length > 40 ? `${v.slice(0, 40)}…` : v}”`;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'một danh sách';
    if (typeof v === 'object') return 'một đối tượng';
    return `giá trị kiểu ${typeof v}`;
  } catch {
    return 'giá trị không đọc được';
  }
}

export function columnLabel(c: Column): string {
  return c.group && c.label !== c.group ? `${c.group}: ${c.label}` : c.label;
}

/** "tables.x[0].y" from ["tables", "x", 0, "y"]. */
export function fieldOf(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

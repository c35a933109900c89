import type { Column, Indicator } from '../template';
import { fmt } from './text';

/**
 * Plausible ranges of the figures a division types: declared per indicator and integer column in
 * the template (`min`, `max`); a count without a declared ceiling gets DEFAULT_MAX_COUNT, so a
 * figure like 9.007.199.254.740.991 "hồ sơ" is refused for every template, bundled or future.
 * The bounds are published in docs/submission-schema.json (for numbers) and checked again here
 * after a text such as "16.075" is read, with one message for both.
 * No zod here: the browser form bundles this module.
 */

/** A quarter's count of one division above a million is a typing or export error, not a figure. */
export const DEFAULT_MAX_COUNT = 1_000_000;

export interface Bounds {
  min: number;
  max: number;
}

/** The range a value of this indicator or integer column must fall in. */
export function boundsOf(x: Pick<Indicator | Column, 'min' | 'max'>): Bounds {
  return { min: x.min ?? 0, max: x.max ?? DEFAULT_MAX_COUNT };
}

export const inBounds = (n: number, b: Bounds) => n >= b.min && n <= b.max;

/** "“Số kỳ …” phải từ 0 đến 1.000 kỳ; nhận được 5.000. …" — the label as the form shows it, the range, the value. */
export function rangeMessage(subject: string, b: Bounds, got: string, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  return `${subject} phải từ ${fmt(b.min)} đến ${fmt(b.max)}${u}; nhận được ${got}. Kiểm tra lại số đã nhập (có thể thừa chữ số).`;
}

/** How a value read from the form or a file shows in the message: grouped like the form ("9.007.199.254.740.991"). */
export function shownNumber(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isSafeInteger(v) ? fmt(v) : String(v);
  return typeof v === 'string' ? `“${v.trim().slice(0, 40)}”` : String(v);
}

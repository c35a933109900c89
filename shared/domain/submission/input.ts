import type { Violation } from './structure';

/**
 * The raw submission with its structure checked: every part that broke the schema is present
 * with the value `undefined` (its key kept, so ownership and unknown-code checks still see it;
 * its error already reported). The semantic checks read only this.
 */

export type Cell = string | number | null;
export type Entries<T> = Record<string, T | undefined>;

export interface CheckedInput {
  templateId?: string;
  division?: string;
  period?: string;
  indicators: Entries<number | string | null>;
  tables: Entries<Array<Entries<Cell> | undefined>>;
  /** A bare string is one item; null means not written. */
  narratives: Entries<Array<string | undefined> | null>;
  confirmations: Entries<string | null>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkedInput(raw: Obj, violations: Violation[]): CheckedInput {
  const exact = new Set(violations.map((v) => JSON.stringify(v.path)));
  const below = new Set(violations.flatMap((v) => v.path.map((_, i) => JSON.stringify(v.path.slice(0, i + 1)))));
  const broken = (...path: Array<string | number>) => exact.has(JSON.stringify(path));
  const brokenBelow = (...path: Array<string | number>) => below.has(JSON.stringify(path));
  const str = (k: string) => (!broken(k) && typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const section = (k: string): Obj => (Object.hasOwn(raw, k) && !broken(k) && isObj(raw[k]) ? (raw[k] as Obj) : {});
  const map = <T>(k: string, f: (key: string, v: unknown) => T | undefined): Entries<T> =>
    Object.fromEntries(Object.entries(section(k)).map(([key, v]) => [key, broken(k, key) ? undefined : f(key, v)]));

  return {
    templateId: str('templateId'),
    division: str('division'),
    period: str('period'),
    indicators: map('indicators', (key, v) => (brokenBelow('indicators', key) ? undefined : (v as number | string | null))),
    tables: map('tables', (t, rows) =>
      (rows as unknown[]).map((row, i) =>
        broken('tables', t, i)
          ? undefined
          : Object.fromEntries(Object.entries(row as Obj).map(([c, v]) => [c, brokenBelow('tables', t, i, c) ? undefined : (v as Cell)])),
      ),
    ),
    narratives: map('narratives', (n, v) => {
      if (v === null) return null;
      if (typeof v === 'string') return [v];
      return (v as unknown[]).map((item, i) => (broken('narratives', n, i) ? undefined : (item as string)));
    }),
    confirmations: map('confirmations', (r, v) => (brokenBelow('confirmations', r) ? undefined : (v as string | null))),
  };
}

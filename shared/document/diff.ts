/**
 * What changed between two versions of a document, as a reader sees it: paragraphs added and
 * removed (in document order) and tables whose figures changed. For the approver who returned or
 * approved an earlier draft and now reads the next one (issue 12, item 4).
 */
import type { DocumentModel, TableBlock } from './model';

export interface DocumentChanges {
  /** Paragraph texts only in the newer version. */
  added: string[];
  /** Paragraph texts only in the older version. */
  removed: string[];
  /** Labels of the tables present in both whose cells differ, or present in one only. */
  tables: string[];
}

const paragraphs = (m: DocumentModel) =>
  m.body
    .flatMap(({ block }) =>
      block.kind === 'paragraph' && block.role !== 'spacer'
        ? [
            block.runs
              .map((r) => r.text)
              .join('')
              .trim(),
          ]
        : [],
    )
    .filter((t) => t.length > 0);

const tableText = (t: TableBlock) => JSON.stringify(t.rows.map((r) => r.cells.map((c) => c.text)));

/** Longest common subsequence of two lists of strings: what stayed, so the rest was added or removed. */
function lcsKeep(a: string[], b: string[]): { keptA: boolean[]; keptB: boolean[] } {
  const n = a.length;
  const m = b.length;
  // One row per a-item: lengths of the common subsequence of a[i..] and b[j..].
  const len: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) len[i][j] = a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  const keptA = new Array<boolean>(n).fill(false);
  const keptB = new Array<boolean>(m).fill(false);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      keptA[i++] = true;
      keptB[j++] = true;
    } else if (len[i + 1][j] >= len[i][j + 1]) i++;
    else j++;
  }
  return { keptA, keptB };
}

export function documentChanges(before: DocumentModel, after: DocumentModel): DocumentChanges {
  const a = paragraphs(before);
  const b = paragraphs(after);
  const { keptA, keptB } = lcsKeep(a, b);
  const tablesOf = (m: DocumentModel) =>
    new Map(m.body.flatMap(({ block }) => (block.kind === 'table' ? [[block.id, block] as const] : [])));
  const ta = tablesOf(before);
  const tb = tablesOf(after);
  const tables = [...new Set([...ta.keys(), ...tb.keys()])]
    .filter((id) => {
      const x = ta.get(id);
      const y = tb.get(id);
      return !x || !y || tableText(x) !== tableText(y);
    })
    .map((id) => (tb.get(id) ?? ta.get(id))?.label ?? id);
  return { added: b.filter((_, i) => !keptB[i]), removed: a.filter((_, i) => !keptA[i]), tables };
}

export const hasChanges = (c: DocumentChanges) => c.added.length + c.removed.length + c.tables.length > 0;

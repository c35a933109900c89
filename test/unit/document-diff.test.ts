import { describe, expect, it } from 'vitest';
import { documentChanges, hasChanges } from '../../shared/document/diff';
import type { DocumentModel, Placed } from '../../shared/document/model';

const para = (text: string): Placed => ({ landscape: false, block: { kind: 'paragraph', role: 'body', runs: [{ text }] } });
const table = (id: string, cells: string[]): Placed => ({
  landscape: false,
  block: {
    kind: 'table',
    id,
    label: `Bảng ${id}`,
    columnWidths: [1],
    fontSizePt: 12,
    rows: cells.map((text) => ({ cells: [{ text, align: 'left' }] })),
  },
});
function doc(body: Placed[]): DocumentModel {
  return {
    mode: 'draft',
    draft: { version: 1 },
    header: { parentBody: 'P', agency: 'A', numberLine: 'Số:', dateLine: 'd' },
    title: { kind: 'BÁO CÁO', subject: 's' },
    addressee: 'Kính gửi: X.',
    body,
    signature: { recipients: [], lines: [], spaceCm: 3 },
    properties: { title: '', creator: '', description: '', custom: [] },
    warnings: [],
  };
}

describe('documentChanges', () => {
  it('finds added, removed and edited paragraphs in order, and tables whose cells changed', () => {
    const before = doc([para('a'), para('b'), table('t1', ['1']), para('c'), table('t2', ['x'])]);
    const after = doc([para('a'), para('b sửa'), table('t1', ['2']), para('c'), para('d'), table('t2', ['x'])]);
    expect(documentChanges(before, after)).toEqual({ added: ['b sửa', 'd'], removed: ['b'], tables: ['Bảng t1'] });
  });

  it('reports nothing for the same document, and a paragraph moved as removed and added', () => {
    const same = doc([para('a'), para('b')]);
    expect(hasChanges(documentChanges(same, doc([para('a'), para('b')])))).toBe(false);
    expect(documentChanges(same, doc([para('b'), para('a')]))).toEqual({ added: ['a'], removed: ['a'], tables: [] });
  });
});

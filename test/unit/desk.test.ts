import { describe, expect, it } from 'vitest';
import { applyDesk, type DeskRow, describeEdits, editFromRows } from '../../shared/domain/desk';
import { diffDrafts } from '../../shared/domain/draft-diff';
import type { AggregatedReport } from '../../shared/domain/report';

const A = 'Ban hành kế hoạch cải cách hành chính năm 2021 của Sở.';
const B = 'Tổ chức 02 lớp tập huấn về kiểm soát thủ tục hành chính.';
const C = 'Kiểm tra công tác cải cách hành chính tại 03 đơn vị trực thuộc.';
const D = 'Tuyên truyền trên Cổng thông tin điện tử của Sở.';

/** The rows the desk form posts for a narrative shown as `texts`, with changes per row. */
function rows(texts: string[], change: Record<number, Partial<DeskRow>> = {}): DeskRow[] {
  return texts.map((t, k) => ({ from: [t], text: t, order: k + 1, drop: false, merge: false, ...change[k] }));
}

describe('the editing desk: edits made from the form', () => {
  it('stores nothing for a narrative left as the divisions wrote it', () => {
    expect(editFromRows([A, B, C], rows([A, B, C]))).toBeUndefined();
  });

  it('orders by the "Thứ tự" boxes, keeps the wording that changed, merges into the item above and drops', () => {
    const edit = editFromRows(
      [A, B, C, D],
      rows([A, B, C, D], {
        0: { order: 3 },
        1: { text: 'Tổ chức hai lớp tập huấn về kiểm soát thủ tục hành chính.' },
        2: { order: 1 },
        3: { order: 4, merge: true },
      }),
    );
    // Sorted: C (1), B (2), A (3), D (4, merged into A).
    expect(edit).toEqual({
      items: [{ from: [C] }, { from: [B], text: 'Tổ chức hai lớp tập huấn về kiểm soát thủ tục hành chính.' }, { from: [A, D] }],
      dropped: [],
    });
    const dropped = editFromRows([A, B], rows([A, B], { 1: { drop: true } }));
    expect(dropped).toEqual({ items: [{ from: [A] }], dropped: [B] });
  });

  it('prints the edits: order, new wording, merged items, dropped items left out', () => {
    const edit = editFromRows(
      [A, B, C, D],
      rows([A, B, C, D], { 0: { order: 9 }, 1: { text: 'B mới.' }, 2: { merge: true }, 3: { drop: true } }),
    )!;
    const out = applyDesk({ x: [A, B, C, D], y: [D] }, { narratives: { x: edit } });
    expect(out.narratives.x).toEqual([`B mới. ${C}`, A]);
    expect(out.narratives.y).toEqual([D]);
    expect(out.flags).toEqual([]);
  });

  it('keeps the edits that still apply after a recompile and flags a changed, a vanished and a new item', () => {
    const edit = editFromRows(
      [A, B, C],
      rows([A, B, C], { 0: { text: 'A đã biên tập.' }, 1: { order: 0 }, 2: { text: 'C đã biên tập.' } }),
    )!;
    // A division reworded A, withdrew C and added D; B is unchanged.
    const A2 = 'Ban hành kế hoạch cải cách hành chính năm 2021 của Sở Công Thương.';
    const out = applyDesk({ x: [A2, B, D] }, { narratives: { x: edit } });
    expect(out.narratives.x).toEqual([B, A2, D]);
    expect(out.items.x.map((i) => i.flag)).toEqual([undefined, 'changed', 'added']);
    expect(out.flags).toEqual([
      { narrativeId: 'x', kind: 'changed', text: 'A đã biên tập.', now: A2 },
      { narrativeId: 'x', kind: 'vanished', text: 'C đã biên tập.' },
      { narrativeId: 'x', kind: 'added', text: D },
    ]);
  });

  it('does not apply a merge one of whose items vanished; the remaining item stays, unedited, where it was', () => {
    const edit = editFromRows([A, B], rows([A, B], { 1: { merge: true, text: 'gộp' } }))!;
    const out = applyDesk({ x: [A] }, { narratives: { x: edit } });
    expect(out.narratives.x).toEqual([A]);
    expect(out.flags.map((f) => f.kind)).toEqual(['vanished']);
  });

  it('keeps a dropped item on the desk (to take it back) but out of the document', () => {
    const edit = editFromRows([A, B], rows([A, B], { 0: { drop: true } }))!;
    const out = applyDesk({ x: [A, B] }, { narratives: { x: edit } });
    expect(out.narratives.x).toEqual([B]);
    expect(out.items.x).toEqual([
      { text: B, from: [B], edited: false },
      { text: A, from: [A], edited: false, dropped: true },
    ]);
    // Posting the desk back unchanged (the dropped row still ticked) is the same edit.
    expect(
      editFromRows(
        [A, B],
        [
          { from: [B], text: B, order: 1, drop: false, merge: false },
          { from: [A], text: A, order: 2, drop: true, merge: false },
        ],
      ),
    ).toEqual(edit);
  });

  it('flags the edits of a narrative that has no items any more', () => {
    const edit = editFromRows([A], rows([A], { 0: { text: 'A mới.' } }))!;
    const out = applyDesk({}, { narratives: { x: edit } });
    expect(out.flags).toEqual([{ narrativeId: 'x', kind: 'vanished', text: 'A mới.' }]);
  });

  it('says in plain Vietnamese what a version changed', () => {
    const edit = editFromRows([A, B, C], rows([A, B, C], { 0: { order: 5 }, 1: { text: 'B mới.' }, 2: { drop: true } }))!;
    expect(describeEdits({ x: edit }, { x: [A, B, C] }, () => 'Chỉ đạo, điều hành', ['“Căn cứ báo cáo”'])).toBe(
      'mục “Chỉ đạo, điều hành”: sửa 1 ý, bỏ 1, đổi thứ tự; thông tin của báo cáo: “Căn cứ báo cáo”',
    );
  });
});

describe('what changed between two drafts', () => {
  const report = (narratives: Record<string, string[]>, indicators: Record<string, number>, ratios: Record<string, number | null> = {}) =>
    ({ narratives, indicators, ratios }) as unknown as AggregatedReport;

  it('lists items added, removed and reworded, and the figures that changed', () => {
    const before = report({ x: [A, B, C] }, { hoSo: 100, tre: 2 }, { dungHan: 98 });
    const after = report(
      { x: [A, 'Tổ chức 03 lớp tập huấn về kiểm soát thủ tục hành chính.', D] },
      { hoSo: 120, tre: 2 },
      { dungHan: 98.5 },
    );
    const changes = diffDrafts(before, after);
    expect(changes.narratives).toEqual([
      {
        narrativeId: 'x',
        added: [D],
        removed: [C],
        edited: [{ before: B, after: 'Tổ chức 03 lớp tập huấn về kiểm soát thủ tục hành chính.' }],
      },
    ]);
    expect(changes.figures).toEqual([
      { kind: 'indicator', id: 'hoSo', before: 100, after: 120 },
      { kind: 'ratio', id: 'dungHan', before: 98, after: 98.5 },
    ]);
  });

  it('finds nothing between two identical drafts', () => {
    const r = report({ x: [A] }, { hoSo: 1 });
    expect(diffDrafts(r, structuredClone(r))).toEqual({ narratives: [], figures: [] });
  });
});

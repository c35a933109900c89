/**
 * The compiler's editing desk, pure: the narrative items of an aggregated report as the compiler
 * ordered, edited, merged or dropped them. An edit names the source items it was made from by
 * their text (aggregation merges and de-duplicates items, so a text is an item's identity); when a
 * later compile no longer has a source item (a division changed or withdrew it) the edit no
 * longer applies: it is left out and flagged for the compiler to review, never applied blindly.
 */

/** One item of an edited narrative, made of one or more source items (several: merged). */
export interface DeskItem {
  /** The source items' texts, in the order they were merged. */
  from: string[];
  /** The compiler's wording; absent when the item reads as its sources joined. */
  text?: string;
}

/** A narrative as the compiler left it: its items in order, and the source items dropped. */
export interface NarrativeEdit {
  items: DeskItem[];
  dropped: string[];
}

/** One saved version of a report's edits (each save is a new version; older ones are kept). */
export interface DeskEdits {
  version: number;
  savedBy: string;
  savedAt: string;
  /** Only the narratives the compiler changed. */
  narratives: Record<string, NarrativeEdit>;
  /** The report's own facts (template.reportFacts) as the compiler filled them at the desk. */
  facts?: Record<string, string>;
  /** Plain Vietnamese: what this version changed (the audit reads it). */
  summary: string;
}

/** Why an item needs the compiler's eye after a recompile. */
export type DeskFlagKind = 'changed' | 'vanished' | 'added';

export interface DeskFlag {
  narrativeId: string;
  kind: DeskFlagKind;
  /** The edited item as the compiler left it (changed, vanished) or the new item (added). */
  text: string;
  /** changed: the source item's new wording. */
  now?: string;
}

/** An item as the desk shows it: its text, what it is made of, and whether an edit shapes it. */
export interface ResultItem {
  text: string;
  from: string[];
  edited: boolean;
  flag?: DeskFlagKind;
  /** Dropped by the compiler: not printed, still shown on the desk (so it can be taken back). */
  dropped?: boolean;
}

export interface DeskResult {
  /** Every narrative's items after the edits (what the document prints). */
  narratives: Record<string, string[]>;
  /** Per narrative, the items with their provenance (the desk form). */
  items: Record<string, ResultItem[]>;
  flags: DeskFlag[];
}

const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
const joined = (from: string[]) => from.map(norm).join(' ');

function words(s: string): Set<string> {
  return new Set(
    norm(s)
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );
}

/** Share of words two texts have in common (Jaccard); 1 = the same words. */
export function similarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 && y.size === 0) return 1;
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return common / (x.size + y.size - common);
}

/** A new item this similar to a vanished one is that item reworded ("changed"), not a new one. */
export const CHANGED_SIMILARITY = 0.5;

/**
 * Applies the edits to the aggregated narratives. An item whose sources are all still there is
 * printed as edited; one with a source gone is not applied: its sources still there, and the new
 * wording of a changed one, stay in its place unedited and are flagged. Source items the edits do
 * not know (new since the edit) follow, flagged "added". Narratives without edits are unchanged.
 */
export function applyDesk(narratives: Record<string, string[]>, edits: Pick<DeskEdits, 'narratives'> | undefined): DeskResult {
  const out: DeskResult = { narratives: {}, items: {}, flags: [] };
  for (const [id, source] of Object.entries(narratives)) {
    const edit = edits?.narratives[id];
    const items: ResultItem[] = edit ? applyOne(id, source, edit, out.flags) : source.map((t) => ({ text: t, from: [t], edited: false }));
    out.items[id] = items;
    out.narratives[id] = items.filter((i) => !i.dropped).map((i) => i.text);
  }
  // Edits of a narrative the new aggregate no longer has at all: every item vanished.
  for (const [id, edit] of Object.entries(edits?.narratives ?? {})) {
    if (id in narratives) continue;
    for (const item of edit.items) out.flags.push({ narrativeId: id, kind: 'vanished', text: item.text ?? joined(item.from) });
  }
  return out;
}

function applyOne(id: string, source: string[], edit: NarrativeEdit, flags: DeskFlag[]): ResultItem[] {
  const byNorm = new Map(source.map((t) => [norm(t), t]));
  const used = new Set<string>();
  const take = (t: string) => {
    used.add(norm(t));
    return t;
  };
  const result: ResultItem[] = [];
  const dropped = edit.dropped.map((d) => byNorm.get(norm(d))).filter((d): d is string => d !== undefined);
  for (const d of dropped) used.add(norm(d));
  for (const item of edit.items) {
    const present = item.from.every((f) => byNorm.has(norm(f)) && !used.has(norm(f)));
    if (present) {
      const text = item.text ?? joined(item.from.map((f) => byNorm.get(norm(f)) ?? f));
      for (const f of item.from) take(byNorm.get(norm(f)) ?? f);
      result.push({ text, from: item.from.map((f) => byNorm.get(norm(f)) ?? f), edited: item.text !== undefined || item.from.length > 1 });
      continue;
    }
    // No longer applies: keep what is still there (unedited) where the compiler had put it.
    const was = item.text ?? joined(item.from);
    let reworded: string | undefined;
    for (const f of item.from) {
      const still = byNorm.get(norm(f));
      if (still && !used.has(norm(f))) {
        result.push({ text: take(still), from: [still], edited: false, flag: 'changed' });
        continue;
      }
      const successor = source.find((t) => !used.has(norm(t)) && similarity(t, f) >= CHANGED_SIMILARITY);
      if (successor) {
        reworded = take(successor);
        result.push({ text: successor, from: [successor], edited: false, flag: 'changed' });
      }
    }
    flags.push(
      reworded ? { narrativeId: id, kind: 'changed', text: was, now: reworded } : { narrativeId: id, kind: 'vanished', text: was },
    );
  }
  for (const t of source) {
    if (used.has(norm(t))) continue;
    used.add(norm(t));
    result.push({ text: t, from: [t], edited: false, flag: 'added' });
    flags.push({ narrativeId: id, kind: 'added', text: t });
  }
  for (const d of dropped) result.push({ text: d, from: [d], edited: false, dropped: true });
  return result;
}

/** One row of the desk form, as posted. */
export interface DeskRow {
  from: string[];
  text: string;
  /** Position the compiler gave (1-based); ties keep the form's order. */
  order: number;
  drop: boolean;
  /** Joins this item to the one above it (after ordering). */
  merge: boolean;
}

/**
 * The edit of one narrative from its posted rows: ordered, merged into the item above, dropped.
 * Undefined when the result reads exactly as the source (nothing to store for it).
 */
export function editFromRows(source: string[], rows: DeskRow[]): NarrativeEdit | undefined {
  const ordered = rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.order - b.r.order || a.i - b.i);
  const items: Array<{ from: string[]; text: string }> = [];
  const dropped: string[] = [];
  for (const { r } of ordered) {
    const text = norm(r.text);
    if (r.drop || !text) {
      dropped.push(...r.from);
      continue;
    }
    const above = items.at(-1);
    if (r.merge && above) {
      above.from.push(...r.from);
      above.text = `${above.text} ${text}`;
    } else items.push({ from: [...r.from], text });
  }
  const edit: NarrativeEdit = {
    items: items.map((i) => (i.text === joined(i.from) ? { from: i.from } : { from: i.from, text: i.text })),
    dropped,
  };
  const untouched =
    dropped.length === 0 &&
    edit.items.length === source.length &&
    edit.items.every((it, k) => it.text === undefined && it.from.length === 1 && norm(it.from[0]) === norm(source[k]));
  return untouched ? undefined : edit;
}

/** Counts of what an edit does, for the audit's sentence. */
export function editCounts(edit: NarrativeEdit, source: string[]) {
  const kept = edit.items.flatMap((i) => i.from.map(norm));
  const sourceOrder = source.map(norm).filter((t) => kept.includes(t));
  return {
    edited: edit.items.filter((i) => i.text !== undefined).length,
    merged: edit.items.filter((i) => i.from.length > 1).length,
    dropped: edit.dropped.length,
    reordered: kept.join('\n') !== sourceOrder.join('\n'),
  };
}

/** "mục “Chỉ đạo…”: sửa 1 ý, gộp 1, bỏ 2, đổi thứ tự" per narrative; facts named by label. */
export function describeEdits(
  edits: Record<string, NarrativeEdit>,
  sources: Record<string, string[]>,
  label: (narrativeId: string) => string,
  factsChanged: string[] = [],
): string {
  const parts = Object.entries(edits).map(([id, e]) => {
    const c = editCounts(e, sources[id] ?? []);
    const what = [
      c.edited ? `sửa ${c.edited} ý` : '',
      c.merged ? `gộp ${c.merged}` : '',
      c.dropped ? `bỏ ${c.dropped}` : '',
      c.reordered ? 'đổi thứ tự' : '',
    ].filter(Boolean);
    return `mục “${label(id)}”: ${what.join(', ') || 'giữ nguyên'}`;
  });
  if (factsChanged.length) parts.push(`thông tin của báo cáo: ${factsChanged.join(', ')}`);
  return parts.length ? parts.join('; ') : 'không còn chỉnh sửa nào (trở về nội dung tổng hợp)';
}

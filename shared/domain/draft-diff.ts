import { CHANGED_SIMILARITY, similarity } from './desk';
import type { AggregatedReport } from './report';

/**
 * What changed between two drafts of a report, as an approver who saw the first reads the second:
 * narrative items added, removed or reworded (paired by their words), figures changed. Pure:
 * computed from the two drafts' stored (edited) aggregated reports.
 */
export interface DraftChanges {
  narratives: Array<{ narrativeId: string; added: string[]; removed: string[]; edited: Array<{ before: string; after: string }> }>;
  figures: Array<{ kind: 'indicator' | 'ratio'; id: string; before: number | null; after: number | null }>;
}

export function diffDrafts(before: AggregatedReport, after: AggregatedReport): DraftChanges {
  const narratives: DraftChanges['narratives'] = [];
  const ids = [...new Set([...Object.keys(after.narratives), ...Object.keys(before.narratives)])];
  for (const id of ids) {
    const old = before.narratives[id] ?? [];
    const now = after.narratives[id] ?? [];
    let removed = old.filter((t) => !now.includes(t));
    let added = now.filter((t) => !old.includes(t));
    const edited: Array<{ before: string; after: string }> = [];
    for (const r of [...removed]) {
      const best = added
        .map((a) => ({ a, s: similarity(r, a) }))
        .filter((x) => x.s >= CHANGED_SIMILARITY)
        .sort((x, y) => y.s - x.s)[0];
      if (!best) continue;
      edited.push({ before: r, after: best.a });
      removed = removed.filter((x) => x !== r);
      added = added.filter((x) => x !== best.a);
    }
    if (added.length || removed.length || edited.length) narratives.push({ narrativeId: id, added, removed, edited });
  }
  const figures: DraftChanges['figures'] = [];
  for (const id of new Set([...Object.keys(after.indicators), ...Object.keys(before.indicators)])) {
    const b = before.indicators[id] ?? null;
    const a = after.indicators[id] ?? null;
    if (a !== b) figures.push({ kind: 'indicator', id, before: b, after: a });
  }
  for (const id of new Set([...Object.keys(after.ratios), ...Object.keys(before.ratios)])) {
    const b = before.ratios[id] ?? null;
    const a = after.ratios[id] ?? null;
    if (a !== b) figures.push({ kind: 'ratio', id, before: b, after: a });
  }
  return { narratives, figures };
}

export function hasChanges(c: DraftChanges): boolean {
  return c.narratives.length > 0 || c.figures.length > 0;
}

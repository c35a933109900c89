import { type DraftChanges, diffDrafts, hasChanges } from '../../domain/draft-diff';
import type { ReportTemplate } from '../../domain/template';
import { draftName } from '../../format/period-name';
import { formatNumber, formatPercent } from '../../format/vi';
import { html, type Raw } from '../../http/html';
import type { ApprovalLink, DeskStore, ReportRecord } from '../../ports';

/**
 * What changed since the draft this approver last decided on (after a return and a recompile):
 * computed from the reports kept beside the two drafts. Undefined when the approver has not
 * decided on an earlier draft, or an older draft kept no report.
 */
export async function changesSinceLastSeen(
  deps: { desk: Pick<DeskStore, 'getDraftReport'> },
  report: ReportRecord,
  link: Pick<ApprovalLink, 'approverEmail' | 'draftSha256' | 'draftVersion'>,
): Promise<{ seenVersion: number; changes: DraftChanges } | undefined> {
  const mine = report.decisions.filter((d) => d.decidedBy.endsWith(`<${link.approverEmail}>`) && d.draftSha256 !== link.draftSha256);
  const seen = report.drafts.find((d) => d.sha256 === mine.at(-1)?.draftSha256);
  if (!seen || seen.version >= link.draftVersion) return undefined;
  const [before, after] = await Promise.all([
    deps.desk.getDraftReport(report.reportId, seen.version),
    deps.desk.getDraftReport(report.reportId, link.draftVersion),
  ]);
  if (!before || !after) return undefined;
  return { seenVersion: seen.version, changes: diffDrafts(before, after) };
}

const narrativeLabel = (t: ReportTemplate, id: string) => t.narratives.find((n) => n.id === id)?.label ?? 'Nội dung khác';

/** The decision page's section: items added, removed, reworded; figures before → after, as printed. */
export function changesSection(template: ReportTemplate, found: { seenVersion: number; changes: DraftChanges } | undefined): Raw {
  if (!found) return html``;
  const { changes } = found;
  const heading = html`<h2>Thay đổi so với ${draftName(found.seenVersion).toLowerCase()} đồng chí đã cho ý kiến</h2>`;
  if (!hasChanges(changes)) return html`${heading}<p class="muted">Không có thay đổi về nội dung và số liệu chính.</p>`;
  const label = (kind: 'indicator' | 'ratio', id: string) =>
    (kind === 'ratio' ? template.ratios : template.indicators).find((x) => x.id === id)?.label ?? 'Chỉ tiêu khác';
  const value = (kind: 'indicator' | 'ratio', v: number | null) =>
    v === null ? 'không có' : kind === 'ratio' ? formatPercent(v) : formatNumber(v);
  return html`${heading}<div class="card changes" id="thay-doi">
${
  changes.figures.length
    ? html`<h3>Số liệu</h3><ul>${changes.figures.map(
        (f) => html`<li>${label(f.kind, f.id)}: <del>${value(f.kind, f.before)}</del> → <ins>${value(f.kind, f.after)}</ins></li>`,
      )}</ul>`
    : ''
}
${changes.narratives.map(
  (n) => html`<h3>${narrativeLabel(template, n.narrativeId)}</h3><ul>
${n.edited.map((e) => html`<li>Sửa: <del>${e.before}</del> → <ins>${e.after}</ins></li>`)}
${n.added.map((t) => html`<li>Thêm: <ins>${t}</ins></li>`)}
${n.removed.map((t) => html`<li>Bỏ: <del>${t}</del></li>`)}</ul>`,
)}</div>`;
}

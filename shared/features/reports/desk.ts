import type { Organization } from '../../config/schema';
import {
  applyDesk,
  type DeskEdits,
  type DeskResult,
  type DeskRow,
  describeEdits,
  editFromRows,
  type NarrativeEdit,
} from '../../domain/desk';
import type { AggregatedReport } from '../../domain/report';
import { checkReportFacts } from '../../domain/report-facts';
import { reportSubject } from '../../domain/report-subject';
import type { ReportTemplate } from '../../domain/template';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { publicUrl } from '../../http/url';
import type { AuditLog, BlobStore, Clock, DeskStore, Mailer, ReportRecord, ReportStore, StoredSubmission, Workflow } from '../../ports';
import { deskEmail } from './desk-email';
import { loadAggregate } from './pipeline';

/** The editing desk: the compiler shapes the narrative before the draft goes to the approvers. */
export interface DeskDeps {
  repo: Pick<ReportStore, 'getReport' | 'updateReport' | 'updateReportIf'> & Pick<AuditLog, 'appendReportAudit'>;
  desk: DeskStore;
  blobs: Pick<BlobStore, 'get'>;
  workflow: Pick<Workflow, 'succeed'>;
  mailer: Mailer;
  template: ReportTemplate;
  organization: Organization;
  baseUrl: string;
  now: Clock;
}

/** A narrative's name as people read it (its form label), never its id. */
export function narrativeLabel(template: ReportTemplate, id: string): string {
  return template.narratives.find((n) => n.id === id)?.label ?? 'Nội dung khác';
}

/** What the desk shows: the aggregate with the current edits applied, and what needs review. */
export interface DeskView {
  report: ReportRecord;
  aggregate: AggregatedReport;
  edits?: DeskEdits;
  result: DeskResult;
  versions: DeskEdits[];
}

export async function loadDesk(deps: Pick<DeskDeps, 'repo' | 'desk' | 'blobs'>, reportId: string): Promise<DeskView> {
  const report = await deps.repo.getReport(reportId);
  if (!report) throw new NotFoundError('Không tìm thấy báo cáo.');
  if (!report.aggregateKey) throw new ConflictError('Báo cáo chưa có số liệu tổng hợp; chưa thể biên tập.');
  const [aggregate, versions] = await Promise.all([loadAggregate(deps, report.aggregateKey), deps.desk.listDeskEdits(reportId)]);
  const edits = versions.at(-1);
  return { report, aggregate, edits, versions, result: applyDesk(aggregate.narratives, edits) };
}

/** A division's submission received after the report's figures were computed. */
export interface LaterSubmission {
  divisionId: string;
  periodId: string;
  version: number;
  submittedAt: string;
}

/**
 * Submissions the draft does not carry: a newer version, or a division the aggregate did not have.
 * Empty for reports aggregated before `aggregatedFrom` was kept (nothing to compare with).
 */
export function submissionsSinceAggregate(
  report: Pick<ReportRecord, 'aggregatedFrom'>,
  current: Array<Pick<StoredSubmission, 'divisionId' | 'periodId' | 'version' | 'submittedAt'>>,
): LaterSubmission[] {
  if (!report.aggregatedFrom) return [];
  const used = new Map(report.aggregatedFrom.map((s) => [`${s.periodId}/${s.divisionId}`, s.version]));
  return current
    .filter((s) => s.version > (used.get(`${s.periodId}/${s.divisionId}`) ?? 0))
    .map(({ divisionId, periodId, version, submittedAt }) => ({ divisionId, periodId, version, submittedAt }))
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
}

/** The aggregated report as the draft prints it: narratives with the stored edits applied. */
export async function editedReport(
  deps: { desk: Pick<DeskStore, 'currentDeskEdits'> },
  reportId: string,
  aggregate: AggregatedReport,
): Promise<AggregatedReport> {
  const edits = await deps.desk.currentDeskEdits(reportId);
  return edits ? { ...aggregate, narratives: applyDesk(aggregate.narratives, edits).narratives } : aggregate;
}

/**
 * AwaitDesk task (waitForTaskToken): the report waits at the desk; the compiler is mailed its link.
 * A retried invocation stores the newer token (the older one is no longer awaited).
 */
export async function requestDesk(deps: DeskDeps, input: { taskToken: string; reportId: string; periodId: string }) {
  const report = await deps.repo.getReport(input.reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${input.reportId}.`);
  const at = deps.now().toISOString();
  await deps.repo.updateReport(input.reportId, { status: 'editing', deskToken: input.taskToken, updatedAt: at });
  const view = await loadDesk(deps, input.reportId);
  const flags = view.result.flags.filter((f) => f.kind !== 'added').length;
  const to = [report.requestedBy.includes('@') ? report.requestedBy : deps.organization.compiler.email];
  await deps.mailer.send(
    deskEmail({
      to,
      subject: reportSubject(deps.template, input.periodId),
      draftNumber: report.drafts.length + 1,
      flags,
      deskUrl: publicUrl(deps.baseUrl, `/reports/${encodeURIComponent(input.reportId)}/desk`),
    }),
  );
  await deps.repo.appendReportAudit(input.reportId, {
    at,
    actor: 'system',
    action: 'desk.opened',
    detail: { draft: report.drafts.length + 1, flags, to },
  });
  return { flags };
}

/** The posted desk form, read into rows per narrative and facts (field names: see desk-page.ts). */
export function readDeskForm(form: URLSearchParams): { version: number; rows: Record<string, DeskRow[]>; facts: Record<string, string> } {
  const rows: Record<string, Array<DeskRow & { i: number }>> = {};
  const facts: Record<string, string> = {};
  for (const [name, value] of form) {
    const fact = /^fact:([\w-]+)$/.exec(name);
    if (fact) facts[fact[1]] = value;
    const m = /^n:([\w-]+):(\d+):text$/.exec(name);
    if (!m) continue;
    const [, id, i] = m;
    const field = (f: string) => form.get(`n:${id}:${i}:${f}`);
    let from: unknown;
    try {
      from = JSON.parse(field('from') ?? '[]');
    } catch {
      from = undefined;
    }
    if (!Array.isArray(from) || !from.every((x) => typeof x === 'string')) {
      throw new ValidationError('Biểu mẫu biên tập không hợp lệ (thiếu nguồn của một ý). Vui lòng tải lại trang. Chưa có thay đổi nào.');
    }
    const order = Number(field('order') ?? Number(i) + 1);
    if (!Number.isFinite(order)) throw new ValidationError(`Ô "Thứ tự" của ý thứ ${Number(i) + 1} phải là một số. Chưa có thay đổi nào.`);
    const list = rows[id] ?? [];
    rows[id] = list;
    list.push({ i: Number(i), from, text: value, order, drop: field('drop') === '1', merge: field('merge') === '1' });
  }
  const version = Number(form.get('version') ?? '0');
  const sorted = Object.fromEntries(Object.entries(rows).map(([id, r]) => [id, r.sort((a, b) => a.i - b.i)]));
  return { version: Number.isInteger(version) ? version : 0, rows: sorted, facts };
}

/**
 * Saves the desk as a new version (versioned, audited): the narratives' edits against the current
 * aggregate and the report's facts. `version` is the version the form was opened on: a save over
 * a newer one (another tab, another person) is refused, nothing is lost.
 */
export async function saveDesk(
  deps: DeskDeps,
  input: { reportId: string; actor: string; version: number; rows: Record<string, DeskRow[]>; facts: Record<string, string> },
): Promise<DeskEdits | undefined> {
  const view = await loadDesk(deps, input.reportId);
  if (view.report.status !== 'editing') throw new ConflictError('Báo cáo không còn ở bước biên tập; không lưu được. Chưa có thay đổi nào.');
  const current = view.edits?.version ?? 0;
  if (input.version !== current) {
    throw new ConflictError('Nội dung vừa được lưu ở một nơi khác. Vui lòng tải lại trang để xem bản mới nhất. Chưa có thay đổi nào.');
  }
  const narratives: Record<string, NarrativeEdit> = {};
  for (const [id, rows] of Object.entries(input.rows)) {
    if (!(id in view.aggregate.narratives)) continue;
    const edit = editFromRows(view.aggregate.narratives[id], rows);
    if (edit) narratives[id] = edit;
  }
  const checked = checkReportFacts(deps.template, input.facts);
  const unknown = checked.errors.filter((e) => !e.startsWith('Chưa nhập'));
  if (unknown.length) throw new ValidationError(unknown.join(' '));
  const before = view.report.reportFacts ?? {};
  const factsChanged = deps.template.reportFacts
    .filter((f) => (before[f.id] ?? '') !== (checked.facts[f.id] ?? ''))
    .map((f) => `“${f.label}”`);
  // Nothing changed since the stored version: no new version, nothing to audit.
  const same = JSON.stringify(narratives) === JSON.stringify(view.edits?.narratives ?? {});
  if (same && !factsChanged.length) return view.edits;
  const at = deps.now().toISOString();
  const edits: DeskEdits = {
    version: current + 1,
    savedBy: input.actor,
    savedAt: at,
    narratives,
    facts: checked.facts,
    summary: describeEdits(narratives, view.aggregate.narratives, (id) => narrativeLabel(deps.template, id), factsChanged),
  };
  if (!(await deps.desk.saveDeskEdits(input.reportId, edits))) {
    throw new ConflictError('Nội dung vừa được lưu ở một nơi khác. Vui lòng tải lại trang để xem bản mới nhất. Chưa có thay đổi nào.');
  }
  if (factsChanged.length) await deps.repo.updateReport(input.reportId, { reportFacts: checked.facts, updatedAt: at });
  await deps.repo.appendReportAudit(input.reportId, {
    at,
    actor: input.actor,
    action: 'desk.saved',
    detail: { version: edits.version, summary: edits.summary },
  });
  return edits;
}

/** "Gửi phê duyệt": the desk releases the report; BuildDraft applies the stored edits. */
export async function sendFromDesk(deps: DeskDeps, input: { reportId: string; actor: string }) {
  const report = await deps.repo.getReport(input.reportId);
  if (!report) throw new NotFoundError('Không tìm thấy báo cáo.');
  if (report.status !== 'editing' || !report.deskToken) {
    throw new ConflictError('Báo cáo không ở bước biên tập; không có gì để gửi phê duyệt. Vui lòng tải lại trang.');
  }
  const at = deps.now().toISOString();
  const token = report.deskToken;
  // Two clicks (two tabs): only the one that still finds the token sends.
  const taken = await deps.repo.updateReportIf(
    input.reportId,
    { status: 'editing', deskToken: token },
    { status: 'compiling', deskToken: '', updatedAt: at },
  );
  if (!taken) throw new ConflictError('Báo cáo vừa được gửi phê duyệt ở một nơi khác. Vui lòng tải lại trang.');
  const edits = await deps.desk.currentDeskEdits(input.reportId);
  await deps.repo.appendReportAudit(input.reportId, {
    at,
    actor: input.actor,
    action: 'desk.sent',
    detail: { version: edits?.version ?? 0 },
  });
  await deps.workflow.succeed(token, { action: 'send', by: input.actor, edits: edits?.version ?? 0 });
  return taken;
}

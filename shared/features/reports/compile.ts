import { randomBytes } from 'node:crypto';
import type { Organization } from '../../config/schema';
import { parsePeriod } from '../../domain/periods';
import type { PeriodInfo, PeriodKind } from '../../domain/report';
import { checkReportFacts } from '../../domain/report-facts';
import type { ReportTemplate } from '../../domain/template';
import { ConflictError, ValidationError } from '../../errors';
import { log } from '../../log';
import type { AuditEntry, ReportRecord, ReportScope, ReportStatus } from '../../ports';
import type { ReportsDeps } from './ports';

/**
 * A report id people can read: organization, report type, period, UTC start time, random suffix
 * (`dongnai-sct.cchc.2021-20211216030000-ab12`); every pipeline task finds its scope in it.
 */
function newReportId(scope: { orgId: string; reportType: string }, periodId: string, now: Date): string {
  return `${scope.orgId}.${scope.reportType}.${periodId}-${now.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
}

const KIND_NAMES: Record<PeriodKind, string> = { quarter: 'quý', half: '6 tháng', 'nine-months': '9 tháng', year: 'năm' };

/** A report type compiled only for some kinds of period (kstt: quarters) refuses the others, in Vietnamese. */
export function checkPeriodKind(template: Pick<ReportTemplate, 'id' | 'periodKinds'>, period: PeriodInfo): void {
  if (!template.periodKinds || template.periodKinds.includes(period.kind)) return;
  throw new ValidationError(
    `Kỳ báo cáo (periodId) "${period.id}": loại báo cáo "${template.id}" chỉ lập theo ${template.periodKinds.map((k) => KIND_NAMES[k]).join(', ')}, không lập cho ${period.label}.`,
  );
}

/** Reports that no longer hold their period: a lock still naming one is stale (a missed release). */
const ENDED: ReportStatus[] = ['rejected', 'abandoned', 'timed_out', 'failed', 'superseded'];
const ORPHAN_LOCK_MS = 60_000;

/** The lock's scope: organization, report type (template) and period. */
export function reportScope(deps: Pick<ReportsDeps, 'organization' | 'template'>, periodId: string): ReportScope {
  return { orgId: deps.organization.id, templateId: deps.template.id, periodId };
}

/** A report type the organization does not compile, named by `field` ("reportType", "tham số type"). */
export function unknownReportType(org: Pick<Organization, 'agencyName' | 'reportTypes'>, value: unknown, field: string): ValidationError {
  return new ValidationError(
    `Loại báo cáo (${field}) "${String(value)}": ${org.agencyName} không lập loại báo cáo này. Các loại báo cáo của tổ chức: ${org.reportTypes.join(', ')}.`,
  );
}

/**
 * Creates the report record and starts the one pipeline definition for it. One active (or
 * released) report per organization, report type and period: a second compile is refused with
 * 409 unless the compiler asks to supersede the first.
 */
export async function startCompile(
  deps: ReportsDeps,
  input: {
    periodId?: unknown;
    requestedBy?: unknown;
    reportFacts?: unknown;
    supersede?: unknown;
    /** Optional: the report type the caller means; the deps were resolved for it (?type= or the body). */
    reportType?: unknown;
    gap?: { missing: string; reason: string };
    /** The editing desk before each draft goes to the approvers (the compile form's box; API: `desk: true`). */
    desk?: unknown;
  },
) {
  if (typeof input.periodId !== 'string' || !input.periodId) throw new ValidationError('Thiếu kỳ báo cáo (periodId).');
  if (input.reportType !== undefined && input.reportType !== deps.template.id) {
    throw unknownReportType(deps.organization, input.reportType, 'reportType');
  }
  const period = parsePeriod(input.periodId);
  checkPeriodKind(deps.template, period);
  // The compiler's report facts (e.g. this year's "căn cứ"), refused in Vietnamese when incomplete.
  // A request without them compiles; the draft marks what is missing.
  const facts = input.reportFacts === undefined ? { facts: {}, errors: [] } : checkReportFacts(deps.template, input.reportFacts);
  if (facts.errors.length) throw new ValidationError(facts.errors.join(' '));
  const supersede = input.supersede === true || input.supersede === 'true' || input.supersede === 'on';
  const now = deps.now();
  const reportId = newReportId({ orgId: deps.organization.id, reportType: deps.template.id }, period.id, now);
  const requestedBy = typeof input.requestedBy === 'string' ? input.requestedBy : deps.organization.compiler.email;
  const scope = reportScope(deps, period.id);
  const replaced = await takePeriod(deps, scope, reportId, period.label, supersede);
  await deps.repo.createReport({
    reportId,
    periodId: period.id,
    status: 'compiling',
    requestedBy,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    drafts: [],
    decisions: [],
    reportFacts: facts.facts,
    ...(input.desk === true || input.desk === '1' || input.desk === 'on' ? { desk: true } : {}),
    // The compiler confirmed compiling with submissions missing: the gap travels to pages and emails.
    ...(input.gap ? { gap: input.gap } : {}),
  });
  if (replaced) await supersedeReport(deps, replaced, reportId, requestedBy);
  let executionArn: string;
  try {
    executionArn = await deps.workflow.start(reportId, { reportId, periodId: period.id, requestedBy });
  } catch (err) {
    // Nothing runs for this report: it must not hold the period.
    const cause = 'Không khởi động được quy trình tổng hợp; vui lòng thử lại.';
    await deps.repo.updateReport(reportId, { status: 'failed', failure: { error: 'StartFailed', cause }, updatedAt: now.toISOString() });
    await deps.repo.unlockActiveReport(scope, reportId);
    throw err;
  }
  await deps.repo.updateReport(reportId, { executionArn });
  await deps.repo.appendReportAudit(reportId, {
    at: now.toISOString(),
    actor: requestedBy,
    action: 'report.compile_started',
    detail: { executionArn, ...(input.gap ? { gap: input.gap } : {}), ...(replaced ? { supersedes: replaced.reportId } : {}) },
  });
  return { reportId, executionArn, ...(replaced ? { superseded: replaced.reportId } : {}) };
}

const SUPERSEDE_HINT =
  'chọn "Thay thế báo cáo hiện có" khi tổng hợp (API: "supersede": true; dòng lệnh: --supersede); báo cáo cũ sẽ được đánh dấu "đã bị thay thế".';

/** Takes the period's lock for `reportId`; returns the live report it replaces (supersede), if any. */
async function takePeriod(
  deps: ReportsDeps,
  scope: ReportScope,
  reportId: string,
  label: string,
  supersede: boolean,
): Promise<ReportRecord | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const taken = await deps.repo.lockActiveReport(scope, reportId);
    if (taken.ok) return undefined;
    if (!taken.holder) continue; // released between our write and our read
    const holder = await deps.repo.getReport(taken.holder);
    // A lock without its report: the holder is being created right now, or crashed before (stale
    // after a minute). Never replace a fresh one: that is the "compile twice at once" race.
    const fresh = Date.now() - new Date(taken.lockedAt ?? 0).getTime() < ORPHAN_LOCK_MS;
    if (!holder && fresh) {
      throw new ConflictError(`Kỳ ${label} vừa được bắt đầu tổng hợp. Vui lòng tải lại trang để xem báo cáo mới.`);
    }
    const stale = !holder || ENDED.includes(holder.status);
    if (!stale && !supersede) {
      throw new ConflictError(
        holder.status === 'released'
          ? `Kỳ ${label} đã có báo cáo ${holder.reportId} được ban hành. Muốn tổng hợp lại kỳ này, ${SUPERSEDE_HINT}`
          : `Kỳ ${label} đang có báo cáo ${holder.reportId} chưa kết thúc; mỗi kỳ chỉ có một báo cáo đang xử lý. Muốn thay thế báo cáo đó, ${SUPERSEDE_HINT}`,
      );
    }
    const replacedLock = await deps.repo.lockActiveReport(scope, reportId, taken.holder);
    if (replacedLock.ok) return stale ? undefined : holder;
  }
  throw new ConflictError(`Kỳ ${label} vừa được một người khác bắt đầu tổng hợp. Vui lòng tải lại trang để xem báo cáo mới.`);
}

/** The replaced report stops: its execution ends, its pending links stop working, the audit says by whom. */
async function supersedeReport(deps: ReportsDeps, old: ReportRecord, by: string, actor: string) {
  const at = deps.now().toISOString();
  // A released report keeps its status and number; it only learns which report replaced it.
  await deps.repo.updateReport(old.reportId, {
    ...(old.status === 'released' ? {} : { status: 'superseded' as const }),
    supersededBy: by,
    updatedAt: at,
  });
  if (old.status !== 'released' && old.executionArn) {
    await deps.workflow.stop(old.executionArn, `Báo cáo đã được thay thế bởi ${by}.`).catch((err: unknown) => {
      log.warn('stopping a superseded execution failed', { reportId: old.reportId, error: String(err) });
    });
  }
  for (const link of await deps.repo.pendingApprovals()) {
    if (link.reportId === old.reportId) await deps.repo.consumeApprovalLink(link.linkHash, 'superseded');
  }
  await deps.repo.appendReportAudit(old.reportId, { at, actor, action: 'report.superseded', detail: { by } });
}

/** The report's audit trail, with the submissions of its quarters (who submitted what, when, which hash). */
export async function reportAudit(deps: Pick<ReportsDeps, 'repo'>, report: ReportRecord): Promise<AuditEntry[]> {
  const entries = (
    await Promise.all([
      deps.repo.listReportAudit(report.reportId),
      ...parsePeriod(report.periodId).quarters.map((q) => deps.repo.listPeriodAudit(q)),
    ])
  ).flat();
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** The periods the home page offers: every period of each year with data, and of the current year. */
export async function offeredPeriods(
  deps: Pick<ReportsDeps, 'repo' | 'now'> & { template?: Pick<ReportTemplate, 'periodKinds'> },
): Promise<string[]> {
  const years = [...new Set([...(await deps.repo.yearsWithData()), deps.now().getUTCFullYear()])].sort((a, b) => a - b);
  const kinds = deps.template?.periodKinds;
  return years
    .flatMap((y) => [`${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`, `${y}-H1`, `${y}-9M`, `${y}`])
    .filter((id) => !kinds || kinds.includes(parsePeriod(id).kind));
}

/** The object key of a report's file: the released document or its figures, or the latest draft. */
export function reportFileKey(report: ReportRecord, q: { format?: string; draft?: boolean; version?: number }): string | undefined {
  const format = q.format ?? 'docx';
  // A named version (the draft views link each one), else the latest.
  const draft = q.draft ? (q.version ? report.drafts.find((d) => d.version === q.version) : report.drafts.at(-1)) : undefined;
  if (q.draft && q.version && !draft) return undefined;
  if (draft) return format === 'docx' ? draft.key : undefined;
  if (format === 'docx') return report.release?.key;
  return format === 'json' || format === 'xlsx' ? report.release?.exports?.[format] : undefined;
}

import { ConflictError, NotFoundError } from '../../errors';
import type { AuditLog, Clock, DraftRef, ReportRecord, ReportStatus, ReportStore, Workflow } from '../../ports';

/**
 * A report's progress lives in its record; an execution is a worker that can be replaced. A new
 * execution started with `{ reportId, resume: true }` asks ResumeReport (resumePoint) where to
 * enter: the approval planner (keeping the approvals of the current draft), AwaitRevision,
 * the processing stage, or the signing stage.
 */
export interface ResumeDeps {
  repo: Pick<ReportStore, 'getReport' | 'updateReport'> & Pick<AuditLog, 'appendReportAudit'>;
  workflow: Pick<Workflow, 'start' | 'describe'>;
  now: Clock;
}

/** Reports that ended for good: nothing to resume. `failed` is not among them: a failed task can be retried. */
const CLOSED: ReportStatus[] = ['released', 'rejected', 'abandoned', 'timed_out'];
/** Reports a worker should be carrying: after a local restart each is resumed. */
export const OPEN_STATUSES: ReportStatus[] = ['compiling', 'editing', 'awaiting_approval', 'returned'];

export type ResumeAt = 'processing' | 'approval' | 'revision' | 'signing' | 'none';

export interface ResumePoint {
  resumeAt: ResumeAt;
  periodId: string;
  requestedBy: string;
  /** The current draft (the approval planner and Release read it at $.draft.Payload). */
  draft: DraftRef | null;
  /** The event the entered state expects at $.event. */
  event: Record<string, unknown>;
}

/** ResumeReport task: where the record says the report stands. */
export async function resumePoint(deps: Pick<ResumeDeps, 'repo'>, reportId: string): Promise<ResumePoint> {
  const report = await deps.repo.getReport(reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${reportId}.`);
  const draft = report.drafts.at(-1) ?? null;
  const base = { periodId: report.periodId, requestedBy: report.requestedBy, draft };
  if (CLOSED.includes(report.status)) return { ...base, resumeAt: 'none', event: {} };
  const returned = draft
    ? [...report.decisions].reverse().find((d) => d.decision === 'return' && d.draftSha256 === draft.sha256)
    : undefined;
  if (report.status === 'returned' && returned) {
    return { ...base, resumeAt: 'revision', event: { Error: 'Rejected', Cause: returned.comment ?? '' } };
  }
  // No draft yet, or the current one was given back (a recompile was asked for): build the next draft.
  if (!draft || returned) return { ...base, resumeAt: 'processing', event: {} };
  // Every approval given and the signing begun: SignDocument reads where it stands (person, văn thư, stalled).
  if (report.signing) return { ...base, resumeAt: 'signing', event: { resume: true } };
  return { ...base, resumeAt: 'approval', event: { resume: true } };
}

/** Is the report's current execution still at work? An unknown execution is not. */
async function running(deps: Pick<ResumeDeps, 'workflow'>, report: ReportRecord): Promise<boolean> {
  if (!report.executionArn) return false;
  const info = await deps.workflow.describe(report.executionArn).catch(() => undefined);
  return info?.status === 'RUNNING';
}

/**
 * Starts a new execution for a report, from its record: after a local restart, after a failed
 * task (operator action), or in place of an execution near its time limit (`from` = that
 * execution, which is still running). The execution name is derived from the count of resumes,
 * so a retried call finds the execution it already started instead of starting a second one.
 */
export async function resumeReport(
  deps: ResumeDeps,
  input: { reportId: string; actor: string; reason: 'restart' | 'operator' | 'continue'; from?: string },
): Promise<{ reportId: string; executionArn: string }> {
  const report = await deps.repo.getReport(input.reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${input.reportId}.`);
  if (CLOSED.includes(report.status)) {
    throw new ConflictError(`Báo cáo ${input.reportId} đã kết thúc (${report.status}); không thể tiếp tục.`);
  }
  if (input.from) {
    // A retried ContinueAsNew whose new execution is already recorded: nothing more to start.
    if (report.executionArn && report.executionArn !== input.from) return { reportId: report.reportId, executionArn: report.executionArn };
  } else if (await running(deps, report)) {
    throw new ConflictError(`Quy trình của báo cáo ${input.reportId} đang chạy; không cần tiếp tục.`);
  }
  const resumes = (report.resumes ?? 0) + 1;
  const executionArn = await deps.workflow.start(`${report.reportId}-r${resumes}`, {
    reportId: report.reportId,
    periodId: report.periodId,
    requestedBy: report.requestedBy,
    resume: true,
  });
  const at = deps.now().toISOString();
  await deps.repo.updateReport(report.reportId, { executionArn, resumes, updatedAt: at });
  await deps.repo.appendReportAudit(report.reportId, {
    at,
    actor: input.actor,
    action: input.reason === 'continue' ? 'report.continued' : 'report.resumed',
    detail: { executionArn, previous: report.executionArn, reason: input.reason, status: report.status },
  });
  return { reportId: report.reportId, executionArn };
}

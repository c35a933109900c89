import type { ActiveReportLock, AuditLog, Clock, ReportRecord, ReportStatus, ReportStore } from '../../ports';
import { failureText } from './failure-text';
import type { RunInput } from './pipeline';

const FAILURE_STATUS: Record<string, ReportStatus> = {
  Rejected: 'rejected',
  Abandoned: 'abandoned',
  'States.Timeout': 'timed_out',
  RevisionTimedOut: 'timed_out',
  NumberTimedOut: 'timed_out',
  DeskTimedOut: 'timed_out',
};

const TERMINAL_EXECUTION: Record<string, ReportStatus> = { FAILED: 'failed', TIMED_OUT: 'timed_out', ABORTED: 'failed' };
const OPEN_REPORT: ReportStatus[] = ['compiling', 'editing', 'awaiting_approval', 'returned'];

interface LifecycleDeps {
  repo: Pick<ReportStore, 'updateReport' | 'getReport'> & AuditLog & Pick<ActiveReportLock, 'unlockActiveReport'>;
  now: Clock;
  organization: { id: string };
  template: { id: string };
}

/** A report that ended without release frees its period for a new compile (a released one keeps it). */
function unlockPeriod(deps: LifecycleDeps, reportId: string, periodId: string) {
  return deps.repo.unlockActiveReport({ orgId: deps.organization.id, templateId: deps.template.id, periodId }, reportId);
}

/**
 * An execution can end without passing RecordFailure (the state machine's own timeout, a manual
 * stop, a local restart): when it has, the report says so instead of waiting forever.
 */
export async function reconcileReport(
  deps: LifecycleDeps,
  report: ReportRecord,
  execution: { status: string; error?: string; cause?: string } | undefined,
): Promise<ReportRecord> {
  const status = execution && TERMINAL_EXECUTION[execution.status];
  if (!status || !OPEN_REPORT.includes(report.status)) return report;
  const at = deps.now().toISOString();
  const failure = { error: execution.error || execution.status, cause: execution.cause || 'Quy trình đã kết thúc ngoài dự kiến.' };
  await deps.repo.appendReportAudit(report.reportId, { at, actor: 'system', action: `report.${status}`, detail: failure });
  const updated = await deps.repo.updateReport(report.reportId, { status, failure, updatedAt: at });
  await unlockPeriod(deps, report.reportId, report.periodId);
  return updated;
}

/** Catch-all task: whatever ended the run, the report says so, with the cause kept. */
export async function recordFailure(deps: LifecycleDeps, input: RunInput & { error?: { Error?: string; Cause?: string } }) {
  const error = input.error?.Error ?? 'Unknown';
  // A superseded report was stopped on purpose: whatever its last task reports, it stays superseded.
  if ((await deps.repo.getReport(input.reportId))?.status === 'superseded') return { status: 'superseded' };
  const failure = { error, ...failureText(error, causeText(input.error?.Cause)) };
  const status = FAILURE_STATUS[error] ?? 'failed';
  const at = deps.now().toISOString();
  await deps.repo.updateReport(input.reportId, { status, failure, updatedAt: at });
  await deps.repo.appendReportAudit(input.reportId, { at, actor: 'system', action: `report.${status}`, detail: failure });
  await unlockPeriod(deps, input.reportId, input.periodId);
  return { status };
}

/** Lambda errors arrive as a JSON string {errorType, errorMessage}; task failures as plain text. */
function causeText(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}

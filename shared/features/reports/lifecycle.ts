import type { AuditLog, Clock, ReportRecord, ReportStatus, ReportStore } from '../../ports';
import { failureText } from './failure-text';
import type { RunInput } from './pipeline';

const FAILURE_STATUS: Record<string, ReportStatus> = {
  Rejected: 'rejected',
  'States.Timeout': 'timed_out',
  RevisionTimedOut: 'timed_out',
  NumberTimedOut: 'timed_out',
};

const TERMINAL_EXECUTION: Record<string, ReportStatus> = { FAILED: 'failed', TIMED_OUT: 'timed_out', ABORTED: 'failed' };
const OPEN_REPORT: ReportStatus[] = ['compiling', 'awaiting_approval', 'returned'];

/**
 * An execution can end without passing RecordFailure (the state machine's own timeout, a manual
 * stop, a local restart): when it has, the report says so instead of waiting forever.
 */
export async function reconcileReport(
  deps: { repo: Pick<ReportStore, 'updateReport'> & AuditLog; now: Clock },
  report: ReportRecord,
  execution: { status: string; error?: string; cause?: string } | undefined,
): Promise<ReportRecord> {
  const status = execution && TERMINAL_EXECUTION[execution.status];
  if (!status || !OPEN_REPORT.includes(report.status)) return report;
  const at = deps.now().toISOString();
  const failure = { error: execution.error || execution.status, cause: execution.cause || 'Quy trình đã kết thúc ngoài dự kiến.' };
  await deps.repo.appendReportAudit(report.reportId, { at, actor: 'system', action: `report.${status}`, detail: failure });
  return deps.repo.updateReport(report.reportId, { status, failure, updatedAt: at });
}

/** Catch-all task: whatever ended the run, the report says so, with the cause kept. */
export async function recordFailure(
  deps: { repo: Pick<ReportStore, 'updateReport'> & AuditLog; now: Clock },
  input: RunInput & { error?: { Error?: string; Cause?: string } },
) {
  const error = input.error?.Error ?? 'Unknown';
  const failure = { error, ...failureText(error, causeText(input.error?.Cause)) };
  const status = FAILURE_STATUS[error] ?? 'failed';
  const at = deps.now().toISOString();
  await deps.repo.updateReport(input.reportId, { status, failure, updatedAt: at });
  await deps.repo.appendReportAudit(input.reportId, { at, actor: 'system', action: `report.${status}`, detail: failure });
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

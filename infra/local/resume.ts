/**
 * `npm start` carries waiting reports on by itself: the executions of the previous run were
 * aborted with the process (they lived in memory), but each report's progress is in its record.
 * Every report in an open state whose execution is not running gets a new execution that enters
 * where the record says (issue 10 §4). Every organization's: each report id names its scope.
 */
import { reportDeps } from '../../shared/adapters/wiring';
import { OPEN_STATUSES, resumeReport } from '../../shared/features/reports/resume';
import type { LocalStepFunctions } from './sfn';

export async function resumeWaitingReports(sfn: LocalStepFunctions, log: (line: string) => void): Promise<string[]> {
  const executions = sfn.listExecutions();
  // Every report ever started locally has an execution whose input names it.
  const reportIds = new Set(
    executions.map((e) => (e.input as { reportId?: unknown } | undefined)?.reportId).filter((id): id is string => typeof id === 'string'),
  );
  const running = new Set(executions.filter((e) => e.status === 'RUNNING').map((e) => e.executionArn));
  const resumed: string[] = [];
  for (const reportId of reportIds) {
    try {
      const deps = await reportDeps(reportId);
      const report = await deps.repo.getReport(reportId);
      if (!report || !OPEN_STATUSES.includes(report.status)) continue;
      if (report.executionArn && running.has(report.executionArn)) continue;
      await resumeReport(deps, { reportId, actor: 'system', reason: 'restart' });
      resumed.push(reportId);
      log(`Tiếp tục báo cáo ${reportId} (trạng thái ${report.status}) sau khi khởi động lại`);
    } catch (err) {
      log(`Không tiếp tục được báo cáo ${reportId}: ${(err as Error)?.message ?? err}`);
    }
  }
  return resumed;
}

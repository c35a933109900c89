import { randomBytes } from 'node:crypto';
import { parsePeriod } from '../../domain/periods';
import { checkReportFacts } from '../../domain/report-facts';
import { ValidationError } from '../../errors';
import type { AuditEntry, ReportRecord } from '../../ports';
import type { ReportsDeps } from './ports';

/**
 * A report id people can read: organization, report type, period, UTC start time, random suffix
 * (`dongnai-sct.cchc.2021-20211216030000-ab12`); every pipeline task finds its scope in it.
 */
function newReportId(scope: { orgId: string; reportType: string }, periodId: string, now: Date): string {
  return `${scope.orgId}.${scope.reportType}.${periodId}-${now.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
}

/** Creates the report record and starts the one pipeline definition for it. */
export async function startCompile(deps: ReportsDeps, input: { periodId?: unknown; requestedBy?: unknown; reportFacts?: unknown }) {
  if (typeof input.periodId !== 'string' || !input.periodId) throw new ValidationError('Thiếu kỳ báo cáo (periodId).');
  const period = parsePeriod(input.periodId);
  // The compiler's report facts (e.g. this year's "căn cứ"), refused in Vietnamese when incomplete.
  // A request without them compiles; the draft marks what is missing.
  const facts = input.reportFacts === undefined ? { facts: {}, errors: [] } : checkReportFacts(deps.template, input.reportFacts);
  if (facts.errors.length) throw new ValidationError(facts.errors.join(' '));
  const now = deps.now();
  const reportId = newReportId({ orgId: deps.organization.id, reportType: deps.template.id }, period.id, now);
  const requestedBy = typeof input.requestedBy === 'string' ? input.requestedBy : deps.organization.compiler.email;
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
  });
  const executionArn = await deps.workflow.start(reportId, { reportId, periodId: period.id, requestedBy });
  await deps.repo.updateReport(reportId, { executionArn });
  await deps.repo.appendReportAudit(reportId, {
    at: now.toISOString(),
    actor: requestedBy,
    action: 'report.compile_started',
    detail: { executionArn },
  });
  return { reportId, executionArn };
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
export async function offeredPeriods(deps: Pick<ReportsDeps, 'repo' | 'now'>): Promise<string[]> {
  const years = [...new Set([...(await deps.repo.yearsWithData()), deps.now().getUTCFullYear()])].sort((a, b) => a - b);
  return years.flatMap((y) => [`${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`, `${y}-H1`, `${y}-9M`, `${y}`]);
}

/** The object key of a report's file: the released document or its figures, or the latest draft. */
export function reportFileKey(report: ReportRecord, q: { format?: string; draft?: boolean }): string | undefined {
  const format = q.format ?? 'docx';
  const draft = q.draft ? report.drafts.at(-1) : undefined;
  if (draft) return format === 'docx' ? draft.key : undefined;
  if (format === 'docx') return report.release?.key;
  return format === 'json' || format === 'xlsx' ? report.release?.exports?.[format] : undefined;
}

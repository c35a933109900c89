import { chainFor } from '../../config/schema';
import { sha256 } from '../../crypto';
import { aggregate } from '../../domain/aggregate';
import { MAX_DRAFTS } from '../../domain/approval-plan';
import { parsePeriod } from '../../domain/periods';
import type { AggregatedReport, PeriodInfo } from '../../domain/report';
import { ValidationError } from '../../errors';
import type { BlobStore } from '../../ports';
import type { PipelineDeps } from './ports';
export interface RunInput {
  reportId: string;
  periodId: string;
  requestedBy?: string;
}

/** Step 3 (the .docx) is in ./draft.ts: only build-docx carries the document builder. */
export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Step 1: is there anything to compile, and what does the approval chain look like. */
export async function validateRun(deps: PipelineDeps, input: RunInput) {
  const period = parsePeriod(input.periodId);
  const subs = await deps.repo.currentSubmissions(period.quarters);
  if (subs.length === 0) {
    throw new ValidationError(`Chưa có đơn vị nào nộp số liệu cho kỳ ${period.label}; chưa thể tổng hợp.`);
  }
  const record = await deps.repo.getReport(input.reportId);
  if (record && record.drafts.length >= MAX_DRAFTS) {
    throw new ValidationError(`Báo cáo đã có ${MAX_DRAFTS} dự thảo; không tổng hợp thêm.`);
  }
  const submitted = [...new Set(subs.map((s) => s.divisionId))];
  const missing = deps.organization.divisions.map((d) => d.id).filter((id) => !submitted.includes(id));
  await deps.repo.updateReport(input.reportId, { status: 'compiling', updatedAt: deps.now().toISOString() });
  return {
    periodId: period.id,
    submissions: subs.length,
    divisionsSubmitted: submitted,
    divisionsMissing: missing,
    stepCount: chainFor(deps.organization, deps.template.id).length,
  };
}

/** Step 2: aggregate the period's current submissions into the report's figures. */
export async function aggregateRun(deps: PipelineDeps, input: RunInput) {
  const period = parsePeriod(input.periodId);
  const subs = await deps.repo.currentSubmissions(period.quarters);
  const timed = (list: typeof subs) => list.map((s) => ({ submission: s.submission, submittedAt: s.submittedAt }));
  // The same period of the previous year, for the template's {compare:…} sentences: aggregated
  // from that year's submissions through the same port; absent (no sentence printed) when nobody
  // submitted then, e.g. the first year on the system.
  const previousPeriod = previousYearPeriod(period);
  const previousSubs = previousPeriod ? await deps.repo.currentSubmissions(previousPeriod.quarters) : [];
  const previous =
    previousPeriod && previousSubs.length > 0
      ? aggregate(deps.template, deps.organization, previousPeriod, timed(previousSubs))
      : undefined;
  const report = aggregate(deps.template, deps.organization, period, timed(subs), { previous });
  const body = JSON.stringify(report, null, 2);
  const key = `drafts/${input.reportId}/aggregate.json`;
  await deps.blobs.put(key, body, 'application/json');
  const aggregatedFrom = subs.map((s) => ({ divisionId: s.divisionId, periodId: s.periodId, version: s.version }));
  const record = await deps.repo.updateReport(input.reportId, { aggregateKey: key, aggregatedFrom, updatedAt: deps.now().toISOString() });
  // `desk`: the compiler asked for the editing desk (DeskWanted? in the state machine).
  return { key, sha256: sha256(body), desk: record.desk === true };
}

/** "2021-Q3" → "2020-Q3", "2021" → "2020"; undefined before the first year periods allow. */
function previousYearPeriod(period: PeriodInfo): PeriodInfo | undefined {
  try {
    return parsePeriod(String(period.year - 1) + period.id.slice(4));
  } catch {
    return undefined;
  }
}

export async function loadAggregate(deps: { blobs: Pick<BlobStore, 'get'> }, key: string): Promise<AggregatedReport> {
  return JSON.parse((await deps.blobs.get(key)).toString('utf8')) as AggregatedReport;
}

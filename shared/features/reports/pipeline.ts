import { chainFor } from '../../config/schema';
import { sha256 } from '../../crypto';
import { buildDocument } from '../../document/build';
import { renderDocx, reportFileName } from '../../docx/render';
import { aggregate } from '../../domain/aggregate';
import { MAX_DRAFTS } from '../../domain/approval-plan';
import { parsePeriod } from '../../domain/periods';
import type { AggregatedReport, PeriodInfo } from '../../domain/report';
import { ValidationError } from '../../errors';
import type { BlobStore, DraftRef } from '../../ports';
import { editedReport } from './desk';
import type { PipelineDeps } from './ports';
export interface RunInput {
  reportId: string;
  periodId: string;
  requestedBy?: string;
}

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
  const record = await deps.repo.updateReport(input.reportId, { aggregateKey: key, updatedAt: deps.now().toISOString() });
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

/** Step 3: render the draft .docx (DỰ THẢO, next version) into drafts/. */
export async function buildDraft(deps: PipelineDeps, input: RunInput & { aggregate: { key: string } }): Promise<DraftRef> {
  const record = await deps.repo.getReport(input.reportId);
  if (!record) throw new ValidationError(`Không tìm thấy báo cáo ${input.reportId}.`);
  // The compiler's desk edits (order, wording, merges, drops) applied; stale ones are left out.
  const report = await editedReport(deps, input.reportId, await loadAggregate(deps, input.aggregate.key));
  const version = record.drafts.length + 1;
  const model = buildDocument({
    template: deps.template,
    report,
    organization: deps.organization,
    mode: 'draft',
    version,
    reportFacts: record.reportFacts, // report facts stored at compile start
    gapNote: record.gap?.missing, // the compiler compiled with submissions missing
  });
  const doc = await renderDocx(model);
  const fileName = reportFileName({
    periodId: input.periodId,
    mode: 'draft',
    version,
    year: report.period.year,
    // names from data (report type, organization's document code)
    templateId: deps.template.slug ?? deps.template.id,
    documentCode: deps.organization.documentCode,
  });
  const key = `drafts/${input.reportId}/v${version}/${fileName}`;
  await deps.blobs.put(key, doc, DOCX_CONTENT_TYPE);
  // The model beside the .docx: the decision page and the draft view show this very document.
  await deps.blobs.putModel(key, model);
  // Beside the draft, the report it printed: release prints the same, "what changed" compares them.
  await deps.desk.putDraftReport(input.reportId, version, report);
  const draft: DraftRef = { version, key, sha256: sha256(doc), fileName, createdAt: deps.now().toISOString() };
  await deps.repo.updateReport(input.reportId, { drafts: [...record.drafts, draft], updatedAt: draft.createdAt });
  await deps.repo.appendReportAudit(input.reportId, {
    at: draft.createdAt,
    actor: 'system',
    action: 'draft.built',
    detail: { version, key, sha256: draft.sha256 },
  });
  return draft;
}

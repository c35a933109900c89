import { sha256 } from '../../crypto';
import { ValidationError } from '../../errors';
import type { DraftRef } from '../../ports';
import { editedReport } from './desk';
import { DOCX_CONTENT_TYPE, loadAggregate, type RunInput } from './pipeline';
import type { PipelineDeps } from './ports';

/** Step 3: render the draft .docx (DỰ THẢO, next version) into drafts/. */
export async function buildDraft(deps: PipelineDeps, input: RunInput & { aggregate: { key: string } }): Promise<DraftRef> {
  const record = await deps.repo.getReport(input.reportId);
  if (!record) throw new ValidationError(`Không tìm thấy báo cáo ${input.reportId}.`);
  // The compiler's desk edits (order, wording, merges, drops) applied; stale ones are left out.
  const report = await editedReport(deps, input.reportId, await loadAggregate(deps, input.aggregate.key));
  const version = record.drafts.length + 1;
  // Loaded on first use, so the function's module init stays within its budget (ADR 0046).
  const [{ buildDocument }, { renderDocx, reportFileName }] = await Promise.all([
    import('../../document/build'),
    import('../../docx/render'),
  ]);
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

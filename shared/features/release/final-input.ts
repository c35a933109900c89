import type { RenderInput } from '../../document/input';
import type { AggregatedReport } from '../../domain/report';
import type { BlobStore, ReportNumbering, ReportRecord } from '../../ports';
import { loadAggregate } from '../reports/pipeline';
import type { ReleaseDeps } from './ports';

/*
 * What the released document prints, apart from the builders that print it: the person's signing
 * step renders the PDF from the same input without carrying the .docx/.xlsx builders' chunks.
 */

/** The approved draft's report (the compiler's desk edits applied); older drafts: the aggregate. The .docx and the signed PDF both print it. */
export async function approvedReport(
  deps: Pick<ReleaseDeps, 'desk'> & { blobs: Pick<BlobStore, 'get'> },
  record: ReportRecord,
): Promise<AggregatedReport> {
  const approved = record.drafts.at(-1);
  return (
    (approved && (await deps.desk.getDraftReport(record.reportId, approved.version))) ??
    (await loadAggregate(deps, record.aggregateKey ?? ''))
  );
}

/** What the final document is rendered from (.docx here, the signed PDF in features/signing): the same input, so both show the same text. */
export function finalRenderInput(
  deps: Pick<ReleaseDeps, 'template' | 'organization'>,
  record: ReportRecord,
  numbering: ReportNumbering,
  report: AggregatedReport,
): RenderInput {
  return {
    template: deps.template,
    report,
    organization: deps.organization,
    mode: 'final',
    version: record.drafts.length,
    number: numbering.number,
    issuedAt: new Date(numbering.issuedAt),
    reportFacts: record.reportFacts, // report facts stored at compile start
    approvals: record.decisions
      .filter((d) => d.decision === 'approve')
      .map((d) => ({ role: d.role, name: d.decidedBy, decidedAt: d.decidedAt })),
  };
}

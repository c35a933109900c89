/**
 * The sample department's 2021 annual report, built in-process the way the pipeline builds it
 * (aggregate of the sample submissions, final render with the sample report facts): what
 * `npm run demo` releases, without starting the embedded stack.
 */
import rawOrganization from '../../shared/config/organization.json' with { type: 'json' };
import { parseOrganization } from '../../shared/config/schema';
import { buildDocument } from '../../shared/document/build';
import type { DocumentModel } from '../../shared/document/model';
import { renderDocx } from '../../shared/docx/render';
import { aggregate } from '../../shared/domain/aggregate';
import { parsePeriod } from '../../shared/domain/periods';
import type { AggregatedReport } from '../../shared/domain/report';
import { sampleReportFacts, timedSampleSubmissions } from '../../shared/sample';
import { getTemplate } from '../../shared/templates/index';

export const sampleOrganization = parseOrganization(rawOrganization);
export const sampleTemplate = getTemplate('cchc', sampleOrganization);

export function sampleAnnualAggregate(): AggregatedReport {
  return aggregate(sampleTemplate, sampleOrganization, parsePeriod('2021'), timedSampleSubmissions());
}

/**
 * The only 2020 figures the seed states: 116/116 procedures online in 2021, "giảm 02 thủ tục so
 * với năm 2020", so 118/118 in 2020. What the aggregate step would load as the previous year if
 * 2020 were on the system (the demo has no 2020 submissions: its report prints no comparison).
 */
export function sampleSeedPreviousYear(): AggregatedReport {
  const annual = sampleAnnualAggregate();
  return { ...annual, period: parsePeriod('2020'), indicators: { tthcTong: 118, tthcQuaMang: 118 }, tables: {}, narratives: {} };
}

export async function sampleAnnualDocx(mode: 'draft' | 'final' = 'final', o: { previous?: AggregatedReport } = {}): Promise<Buffer> {
  return renderDocx(sampleAnnualModel(mode, o));
}

/** The same report as the document model every rendition draws (.docx, HTML, PDF). */
export function sampleAnnualModel(mode: 'draft' | 'final' = 'final', o: { previous?: AggregatedReport } = {}): DocumentModel {
  return buildDocument({
    ...(o.previous ? { previous: o.previous } : {}),
    template: sampleTemplate,
    report: sampleAnnualAggregate(),
    organization: sampleOrganization,
    mode,
    version: 1,
    number: 1,
    issuedAt: new Date('2021-12-20T02:00:00Z'),
    reportFacts: sampleReportFacts('2021'),
  });
}

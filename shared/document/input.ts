/** What a rendition is built from: template, aggregated figures, organization and the document's state. */
import type { Organization } from '../config/schema';
import type { AggregatedReport } from '../domain/report';
import type { ReportTemplate } from '../domain/template';

export interface ApprovalRecord {
  role: string;
  name: string;
  decidedAt: string;
}

export interface RenderInput {
  template: ReportTemplate;
  report: AggregatedReport;
  organization: Organization;
  mode: 'draft' | 'final';
  version: number;
  /** Document number, assigned at release; required in final mode. */
  number?: number;
  /** Issue date, required in final mode. */
  issuedAt?: Date;
  /** The report facts the compiler filled at compile start ({fact:id} in the template). */
  reportFacts?: Record<string, string>;
  /** Kept in the file's custom properties only: the official body stays clean. */
  approvals?: ApprovalRecord[];
  /** The same period of the previous year, for {compare:…} sentences (else report.previous). */
  previous?: AggregatedReport;
  /** Draft only (issue 12): what was missing when the compiler chose to compile anyway, printed as a banner under DỰ THẢO. */
  gapNote?: string;
  /** Called for each problem worth a compiler's attention (unknown placeholder, missing table). */
  onWarning?: (message: string) => void;
}

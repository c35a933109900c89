import type { Organization } from '../../config/schema';
import type { ReportTemplate } from '../../domain/template';
import type {
  ApprovalLinkStore,
  AuditLog,
  BlobStore,
  Clock,
  DecisionStore,
  DeskStore,
  DocumentModelStore,
  Mailer,
  Metrics,
  ReportStore,
  Workflow,
} from '../../ports';

/** What the approval chain needs: reports, decision links, the audit, the draft's object, mail and the workflow. */
export interface ApprovalDeps {
  repo: ReportStore & ApprovalLinkStore & AuditLog & DecisionStore;
  /** presignGet: the draft's link; get: the aggregated figures the decision page shows first; getModel: the draft itself. */
  blobs: Pick<BlobStore, 'presignGet' | 'get'> & Pick<DocumentModelStore, 'getModel'>;
  /** The reports kept beside the drafts: what changed since the draft an approver last decided on. */
  desk: Pick<DeskStore, 'getDraftReport'>;
  mailer: Mailer;
  workflow: Workflow;
  template: ReportTemplate;
  organization: Organization;
  /** Public base of the links in emails. */
  baseUrl: string;
  now: Clock;
  /** ApprovalLatencySeconds; absent in tests. */
  metrics?: Metrics;
}

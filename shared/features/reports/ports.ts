import type { Organization } from '../../config/schema';
import type { ReportTemplate } from '../../domain/template';
import type {
  ActiveReportLock,
  ApprovalLinkStore,
  AuditLog,
  BlobStore,
  Clock,
  DocumentModelStore,
  ReportStore,
  SubmissionStore,
  Workflow,
} from '../../ports';

/** The compile tasks of the pipeline: submissions in, figures and drafts out. */
export interface PipelineDeps {
  repo: Pick<SubmissionStore, 'currentSubmissions'> & ReportStore & AuditLog;
  blobs: Pick<BlobStore, 'get' | 'put'> & Pick<DocumentModelStore, 'putModel'>;
  template: ReportTemplate;
  organization: Organization;
  now: Clock;
}

/** The compiler's surfaces over reports: start a compile, follow it, read its audit and files. */
export interface ReportsDeps {
  repo: Pick<SubmissionStore, 'currentSubmissions' | 'getUpload'> &
    ReportStore &
    Pick<ApprovalLinkStore, 'pendingApprovals' | 'consumeApprovalLink'> &
    AuditLog &
    ActiveReportLock;
  /** presignGet: downloads; getModel: the draft and released views. */
  blobs: Pick<BlobStore, 'presignGet'> & Pick<DocumentModelStore, 'getModel'>;
  workflow: Pick<Workflow, 'start' | 'describe' | 'stop'>;
  template: ReportTemplate;
  organization: Organization;
  now: Clock;
  /** The embedded local system: the home page links the local inbox. */
  local: boolean;
}

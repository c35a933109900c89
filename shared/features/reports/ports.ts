import type { Organization } from '../../config/schema';
import type { ReportTemplate } from '../../domain/template';
import type {
  ActiveReportLock,
  ApprovalLinkStore,
  AuditLog,
  BlobStore,
  Clock,
  DeskStore,
  DocumentModelStore,
  Mailer,
  ReportStore,
  SubmissionStore,
  Workflow,
} from '../../ports';

/** The compile tasks of the pipeline: submissions in, figures and drafts out. */
export interface PipelineDeps {
  repo: Pick<SubmissionStore, 'currentSubmissions'> & ReportStore & AuditLog;
  blobs: Pick<BlobStore, 'get' | 'put'> & Pick<DocumentModelStore, 'putModel'>;
  /** The desk's edits (applied by BuildDraft) and the report kept beside each draft. */
  desk: Pick<DeskStore, 'currentDeskEdits' | 'putDraftReport'>;
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
  /** presignGet: downloads; get: stored reports; getModel: the draft and released views. */
  blobs: Pick<BlobStore, 'presignGet' | 'get'> & Pick<DocumentModelStore, 'getModel'>;
  workflow: Pick<Workflow, 'start' | 'describe' | 'stop' | 'succeed'>;
  /** The editing desk's versions and the reports kept beside the drafts. */
  desk: DeskStore;
  mailer: Mailer;
  baseUrl: string;
  template: ReportTemplate;
  organization: Organization;
  now: Clock;
  /** The embedded local system: the home page links the local inbox. */
  local: boolean;
}

import type { Organization } from '../../config/schema';
import type { ReportTemplate } from '../../domain/template';
import type {
  AuditLog,
  BlobStore,
  Clock,
  DeskStore,
  DocumentModelStore,
  Mailer,
  Metrics,
  RegisterStore,
  ReleaseStore,
  ReportStore,
  Workflow,
} from '../../ports';
import type { PdfSignatures, SigningFiles, SigningKeys } from '../signing/ports';

// The register is shared with the signing slice (it reserves the number before the person signs): kernel records.
export type { ClerkLink, RegisterEntry, RegisterStore } from '../../ports';

/** What releasing and downloading need: the report, the register and download links, objects, mail. */
export interface ReleaseDeps {
  repo: Pick<ReportStore, 'getReport' | 'updateReport'> & ReleaseStore & AuditLog;
  register: RegisterStore;
  blobs: Pick<BlobStore, 'get' | 'put' | 'presignGet'> & Pick<DocumentModelStore, 'putModel'>;
  /** The approved draft's report, as the draft printed it (desk edits applied). */
  desk: Pick<DeskStore, 'getDraftReport'>;
  mailer: Mailer;
  workflow: Pick<Workflow, 'succeed'>;
  template: ReportTemplate;
  organization: Organization;
  baseUrl: string;
  now: Clock;
  /** ReportsReleased; absent in tests. */
  metrics?: Metrics;
  /** Organizations that sign: the sealed PDF, its verification and the roots it must chain to (features/signing). */
  signed?: { files: SigningFiles; pades: Pick<PdfSignatures, 'verify'>; keys: Pick<SigningKeys, 'trustedRoots'> };
}

import type { Organization } from '../../config/schema';
import type { ReportTemplate } from '../../domain/template';
import type { AuditLog, BlobStore, Clock, Mailer, ReleaseStore, ReportStore } from '../../ports';

/** What releasing and downloading need: the report, numbering and download links, objects, mail. */
export interface ReleaseDeps {
  repo: Pick<ReportStore, 'getReport' | 'updateReport'> & ReleaseStore & AuditLog;
  blobs: Pick<BlobStore, 'get' | 'put' | 'presignGet'>;
  mailer: Mailer;
  template: ReportTemplate;
  organization: Organization;
  baseUrl: string;
  now: Clock;
}

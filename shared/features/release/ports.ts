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
  ReleaseRef,
  ReleaseStore,
  ReportNumbering,
  ReportStore,
  Workflow,
} from '../../ports';
import type { PdfSignatures, SigningFiles, SigningKeys } from '../signing/ports';

/** One number of the organization's outgoing register: given once, never reused. */
export interface RegisterEntry {
  orgId: string;
  year: number;
  number: number;
  reportId: string;
  issuedAt: string;
  recordedAt: string;
  by: string;
}

/** The clerk's single-use link to enter a report's number (only the hash of the secret is stored). */
export interface ClerkLink {
  linkHash: string;
  reportId: string;
  periodId: string;
  taskToken: string;
  clerkEmail: string;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'used';
  /** What the link is for: entering the number (absent: the original use), the organization's signature, or the compiler's retry/stop choice. */
  purpose?: 'number' | 'seal' | 'sign-retry';
}

/**
 * The outgoing register (one per organization and year) and the release's claims. Every write is
 * a single-item conditional write: an entry per number (put if absent), the report's reservation
 * (set if absent), the release (flip only from the approved state), one claim per recipient mail.
 */
export interface RegisterStore {
  /** Highest number entered in the year's register, 0 when empty. */
  highestNumber(orgId: string, year: number): Promise<number>;
  /** The entry holding `number`, if taken. */
  getEntry(orgId: string, year: number, number: number): Promise<RegisterEntry | undefined>;
  /** Puts the entry if its number is free; false when the number is taken. */
  claimNumber(entry: RegisterEntry): Promise<boolean>;
  /** The year's entry given to a report, if any (finds the work of an earlier, interrupted try). */
  findByReport(orgId: string, year: number, reportId: string): Promise<RegisterEntry | undefined>;
  /** Records the reservation on the report unless it has one; returns the reservation that holds. */
  reserveOnReport(reportId: string, numbering: ReportNumbering): Promise<ReportNumbering>;
  /**
   * Flips the report to released with `release`, only from awaiting_approval with this number
   * reserved; when already released with the same number, returns the stored release.
   */
  markReleased(reportId: string, release: ReleaseRef, at: string): Promise<{ release: ReleaseRef; flipped: boolean }>;
  putClerkLink(link: ClerkLink): Promise<void>;
  getClerkLink(linkHash: string): Promise<ClerkLink | undefined>;
  /** Marks a pending clerk link used; false if it was not pending. */
  consumeClerkLink(linkHash: string): Promise<boolean>;
  /** Claims the release mail to one recipient; false when it was sent or is being sent. */
  claimNotification(reportId: string, number: number, email: string, at: string): Promise<boolean>;
  completeNotification(reportId: string, number: number, email: string, messageId: string): Promise<void>;
  /** Gives a claim back after a failed send, so the retried step sends it. */
  dropNotification(reportId: string, number: number, email: string): Promise<void>;
}

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

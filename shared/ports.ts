/**
 * Kernel ports: the records several slices share and what they need from the outside world
 * (storage, objects, mail, workflow, clock). Storage keys never appear here: the methods speak
 * domain terms and the adapters (shared/adapters/aws/) build the keys; tests pass fakes or mocked
 * clients. Ports one slice alone needs live in that slice (features/intake/ports.ts, features/signin/ports.ts).
 */
import type { DocumentModel } from './document/model';
import type { ApprovalState } from './domain/approval-plan';
import type { DeskEdits } from './domain/desk';
import type { AggregatedReport } from './domain/report';
import type { SignerState } from './domain/signing-plan';
import type { Issue, Submission } from './domain/submission';

type UploadStatus = 'accepted' | 'refused';

export interface UploadRecord {
  key: string;
  etag: string;
  status: UploadStatus;
  divisionId: string;
  periodId: string;
  /** The first errors (at most MAX_RECORDED_ISSUES, see features/intake/limits.ts); errorCount has the total. */
  errors: Issue[];
  warnings: Issue[];
  /** How many errors validation found, when more were found than `errors` keeps. */
  errorCount?: number;
  /** How many warnings validation found, when more were found than `warnings` keeps. */
  warningCount?: number;
  /** Version of the division's submission created by this upload (accepted only). */
  version?: number;
  sha256: string;
  receivedAt: string;
}

export interface StoredSubmission {
  divisionId: string;
  periodId: string;
  version: number;
  submission: Submission;
  submittedAt: string;
  rawKey: string;
  sha256: string;
  warnings: Issue[];
  /** Where the submission's body is kept (the blob store); the table holds this pointer, never the body. */
  bodyKey?: string;
}

export type ReportStatus =
  | 'compiling'
  /** At the editing desk: the compiler orders, edits, merges or drops items, then sends it for approval. */
  | 'editing'
  | 'awaiting_approval'
  | 'returned'
  | 'released'
  | 'rejected'
  /** Stopped by the compiler at the editing desk, before any approver saw it. */
  | 'abandoned'
  | 'timed_out'
  | 'failed'
  /** Replaced by a newer report of the same organization, report type and period. */
  | 'superseded';

export interface DraftRef {
  version: number;
  key: string;
  sha256: string;
  fileName: string;
  createdAt: string;
}

export interface DecisionRecord {
  stepIndex: number;
  role: string;
  decision: 'approve' | 'return';
  decidedBy: string;
  decidedAt: string;
  comment?: string;
  /** Divisions the approver named as concerned by a return. */
  divisions?: string[];
  draftSha256: string;
  sourceIp?: string;
}

export interface ReleaseRef {
  number: number;
  documentNumber: string;
  key: string;
  sha256: string;
  fileName: string;
  /** The aggregated figures next to the document (JSON, and .xlsx laid out like form 06/VPCP/KSTT). */
  exports?: { json: string; xlsx: string };
  /** The signed original (organizations that sign): the PDF with both signatures, beside the .docx. */
  pdf?: { key: string; sha256: string; fileName: string; signatures: SignatureSummary[] };
  releasedAt: string;
}

export interface ReportNumbering {
  year: number;
  number: number;
  /** Issue date of the document (printed in the place–date line). */
  issuedAt: string;
  /** When the number was entered in the register. */
  recordedAt: string;
  /** 'system' or the clerk's email. */
  by: string;
}

export interface ReportRecord {
  reportId: string;
  periodId: string;
  status: ReportStatus;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  /** The execution currently carrying the report (a resume replaces it). */
  executionArn?: string;
  /** How many times a new execution took the report over (names the next one: `<reportId>-r<n>`). */
  resumes?: number;
  aggregateKey?: string;
  /** The submissions (division, quarter, version) the aggregate was computed from: later ones are shown at the desk. */
  aggregatedFrom?: Array<{ divisionId: string; periodId: string; version: number }>;
  drafts: DraftRef[];
  currentStep?: number;
  /** The approval planner's state of the current step (phase, deadline). */
  approval?: ApprovalState;
  decisions: DecisionRecord[];
  /** Task token of AwaitRevision while the report is returned; never shown outside the operator API. */
  revisionToken?: string;
  release?: ReleaseRef;
  /** The report's number in the organization's outgoing register, reserved once (a retried release reuses it). */
  numbering?: ReportNumbering;
  /** `cause` is a Vietnamese sentence for users; `detail` keeps the technical message, if any. */
  failure?: { error: string; cause: string; detail?: string };
  /** Report facts the compiler filled at compile start (template.reportFacts), printed by the renderer. */
  reportFacts?: Record<string, string>;
  /** Set when the compiler compiled with submissions missing: what was missing and why (shown on pages and emails). */
  gap?: { missing: string; reason: string };
  /** When the compiler last resent the current step's email (the resend's optimistic guard). */
  resentAt?: string;
  /** The report that replaced this one (supersede). */
  supersededBy?: string;
  /** The compiler wants the editing desk before each draft goes to the approvers. */
  desk?: boolean;
  /** Task token of AwaitDesk while the report is at the desk; never shown outside the operator API. */
  deskToken?: string;
  /** The signed original's progress (organizations that sign, issue 16; features/signing). */
  signing?: ReportSigning;
}

/** A rectangle on a page of a PDF, in points from the bottom-left corner; `page` is 0-based. */
export interface SignatureBox {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Who a verified signature names, as pages and the audit show it. */
export interface SignatureSummary {
  signerName: string;
  organization?: string;
  issuer: string;
  serialNumber: string;
  signedAt: string;
  testOnly: boolean;
}

/**
 * The signed original of a report: the competent person's signature, then the organization's,
 * applied by the văn thư. The PDFs themselves are blobs (SigningFiles), named by the report.
 */
export interface ReportSigning {
  signer: SignerState;
  /** The blank space of the signature block in the final PDF: the person's image, then the seal over its left third. */
  box?: SignatureBox;
  /** The person's signature, verified, once the provider returned it. */
  signedBy?: SignatureSummary;
  /** SHA-256 of the PDF carrying the person's signature (what the văn thư signs over). */
  signerPdfSha256?: string;
  /** The văn thư's wait (the approval planner's ladder on a one-step chain). */
  seal?: ApprovalState;
  /**
   * The organization's signature asked of a provider that confirms later (a remote service: the
   * văn thư confirms on the organization's device). The prepared PDF is kept as the signing file
   * `seal-prepared`; the văn thư's next press of the same link collects the signature.
   */
  sealRequest?: { transactionId: string; requestedAt: string; linkHash: string };
  /** Hashes of the live single-use links of the current wait (seal or retry), superseded by the next mail. */
  links?: string[];
  /** The organization's signature, verified, and who applied it. */
  sealedBy?: SignatureSummary & { by: string };
  /** SHA-256 of the PDF carrying both signatures: the original that is released. */
  signedPdfSha256?: string;
}

/**
 * The one decision of a step of a draft. Claimed by a conditional write before the decision is
 * handed to the workflow; `final` once the hand-off succeeded, `void` when it failed for good
 * (the step can then be decided again). Only final decisions reach the report's `decisions`.
 */
export interface DecisionClaim {
  reportId: string;
  draftVersion: number;
  stepIndex: number;
  /** Random id of the claimant: only it may finalize or void the claim. */
  claimId: string;
  state: 'claimed' | 'final' | 'void';
  record: DecisionRecord;
}

/** Organization, report type and period: at most one active (or released) report each. */
export interface ReportScope {
  orgId: string;
  templateId: string;
  periodId: string;
}

export interface ApprovalLink {
  linkHash: string;
  reportId: string;
  periodId: string;
  stepIndex: number;
  role: string;
  approverEmail: string;
  approverName: string;
  taskToken: string;
  draftSha256: string;
  draftKey: string;
  draftVersion: number;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'used' | 'superseded';
  /** Why the link was sent: first request, reminder, escalation, or a compiler's resend. */
  reason?: 'request' | 'reminder' | 'escalation' | 'resend';
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/**
 * Uploads' outcomes and the divisions' current submissions, as readers see them (compile, pages).
 * Ingest writes them through its own ledger (features/intake/ports.ts IngestLedger, ADR 0031).
 */
export interface SubmissionStore {
  /** The outcome of an upload; undefined while it is still being processed. */
  getUpload(key: string): Promise<UploadRecord | undefined>;
  /** Current submission of every division in these quarters (or of one division), bodies included. */
  currentSubmissions(periodIds: string[], divisionId?: string): Promise<StoredSubmission[]>;
}

export interface ReportStore {
  createReport(rec: ReportRecord): Promise<void>;
  getReport(reportId: string): Promise<ReportRecord | undefined>;
  updateReport(reportId: string, patch: Partial<ReportRecord>): Promise<ReportRecord>;
  listReports(periodId: string): Promise<ReportRecord[]>;
  /** Calendar years of the quarters and reports stored so far (ascending). */
  yearsWithData(): Promise<number[]>;
  /**
   * Conditional update: applies `patch` only while the report still has the `expect`ed values
   * (a missing field compares as ''); undefined when another action got there first.
   */
  updateReportIf(
    reportId: string,
    expect: Partial<Pick<ReportRecord, 'status' | 'revisionToken' | 'resentAt' | 'deskToken'>>,
    patch: Partial<ReportRecord>,
  ): Promise<ReportRecord | undefined>;
}

/** One decision per step of a draft (conditional writes, no transactions: ADR 0031). */
export interface DecisionStore {
  /** Claims the step for this decision; when it is taken (claimed or final), returns the holder. */
  claimDecision(claim: DecisionClaim): Promise<{ ok: true } | { ok: false; holder: DecisionClaim }>;
  getDecision(reportId: string, draftVersion: number, stepIndex: number): Promise<DecisionClaim | undefined>;
  /** Moves the claimant's own claim to final or void; false if it is not its claim any more. */
  settleDecision(claim: DecisionClaim, state: 'final' | 'void'): Promise<boolean>;
  /** Appends a handed-on decision to the report's visible list (atomic list append). */
  appendDecision(reportId: string, record: DecisionRecord): Promise<void>;
}

/** The lock "one active report per organization, report type and period". */
export interface ActiveReportLock {
  /** Takes the lock for `reportId`; `replacing` takes it over from that holder only. Returns the holder when refused. */
  lockActiveReport(
    scope: ReportScope,
    reportId: string,
    replacing?: string,
  ): Promise<{ ok: true } | { ok: false; holder?: string; lockedAt?: string }>;
  /** Frees the lock if `reportId` still holds it. */
  unlockActiveReport(scope: ReportScope, reportId: string): Promise<void>;
}

export interface ApprovalLinkStore {
  putApprovalLink(link: ApprovalLink): Promise<void>;
  getApprovalLink(linkHash: string): Promise<ApprovalLink | undefined>;
  /** Marks a pending link used; false if it was not pending any more (single use). */
  consumeApprovalLink(linkHash: string, status: 'used' | 'superseded'): Promise<boolean>;
  pendingApprovals(): Promise<ApprovalLink[]>;
}

export interface DownloadTarget {
  reportId: string;
  key: string;
  fileName: string;
  expiresAt: string;
  /** The signed original: the link opens a page that verifies its signatures before the download. */
  signed?: boolean;
  /** The editable .docx offered beside the signed PDF (organization's `release.attachDocx`). */
  docx?: { key: string; fileName: string };
}

export interface ReleaseStore {
  putDownload(downloadHash: string, target: DownloadTarget): Promise<void>;
  getDownload(downloadHash: string): Promise<DownloadTarget | undefined>;
}

/** Append-only audit trails: one per report, one per quarter (its submissions and invites). */
export interface AuditLog {
  appendReportAudit(reportId: string, entry: AuditEntry): Promise<void>;
  appendPeriodAudit(quarterId: string, entry: AuditEntry): Promise<void>;
  listReportAudit(reportId: string): Promise<AuditEntry[]>;
  listPeriodAudit(quarterId: string): Promise<AuditEntry[]>;
}

/**
 * The editing desk's records: every saved version of a report's edits (DeskEdits), and beside each
 * draft the aggregated report it was built from with the edits applied (what changed between drafts).
 */
export interface DeskStore {
  /** The latest saved version; undefined before the first save. */
  currentDeskEdits(reportId: string): Promise<DeskEdits | undefined>;
  /** Every saved version, oldest first. */
  listDeskEdits(reportId: string): Promise<DeskEdits[]>;
  /** Stores `edits.version` once; false when that version was saved first by someone else. */
  saveDeskEdits(reportId: string, edits: DeskEdits): Promise<boolean>;
  putDraftReport(reportId: string, draftVersion: number, report: AggregatedReport): Promise<void>;
  /** Undefined for drafts built before drafts kept their report. */
  getDraftReport(reportId: string, draftVersion: number): Promise<AggregatedReport | undefined>;
}

/** Everything the single table stores for the product's records; use cases ask only for the parts they use. */
export type Repository = SubmissionStore & ReportStore & ApprovalLinkStore & ReleaseStore & AuditLog & DecisionStore & ActiveReportLock;

export interface ObjectInfo {
  size: number;
  contentType?: string;
  etag: string;
  versionId?: string;
  /** ISO time S3 stored the object. */
  lastModified?: string;
}

export interface BlobStore {
  put(key: string, body: Buffer | string, contentType: string): Promise<{ etag: string; versionId?: string }>;
  get(key: string): Promise<Buffer>;
  head(key: string): Promise<ObjectInfo | undefined>;
  presignGet(key: string, expiresInSeconds: number, downloadName?: string): Promise<string>;
  presignPost(
    key: string,
    opts: { maxBytes: number; contentType: string; expiresInSeconds: number },
  ): Promise<{ url: string; fields: Record<string, string> }>;
}

/**
 * The document model (shared/document/model.ts) stored as JSON beside each rendition it was
 * rendered from, so the HTML view shows exactly the draft or released document. Named by the
 * document's own key; where the JSON lives is the storage adapter's business.
 */
export interface DocumentModelStore {
  putModel(documentKey: string, model: DocumentModel): Promise<void>;
  /** undefined when none was stored (a document rendered before models were kept). */
  getModel(documentKey: string): Promise<DocumentModel | undefined>;
}

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(msg: MailMessage): Promise<{ messageId: string }>;
}

export interface ExecutionInfo {
  executionArn: string;
  status: string;
  startDate?: string;
  stopDate?: string;
  error?: string;
  cause?: string;
}

export interface Workflow {
  start(name: string, input: Record<string, unknown>): Promise<string>;
  succeed(taskToken: string, output: Record<string, unknown>): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  describe(executionArn: string): Promise<ExecutionInfo>;
  /** Stops a running execution (a superseded report); an execution already ended is left as is. */
  stop(executionArn: string, cause: string): Promise<void>;
}

export type Clock = () => Date;

/** Business metrics the operator watches (CloudWatch EMF on AWS); the use cases only name and count. */
export type MetricName = 'SubmissionsAccepted' | 'SubmissionsRefused' | 'ReportsReleased' | 'ApprovalLatencySeconds';

export interface Metrics {
  count(name: MetricName, n?: number): void;
  timing(name: MetricName, seconds: number): void;
}

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

import type { Organization } from '../../config/schema';
import type { ReportTemplate } from '../../domain/template';
import type { AuditEntry, AuditLog, BlobStore, Clock, Mailer, Metrics, StoredSubmission, SubmissionStore, UploadRecord } from '../../ports';

/**
 * Ports of division intake: invite links and the per-division state of a quarter
 * (reopen, reminders, last upload outcome). Stored next to the Repository's items in the same
 * table by shared/adapters/aws/dynamo-intake-store.ts; tests pass an in-memory fake.
 */

/** Why an invite was issued. */
export type InviteReason = 'open' | 'reopen' | 'remind';

/** A division's invite link for one quarter. Only the SHA-256 of the link secret is stored. */
export interface Invite {
  linkHash: string;
  divisionId: string;
  periodId: string;
  reason: InviteReason;
  createdAt: string;
  expiresAt: string;
  /** Who issued it: the compiler's address, "scheduler", … */
  issuedBy: string;
  /** Addresses the link was mailed to. */
  sentTo: string[];
  revoked: boolean;
  revokedAt?: string;
}

/** What the system knows about one division in one quarter, beyond its submissions. */
export interface IntakeState {
  divisionId: string;
  periodId: string;
  /** Set when the compiler reopened the quarter for this division after the cut-off. */
  reopenedAt?: string;
  reopenedBy?: string;
  /** Uploads through an invite are accepted until this instant after a reopen. */
  reopenedUntil?: string;
  remindersSent: number;
  lastReminderAt?: string;
  lastUploadStatus?: 'accepted' | 'refused';
  lastUploadAt?: string;
  lastUploadKey?: string;
}

export interface IntakeStore {
  putInvite(invite: Invite): Promise<void>;
  getInvite(linkHash: string): Promise<Invite | undefined>;
  /** Every invite of a quarter, revoked ones included. */
  listInvites(periodId: string): Promise<Invite[]>;
  /** Marks the invite revoked; a no-op if it already was. */
  revokeInvite(linkHash: string, at: string): Promise<void>;
  getState(periodId: string, divisionId: string): Promise<IntakeState | undefined>;
  listStates(periodId: string): Promise<IntakeState[]>;
  markReopened(periodId: string, divisionId: string, p: { at: string; by: string; until: string }): Promise<void>;
  recordReminder(periodId: string, divisionId: string, at: string): Promise<void>;
  recordUploadOutcome(periodId: string, divisionId: string, p: { status: 'accepted' | 'refused'; at: string; key: string }): Promise<void>;
}

/** Tunables of intake; INVITE_GRACE_DAYS / REMINDER_DAYS_BEFORE override the defaults (shared/adapters/env.ts). */
export interface IntakeOptions {
  /** Days an invite stays valid after the quarter's deadline (and a reopen lasts). */
  graceDays: number;
  /** Automatic reminders go out this many days before the deadline. */
  reminderDaysBefore: number;
}

export const DEFAULT_INTAKE_OPTIONS: IntakeOptions = { graceDays: 5, reminderDaysBefore: 3 };

/**
 * The claim of one upload (object key + ETag): the record that makes ingest exactly-once. It is
 * the same record as the upload's outcome: `processing` while an attempt holds it, then
 * `accepted` or `refused` for good. A `processing` claim whose lease ran out (or, locally, whose
 * owner was a process that no longer runs) is taken over by the next attempt or the reconciler.
 */
export interface UploadClaim {
  key: string;
  etag: string;
  status: 'processing' | 'accepted' | 'refused';
  /** First claim time: the upload's receivedAt, kept across take-overs so retries write the same records. */
  claimedAt: string;
  leaseUntil?: string;
  /** Who holds the claim: a Lambda container or a local runtime instance. */
  owner?: string;
  /** The division's version allocated to this upload, once allocated. */
  version?: number;
}

export type ClaimResult =
  /** This attempt holds the claim (fresh, or taken over with what the earlier attempt stored). */
  | { kind: 'claimed'; claim: UploadClaim }
  /** The upload already has its outcome. */
  | { kind: 'done'; outcome: UploadRecord }
  /** Another live attempt holds it; its lease ends at claim.leaseUntil. */
  | { kind: 'busy'; claim: UploadClaim };

/** One version of a division's quarter and the upload it came from. */
export interface VersionSlot {
  version: number;
  uploadId: string;
}

/**
 * Storage of ingest's claims, versions, current pointer and outcomes: single-item conditional
 * writes only (docs/adr/0031-records-exactly-once.md).
 */
export interface IngestLedger {
  claimUpload(p: {
    key: string;
    etag: string;
    divisionId: string;
    periodId: string;
    now: string;
    leaseUntil: string;
    owner: string;
    /** Also take over `processing` claims of any other owner (a local runtime that restarted). */
    takeOverOtherOwners?: boolean;
  }): Promise<ClaimResult>;
  getClaim(key: string): Promise<UploadClaim | undefined>;
  /** Every version slot of a division's quarter (numbers and uploads only). */
  versionSlots(periodId: string, divisionId: string): Promise<VersionSlot[]>;
  /** Writes version n if n is still free; false when another upload took it. */
  putVersion(sub: StoredSubmission & { version: number; uploadId: string; bodyKey: string }): Promise<boolean>;
  /** Records the allocated version on the claim; returns the version the claim holds (an earlier one wins). */
  setClaimVersion(key: string, etag: string, version: number): Promise<number>;
  /** Moves the division's current pointer to this version unless it already points at this or a newer one. */
  advanceCurrent(sub: StoredSubmission & { bodyKey: string }): Promise<boolean>;
  /** Turns the `processing` claim into the outcome; returns the outcome stored (the first one wins). */
  completeUpload(rec: UploadRecord): Promise<UploadRecord>;
  /** Appends a quarter audit entry under a deterministic id; false if that id was already written. */
  appendPeriodAuditOnce(quarterId: string, id: string, entry: AuditEntry): Promise<boolean>;
}

/** The objects of a prefix, for the reconciler. */
export interface ObjectLister {
  list(prefix: string): Promise<Array<{ key: string; etag: string; lastModified?: string }>>;
}

/** What ingesting one upload needs (the ingest and reconcile use cases). */
export interface IngestDeps {
  /** Current submissions, for the history validation compares with. */
  repo: Pick<SubmissionStore, 'currentSubmissions'> & Partial<AuditLog>;
  ledger: IngestLedger;
  blobs: BlobStore;
  template: ReportTemplate;
  organization: Organization;
  now: Clock;
  /**
   * Invites, lock and per-division intake state. Uploads named after an invite are refused
   * without it (they cannot be checked); operator uploads do not need it.
   */
  intake?: IntakeStore;
  /** Who holds the claims this process makes (a Lambda container, a local runtime instance). */
  claimOwner?: string;
  /** SubmissionsAccepted / SubmissionsRefused; absent in tests. */
  metrics?: Metrics;
  /** The receipt of an accepted submission, mailed to the division's contacts. */
  mailer: Mailer;
}

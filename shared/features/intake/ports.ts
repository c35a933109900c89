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

import type { Organization } from '../../config/schema';
import { deadlineEndMs, quarterDeadline } from '../../domain/periods';
import type { StoredSubmission } from '../../ports';
import type { IntakeState, Invite } from './ports';

export type DivisionIntakeStatus = 'not_started' | 'on_time' | 'late' | 'refused' | 'reopened';

export const STATUS_TEXT: Record<DivisionIntakeStatus, string> = {
  not_started: 'Chưa nộp',
  on_time: 'Đã nộp đúng hạn',
  late: 'Nộp muộn',
  refused: 'Lần nộp gần nhất bị từ chối',
  reopened: 'Đã mở lại, chờ nộp',
};

export interface DivisionCompleteness {
  divisionId: string;
  divisionName: string;
  status: DivisionIntakeStatus;
  version?: number;
  submittedAt?: string;
  remindersSent: number;
  lastReminderAt?: string;
  reopenedAt?: string;
  lastUploadAt?: string;
  /** A valid (not revoked, not expired) invite exists. */
  hasValidInvite: boolean;
}

export interface CompletenessReport {
  periodId: string;
  deadline: string;
  deadlineEnd: string;
  divisions: DivisionCompleteness[];
  counts: Record<DivisionIntakeStatus, number>;
}

/** Divisions whose clerks still have something to do (reminders go to them). */
export const MISSING: readonly DivisionIntakeStatus[] = ['not_started', 'refused', 'reopened'];

/**
 * The state of every division in one quarter. A refused upload newer than the last accepted one
 * wins (the clerk must act), then a reopen not yet followed by a submission, then on time / late
 * by the current version's time against the end of the deadline day (Vietnam time).
 */
export function completeness(p: {
  organization: Organization;
  periodId: string;
  submissions: StoredSubmission[];
  states: IntakeState[];
  invites: Invite[];
  now: Date;
}): CompletenessReport {
  const deadline = quarterDeadline(p.periodId);
  const end = deadlineEndMs(deadline);
  const counts: Record<DivisionIntakeStatus, number> = { not_started: 0, on_time: 0, late: 0, refused: 0, reopened: 0 };
  const divisions = p.organization.divisions.map((d): DivisionCompleteness => {
    const sub = p.submissions.find((s) => s.divisionId === d.id && s.periodId === p.periodId);
    const st = p.states.find((s) => s.divisionId === d.id && s.periodId === p.periodId);
    const acceptedAt = sub ? Date.parse(sub.submittedAt) : undefined;
    let status: DivisionIntakeStatus;
    if (st?.lastUploadStatus === 'refused' && st.lastUploadAt && (acceptedAt === undefined || Date.parse(st.lastUploadAt) > acceptedAt)) {
      status = 'refused';
    } else if (st?.reopenedAt && (acceptedAt === undefined || acceptedAt < Date.parse(st.reopenedAt))) {
      status = 'reopened';
    } else if (acceptedAt === undefined) {
      status = 'not_started';
    } else {
      status = acceptedAt <= end ? 'on_time' : 'late';
    }
    counts[status]++;
    const now = p.now.getTime();
    return {
      divisionId: d.id,
      divisionName: d.name,
      status,
      ...(sub ? { version: sub.version, submittedAt: sub.submittedAt } : {}),
      remindersSent: st?.remindersSent ?? 0,
      ...(st?.lastReminderAt ? { lastReminderAt: st.lastReminderAt } : {}),
      ...(st?.reopenedAt ? { reopenedAt: st.reopenedAt } : {}),
      ...(st?.lastUploadAt ? { lastUploadAt: st.lastUploadAt } : {}),
      hasValidInvite: p.invites.some((i) => i.divisionId === d.id && !i.revoked && Date.parse(i.expiresAt) > now),
    };
  });
  return { periodId: p.periodId, deadline, deadlineEnd: new Date(end).toISOString(), divisions, counts };
}

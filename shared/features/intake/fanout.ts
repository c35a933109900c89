import * as z from 'zod';
import { isQuarter, parsePeriod } from '../../domain/periods';
import { vnDateTime } from '../../format/vietnam-time';
import { MISSING } from './completeness';
import { lockState } from './lock';
import { completenessOf, type IntakeDeps, IntakeError, inviteExpiry, issueInvite } from './service';

/**
 * Scheduled invites and reminders fan out through a queue (docs/adr/0046-operable-on-aws.md):
 * `open-period` plans one job per division and quarter and enqueues it; `send-invites` consumes
 * the queue at SES's pace and sends each job once (Powertools Idempotency keyed on the job's
 * identity, below). The compiler's own "Mở kỳ" / "Gửi nhắc nhở" stay synchronous (service.ts).
 */

/** One division's invite or reminder for one quarter of one organization and report type. */
export const InviteJobSchema = z.object({
  orgId: z.string().regex(/^[a-z0-9-]{2,40}$/),
  reportType: z.string().regex(/^[a-z0-9-]+$/),
  periodId: z.string().refine(isQuarter, 'periodId must be a quarter such as 2021-Q1'),
  divisionId: z.string().min(1).max(40),
  reason: z.enum(['open', 'remind']),
  /** Link expiry decided when the job was planned (the quarter's, or a reopen's). */
  expiresAt: z.string().datetime(),
  issuedBy: z.string().min(1).max(200),
});
export type InviteJob = z.infer<typeof InviteJobSchema>;

/**
 * What makes a job the same job: a retried message, a scheduler retry or a second open of the
 * quarter carry the same identity and are sent once (the Powertools idempotency key).
 */
export const INVITE_JOB_IDENTITY = ['orgId', 'reportType', 'periodId', 'divisionId', 'reason'] as const;

/** The queue the jobs go through (SQS on AWS; the local runtime's SQS endpoint locally). */
export interface InviteQueue {
  enqueue(jobs: readonly InviteJob[]): Promise<void>;
}

type PlanDeps = Pick<IntakeDeps, 'repo' | 'intake' | 'organization' | 'template' | 'now' | 'intakeOptions'>;

/**
 * The jobs of a scheduled run. "open": every division without a valid invite yet (a compiler may
 * have opened the quarter by hand already). "remind": every division still missing whose quarter
 * is not locked for it.
 */
export async function planInviteJobs(
  deps: PlanDeps,
  action: 'open' | 'remind',
  periodId: string,
  issuedBy: string,
): Promise<{ jobs: InviteJob[]; skipped: Array<{ divisionId: string; reason: string }> }> {
  const scope = { orgId: deps.organization.id, reportType: deps.template.id, periodId, issuedBy };
  const report = await completenessOf(deps, periodId);
  const skipped: Array<{ divisionId: string; reason: string }> = [];
  const jobs: InviteJob[] = [];
  const now = deps.now();
  if (action === 'open') {
    const expiresAt = inviteExpiry(periodId, deps.intakeOptions);
    if (Date.parse(expiresAt) <= now.getTime()) {
      throw new IntakeError(`Kỳ ${parsePeriod(periodId).label} đã hết hạn nộp (${vnDateTime(report.deadlineEnd)}).`, 409);
    }
    for (const d of report.divisions) {
      if (d.hasValidInvite) skipped.push({ divisionId: d.divisionId, reason: 'Đã có liên kết còn hiệu lực.' });
      else jobs.push({ ...scope, divisionId: d.divisionId, reason: 'open', expiresAt });
    }
    return { jobs, skipped };
  }
  for (const d of report.divisions) {
    if (!MISSING.includes(d.status)) continue;
    const lock = lockState(periodId, now, await deps.intake.getState(periodId, d.divisionId));
    if (lock.locked) {
      skipped.push({ divisionId: d.divisionId, reason: 'Kỳ đã khóa; cần mở lại trước khi nhắc.' });
      continue;
    }
    jobs.push({
      ...scope,
      divisionId: d.divisionId,
      reason: 'remind',
      expiresAt: lock.reopenedUntil ?? inviteExpiry(periodId, deps.intakeOptions),
    });
  }
  return { jobs, skipped };
}

/** The job's mail goes to this many addresses (SES counts recipients against its sending rate). */
export function recipientsOf(deps: Pick<IntakeDeps, 'organization'>, job: InviteJob): number {
  return deps.organization.divisions.find((d) => d.id === job.divisionId)?.contacts.length ?? 1;
}

/**
 * Sends one job: a fresh invite link mailed to the division's contacts (and, for a reminder, the
 * reminder counted). A reminder whose quarter locked meanwhile is skipped, not sent.
 */
export async function deliverInviteJob(
  deps: IntakeDeps,
  job: InviteJob,
): Promise<{ divisionId: string; sentTo: string[] } | { skipped: string }> {
  if (job.reason === 'remind') {
    const lock = lockState(job.periodId, deps.now(), await deps.intake.getState(job.periodId, job.divisionId));
    if (lock.locked) return { skipped: 'locked' };
  }
  const { invite } = await issueInvite(deps, {
    periodId: job.periodId,
    divisionId: job.divisionId,
    reason: job.reason,
    issuedBy: job.issuedBy,
    expiresAt: job.expiresAt,
  });
  if (job.reason === 'remind') await deps.intake.recordReminder(job.periodId, job.divisionId, deps.now().toISOString());
  return { divisionId: job.divisionId, sentTo: invite.sentTo };
}

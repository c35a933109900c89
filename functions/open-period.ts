import * as z from 'zod';
import { allScopeDeps } from '../shared/adapters/wiring';
import { inviteQueue } from '../shared/adapters/wiring-fanout';
import { isQuarter, quarterOfDate } from '../shared/domain/periods';
import { type InviteQueue, planInviteJobs } from '../shared/features/intake/fanout';
import { type IntakeDeps, quarterDue } from '../shared/features/intake/service';
import { log } from '../shared/log';
import { withLogContext } from '../shared/observability/log-context';

/**
 * EventBridge Scheduler target (infra/constructs/intake-schedule.ts): "open" at a quarter's
 * start, "remind" a few days before the deadline. It mails nobody itself: it plans one job per
 * division (open: those without a valid invite; remind: those still missing) and enqueues them;
 * `send-invites` mails them at SES's pace, each job once, so a retried or repeated run is
 * harmless. The quarter is worked out from the clock unless the input names one.
 */
const ScheduledInput = z.object({
  action: z.enum(['open', 'remind']),
  period: z.string().refine(isQuarter, 'period must be a quarter such as 2021-Q1').optional(),
});

export function makeHandler(deps: () => IntakeDeps, queue: () => InviteQueue) {
  return async (event: unknown) => {
    const input = ScheduledInput.parse(event);
    const d = deps();
    const now = d.now();
    // On the 15th of a quarter's last month, the new quarter's data window has just begun.
    const periodId = input.period ?? (input.action === 'open' ? quarterOfDate(now) : quarterDue(now));
    const { jobs, skipped } = await planInviteJobs(d, input.action, periodId, 'scheduler');
    await queue().enqueue(jobs);
    log.info('invites queued', { action: input.action, periodId, queued: jobs.length, skipped: skipped.length });
    return { action: input.action, periodId, queued: jobs.length, skipped: skipped.length };
  };
}

/** Every organization and report type of the deployment, one after the other. */
async function scopedHandler(event: unknown) {
  const results = [];
  for (const deps of await allScopeDeps()) {
    results.push({ orgId: deps.organization.id, reportType: deps.template.id, ...(await makeHandler(() => deps, inviteQueue)(event)) });
  }
  return results;
}

export const handler = withLogContext(scopedHandler);

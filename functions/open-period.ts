import { z } from 'zod';
import { allScopeDeps } from '../shared/adapters/wiring';
import { isQuarter, quarterOfDate } from '../shared/domain/periods';
import { type IntakeDeps, openPeriod, quarterDue, sendReminders } from '../shared/features/intake/service';
import { log } from '../shared/log';
import { withLogContext } from '../shared/observability/log-context';

/**
 * EventBridge Scheduler target (infra/constructs/intake-schedule.ts): "open" at a quarter's
 * start mails every division its invite; "remind" a few days before the deadline mails the
 * divisions still missing. The quarter is worked out from the clock unless the input names one.
 */
const ScheduledInput = z.object({
  action: z.enum(['open', 'remind']),
  period: z.string().refine(isQuarter, 'period must be a quarter such as 2021-Q1').optional(),
});

export function makeHandler(deps: () => IntakeDeps) {
  return async (event: unknown) => {
    const input = ScheduledInput.parse(event);
    const d = deps();
    const now = d.now();
    if (input.action === 'open') {
      // On the 15th of a quarter's last month, the new quarter's data window has just begun.
      const periodId = input.period ?? quarterOfDate(now);
      const res = await openPeriod(d, periodId, 'scheduler');
      log.info('period opened', { periodId, invites: res.sent.length });
      return { action: 'open', periodId, invites: res.sent.length };
    }
    const periodId = input.period ?? quarterDue(now);
    const res = await sendReminders(d, periodId, 'scheduler');
    log.info('reminders sent', { periodId, reminded: res.reminded.length, skipped: res.skipped.length });
    return { action: 'remind', periodId, reminded: res.reminded.length };
  };
}

/** Every organization and report type of the deployment, one after the other. */
async function scopedHandler(event: unknown) {
  const results = [];
  for (const deps of await allScopeDeps()) {
    results.push({ orgId: deps.organization.id, reportType: deps.template.id, ...(await makeHandler(() => deps)(event)) });
  }
  return results;
}

export const handler = withLogContext(scopedHandler);

import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { eventFromState } from '../shared/domain/approval-plan';
import { planNextApproval } from '../shared/features/approval/approvals';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';

/** State: the run input, the previous plan at $.plan.Payload (absent at start), the last event at $.event and $.execution. */
const Input = z.object({
  reportId: z.string().min(1),
  plan: z.object({ Payload: z.any() }).optional(),
  event: z.unknown().optional(),
  /** Set by the machine's first state from $$.Execution.StartTime: how old this execution is. */
  execution: z.object({ startedAt: z.string() }).optional(),
});

export function makeHandler(deps: () => Parameters<typeof planNextApproval>[0]) {
  return retryTransient(async (raw: unknown) => {
    const input = Input.parse(raw);
    const event = eventFromState(input.event);
    return planNextApproval(deps(), {
      reportId: input.reportId,
      previous: event.kind === 'start' ? undefined : input.plan?.Payload,
      event,
      executionStartedAt: input.execution?.startedAt,
    });
  });
}

export const handler = withLogContext(byReport(makeHandler));

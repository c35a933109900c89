import { z } from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { eventFromState } from '../shared/domain/approval-plan';
import { planNextApproval } from '../shared/features/approval/approvals';

/** State: the run input, the previous plan at $.plan.Payload (absent at start) and the last event at $.event. */
const Input = z.object({
  reportId: z.string().min(1),
  plan: z.object({ Payload: z.any() }).optional(),
  event: z.unknown().optional(),
});

export function makeHandler(deps: () => Parameters<typeof planNextApproval>[0]) {
  return async (raw: unknown) => {
    const input = Input.parse(raw);
    const event = eventFromState(input.event);
    return planNextApproval(deps(), {
      reportId: input.reportId,
      previous: event.kind === 'start' ? undefined : input.plan?.Payload,
      event,
    });
  };
}

export const handler = byReport(makeHandler);

import '../shared/adapters/wiring-signing'; // renders or signs PDFs (FUNCTION_PROFILES.rendersPdf)
import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { signDocument } from '../shared/features/signing/sign-person';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';

/** SignDocument task: the state, with the previous plan at $.signing.Payload (absent on entry) and the last event at $.event. */
const Input = z.object({
  reportId: z.string().min(1),
  periodId: z.string().min(1),
  signing: z.object({ Payload: z.object({ next: z.string(), timeoutSeconds: z.number() }).passthrough() }).optional(),
  event: z.unknown().optional(),
});

export function makeHandler(deps: () => Parameters<typeof signDocument>[0]) {
  return retryTransient(async (raw: unknown) => {
    const input = Input.parse(raw);
    return signDocument(deps(), {
      reportId: input.reportId,
      periodId: input.periodId,
      previous: input.signing?.Payload as Parameters<typeof signDocument>[1]['previous'],
      event: input.event,
    });
  });
}

export const handler = withLogContext(byReport(makeHandler));

import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { buildDraft } from '../shared/features/reports/draft';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';
import { RunInput } from './run-input';

/** State: the run input plus $.aggregate.Payload from the Aggregate task. */
const Input = RunInput.extend({ aggregate: z.object({ Payload: z.object({ key: z.string().min(1) }) }) });

export function makeHandler(deps: () => Parameters<typeof buildDraft>[0]) {
  return retryTransient(async (event: unknown) => {
    const input = Input.parse(event);
    return buildDraft(deps(), { ...input, aggregate: input.aggregate.Payload });
  });
}

export const handler = withLogContext(byReport(makeHandler));

import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { recordFailure } from '../shared/features/reports/lifecycle';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';
import { RunInput } from './run-input';

const Input = RunInput.extend({ error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional() });

export function makeHandler(deps: () => Parameters<typeof recordFailure>[0]) {
  return retryTransient(async (event: unknown) => recordFailure(deps(), Input.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

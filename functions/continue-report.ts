import * as z from 'zod';
import { byReport, workflowFor } from '../shared/adapters/wiring';
import { resumeReport } from '../shared/features/reports/resume';
import { withLogContext } from '../shared/observability/log-context';

/**
 * ContinueAsNew task: this execution is old; a fresh one takes the report over from its record.
 * The state machine's ARN comes from the execution context ($.execution), not the environment:
 * an environment variable naming the machine that invokes this function would be a cycle.
 */
const Input = z.object({
  reportId: z.string().min(1),
  execution: z.object({ id: z.string().min(1), stateMachine: z.string().min(1) }),
});

export function makeHandler(deps: () => Parameters<typeof resumeReport>[0], workflow = workflowFor) {
  return async (event: unknown) => {
    const input = Input.parse(event);
    return resumeReport(
      { ...deps(), workflow: workflow(input.execution.stateMachine) },
      { reportId: input.reportId, actor: 'system', reason: 'continue', from: input.execution.id },
    );
  };
}

export const handler = withLogContext(byReport((deps) => makeHandler(deps)));

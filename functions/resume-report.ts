import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { resumePoint } from '../shared/features/reports/resume';
import { withLogContext } from '../shared/observability/log-context';

/** ResumeReport task: the execution input `{ reportId, resume: true }`; answers where to enter. */
const Input = z.object({ reportId: z.string().min(1) });

export function makeHandler(deps: () => Parameters<typeof resumePoint>[0]) {
  return async (event: unknown) => resumePoint(deps(), Input.parse(event).reportId);
}

export const handler = withLogContext(byReport(makeHandler));

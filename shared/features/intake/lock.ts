import { deadlineEndMs, quarterDeadline } from '../../domain/periods';
import type { IntakeState } from './ports';

export interface LockState {
  /** True when uploads through an invite are refused now. */
  locked: boolean;
  /** End of the deadline day (Vietnam time), ISO. */
  deadlineEnd: string;
  /** Set while a reopen is in force. */
  reopenedUntil?: string;
}

/**
 * A quarter locks for a division at the end of its deadline day (the 20th of the quarter's
 * last month, Vietnam time), unless the compiler reopened it and the reopen is still running.
 */
export function lockState(periodId: string, now: Date, state?: Pick<IntakeState, 'reopenedUntil'>): LockState {
  const end = deadlineEndMs(quarterDeadline(periodId));
  const deadlineEnd = new Date(end).toISOString();
  const t = now.getTime();
  if (t <= end) return { locked: false, deadlineEnd };
  const until = state?.reopenedUntil;
  if (until && t <= Date.parse(until)) return { locked: false, deadlineEnd, reopenedUntil: until };
  return { locked: true, deadlineEnd };
}

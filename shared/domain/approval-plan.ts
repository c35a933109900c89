import type { ApprovalStep, Contact } from '../config/schema';
import { fromVietnamWallClock, vietnamWallClock } from '../format/vietnam-time';

/**
 * The approval chain as a pure state machine, evaluated by the PlanApproval task after every
 * event (start, a decision, a timer). Phases advance only on timer events — never on the wall
 * clock — so a locally accelerated clock (timeScale) walks the same path as real time.
 *
 *   waiting ──timer──▶ reminded ──timer──▶ escalated ──timer──▶ expired (ApprovalTimedOut)
 *      └──────────── approve ─────────────▶ next step (waiting) … ▶ done
 */
export type ApprovalPhase = 'waiting' | 'reminded' | 'escalated';

export interface ApprovalState {
  stepIndex: number;
  phase: ApprovalPhase;
  /** Seconds the AwaitApproval task waits before its timer event (TimeoutSecondsPath). */
  timeoutSeconds: number;
  /** When the step's decision is due (ISO), for emails and pages. */
  deadline: string;
  stepStartedAt: string;
  done: boolean;
  expired: boolean;
  /** Set by PlanApproval when the execution is too old to wait again: a fresh execution takes over (continue-as-new). */
  continueAsNew?: boolean;
}

/** `resume`: a new execution enters the planner from the report's record (restart, continue-as-new, operator). */
export type ApprovalEvent = { kind: 'start' } | { kind: 'approved'; decidedBy?: string } | { kind: 'timer' } | { kind: 'resume' };

/**
 * Reads the event the state machine left at `$.event`: `{start:true}` from StartApprovalChain,
 * the decision handler's `{decision:'approve'}`, or the caught `States.Timeout`. Anything else is
 * a bug upstream and must not silently restart the chain.
 */
export function eventFromState(raw: unknown): ApprovalEvent {
  const e = (raw ?? {}) as { start?: boolean; resume?: boolean; Error?: string; decision?: string; decidedBy?: string };
  if (e.start === true) return { kind: 'start' };
  if (e.resume === true) return { kind: 'resume' };
  if (e.Error === 'States.Timeout') return { kind: 'timer' };
  if (e.decision === 'approve') return { kind: 'approved', decidedBy: e.decidedBy };
  throw new Error(`Unexpected approval event: ${JSON.stringify(raw)?.slice(0, 200)}`);
}

/** Recompile rounds per report: keeps the execution history far below the 25 000-event limit. */
export const MAX_DRAFTS = 20;

const HOUR = 3600;

/** Adds working days (Mon–Fri in Vietnam time), keeping the time of day. */
export function addWorkingDays(start: Date, days: number): Date {
  const local = vietnamWallClock(start);
  let left = days;
  while (left > 0) {
    local.setUTCDate(local.getUTCDate() + 1);
    const dow = local.getUTCDay();
    if (dow !== 0 && dow !== 6) left--;
  }
  return fromVietnamWallClock(local);
}

export function stepDeadline(step: ApprovalStep, start: Date): Date {
  if (step.deadlineWorkingDays !== undefined) return addWorkingDays(start, step.deadlineWorkingDays);
  return new Date(start.getTime() + (step.deadlineHours ?? 48) * HOUR * 1000);
}

export function enterStep(chain: ApprovalStep[], stepIndex: number, now: Date): ApprovalState {
  const step = chain[stepIndex];
  const deadline = stepDeadline(step, now);
  const total = Math.max(1, Math.round((deadline.getTime() - now.getTime()) / 1000));
  // Remind before the deadline; on a short deadline, halfway.
  const remindBefore = Math.min(step.remindHoursBefore * HOUR, total / 2);
  return {
    stepIndex,
    phase: 'waiting',
    timeoutSeconds: Math.max(1, Math.round(total - remindBefore)),
    deadline: deadline.toISOString(),
    stepStartedAt: now.toISOString(),
    done: false,
    expired: false,
  };
}

export function planApproval(chain: ApprovalStep[], state: ApprovalState | undefined, event: ApprovalEvent, now: Date): ApprovalState {
  if (event.kind === 'resume') throw new Error('A resume is planned by resumeApproval, from the report record');
  if (!state || event.kind === 'start') return enterStep(chain, 0, now);
  if (event.kind === 'approved') {
    const next = state.stepIndex + 1;
    if (next >= chain.length) return { ...state, done: true, timeoutSeconds: 1 };
    return enterStep(chain, next, now);
  }
  const step = chain[state.stepIndex];
  if (state.phase === 'waiting') {
    const left = Math.max(
      1,
      Math.round((new Date(state.deadline).getTime() - new Date(state.stepStartedAt).getTime()) / 1000) - state.timeoutSeconds,
    );
    return { ...state, phase: 'reminded', timeoutSeconds: left };
  }
  if (state.phase === 'reminded') {
    const seconds = Math.round(step.escalationHours * HOUR);
    return {
      ...state,
      phase: 'escalated',
      timeoutSeconds: seconds,
      deadline: new Date(now.getTime() + seconds * 1000).toISOString(),
    };
  }
  return { ...state, expired: true, timeoutSeconds: 1 };
}

/** Who may decide in a phase: the step's approvers, plus the escalation targets once escalated. */
export function deciders(chain: ApprovalStep[], stepIndex: number, phase: ApprovalPhase, compiler: Contact): Contact[] {
  const step = chain[stepIndex];
  if (phase !== 'escalated') return step.approvers;
  const targets = step.deputies.length > 0 ? step.deputies : (chain[stepIndex + 1]?.approvers ?? [compiler]);
  const seen = new Set<string>();
  return [...step.approvers, ...targets].filter((c) => !seen.has(c.email) && seen.add(c.email));
}

/**
 * Where a resumed chain continues, from the record alone: at the first step without an approval
 * of the current draft (every approval already given is kept). If the recorded plan is that very
 * step, its phase and deadline are kept (a restart does not restart the reminder/escalation
 * ladder; the wait of the phase starts again); otherwise the step is entered afresh.
 */
export function resumeApproval(
  chain: ApprovalStep[],
  recorded: ApprovalState | undefined,
  approvedSteps: ReadonlySet<number>,
  now: Date,
): ApprovalState {
  const first = chain.findIndex((_, i) => !approvedSteps.has(i));
  if (first < 0) {
    const last = chain.length - 1;
    return {
      ...(recorded ?? enterStep(chain, last, now)),
      stepIndex: last,
      done: true,
      expired: false,
      timeoutSeconds: 1,
      continueAsNew: false,
    };
  }
  if (recorded && recorded.stepIndex === first && !recorded.done) return { ...recorded, continueAsNew: false };
  return enterStep(chain, first, now);
}

/** Age after which an execution hands over to a fresh one before it waits again: the pipeline's executions time out at 30 days. */
export const CONTINUE_AFTER_SECONDS = 25 * 86400;

import type { ApprovalStep, Contact } from '../config/schema';

/**
 * The competent person's signature as a pure state machine, evaluated by the SignDocument task
 * after every provider answer. Like the approval planner, it advances on timer events (one
 * WaitForSigner round = SIGN_POLL_SECONDS of calendar), never on the wall clock, so an
 * accelerated local clock walks the same path as real time.
 *
 *   request ─pending─▶ poll ⟲ (every SIGN_POLL_SECONDS) ─signed──▶ signed (the văn thư's turn)
 *      ▲                 └─ expired / SIGN_REQUEST_SECONDS waited / provider outage that long
 *      └── re-request (reminder mail; the last one copies the compiler: escalation) ◀┘
 *   after MAX_SIGN_REQUESTS expiries, or a rejection on the person's device: stalled — the
 *   compiler is told and chooses "thử ký lại" (a fresh series of requests) or to stop.
 */

/** One WaitForSigner round: how often the provider is asked whether the person confirmed. */
export const SIGN_POLL_SECONDS = 15;
/** Vietnamese remote-signing services drop a request after about five minutes. */
export const SIGN_REQUEST_SECONDS = 300;
/** Requests in one series before the compiler is asked (the first, a reminder, an escalation). */
export const MAX_SIGN_REQUESTS = 3;

/** request: a new request is to be prepared; pending: sent (no transaction yet: not acknowledged, ask again with the same id). */
export type SignerPhase = 'request' | 'pending' | 'stalled' | 'signed';

export interface SignerState {
  phase: SignerPhase;
  /** 1-based request of the current series. */
  attempt: number;
  /** Every request ever made for this report: names the next request (`<reportId>#sign#<n>`). */
  requests: number;
  transactionId?: string;
  requestedAt?: string;
  /** Calendar seconds waited on the current request (rounds × SIGN_POLL_SECONDS). */
  waitedSeconds: number;
  /** Why the signing stalled (for the compiler's mail and the report page). */
  stalled?: { reason: 'rejected' | 'expired' | 'outage'; detail: string; at: string };
}

/** What the provider said, without the signature bytes. `outage`: it could not be reached. */
export type ProviderAnswer =
  | { status: 'signed' }
  | { status: 'pending'; transactionId: string }
  | { status: 'rejected'; reason: string }
  | { status: 'expired' }
  | { status: 'outage'; message: string };

export type SignerAction =
  /** Ask the provider for a (new) signature now. */
  | 'request'
  /** Wait a round, then poll the provider. */
  | 'poll'
  /** Ask the compiler: retry or stop. */
  | 'stall'
  | 'signed';

export interface SignerStep {
  state: SignerState;
  action: SignerAction;
  /** Mail to send with this step: a re-request is a reminder to the signer; the last one escalates to the compiler. */
  notify?: 'reminder' | 'escalation';
}

export function initialSigner(): SignerState {
  return { phase: 'request', attempt: 1, requests: 0, waitedSeconds: 0 };
}

/** The state once a request was sent (before its answer is known). */
export function requested(state: SignerState, now: Date): SignerState {
  return {
    ...state,
    phase: 'pending',
    requests: state.requests + 1,
    requestedAt: now.toISOString(),
    waitedSeconds: 0,
    transactionId: undefined,
  };
}

/**
 * The next step after the provider's answer. `polled` is true when the answer came from a poll
 * after a WaitForSigner round (a round of calendar time has passed), false for the answer to a
 * request just sent.
 */
export function afterAnswer(state: SignerState, answer: ProviderAnswer, polled: boolean, now: Date): SignerStep {
  if (answer.status === 'signed') return { state: { ...state, phase: 'signed', stalled: undefined }, action: 'signed' };
  if (answer.status === 'rejected') return stall(state, 'rejected', answer.reason, now);
  const waited = state.waitedSeconds + (polled ? SIGN_POLL_SECONDS : 0);
  if (answer.status === 'expired' || waited >= SIGN_REQUEST_SECONDS) {
    const detail = answer.status === 'outage' ? answer.message : 'Yêu cầu ký đã hết hạn mà người ký chưa xác nhận.';
    return expire(state, answer.status === 'outage' ? 'outage' : 'expired', detail, now);
  }
  if (answer.status === 'pending')
    return { state: { ...state, phase: 'pending', transactionId: answer.transactionId, waitedSeconds: waited }, action: 'poll' };
  // Outage: poll the transaction again after a round or, without one (the request may not have
  // reached the provider), send the same request again (same id); the round counts against its life.
  return { state: { ...state, phase: 'pending', waitedSeconds: waited }, action: 'poll' };
}

function expire(state: SignerState, reason: 'expired' | 'outage', detail: string, now: Date): SignerStep {
  if (state.attempt >= MAX_SIGN_REQUESTS) return stall(state, reason, detail, now);
  const attempt = state.attempt + 1;
  return {
    state: { ...state, phase: 'request', attempt, transactionId: undefined, waitedSeconds: 0 },
    action: 'request',
    notify: attempt >= MAX_SIGN_REQUESTS ? 'escalation' : 'reminder',
  };
}

function stall(state: SignerState, reason: 'rejected' | 'expired' | 'outage', detail: string, now: Date): SignerStep {
  return {
    state: { ...state, phase: 'stalled', transactionId: undefined, stalled: { reason, detail, at: now.toISOString() } },
    action: 'stall',
  };
}

/** The compiler chose "thử ký lại": a fresh series of requests (the request counter goes on). */
export function retrySeries(state: SignerState): SignerState {
  return { ...state, phase: 'request', attempt: 1, transactionId: undefined, waitedSeconds: 0, stalled: undefined };
}

/** Hours the văn thư has to apply the organization's signature before the compiler is asked to step in. */
export const SEAL_DEADLINE_HOURS = 24;

/**
 * The văn thư's wait as a one-step approval chain, so the approval planner's ladder (reminder →
 * escalation to the compiler → expiry) applies unchanged (shared/domain/approval-plan.ts).
 */
export function sealStep(clerk: Contact, compiler: Contact, hours = SEAL_DEADLINE_HOURS): ApprovalStep {
  return {
    role: 'Văn thư',
    approvers: [clerk],
    deadlineHours: hours,
    remindHoursBefore: Math.max(1, Math.round(hours / 2)),
    deputies: [compiler],
    escalationHours: hours,
  };
}

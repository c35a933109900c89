import { describe, expect, it } from 'vitest';
import {
  afterAnswer,
  initialSigner,
  MAX_SIGN_REQUESTS,
  requested,
  retrySeries,
  SIGN_POLL_SECONDS,
  SIGN_REQUEST_SECONDS,
  type SignerState,
} from '../../shared/domain/signing-plan';

const NOW = new Date('2026-01-05T07:30:00Z');
const pending = { status: 'pending', transactionId: 'tx-1' } as const;

/** Sends a request and answers it pending: the state a poll starts from. */
function waiting(state: SignerState = initialSigner()): SignerState {
  return afterAnswer(requested(state, NOW), pending, false, NOW).state;
}

describe('the signer planner (shared/domain/signing-plan.ts)', () => {
  it('polls while the person has not confirmed, counting rounds of calendar time, not the wall clock', () => {
    let s = waiting();
    expect(s).toMatchObject({ phase: 'pending', attempt: 1, requests: 1, transactionId: 'tx-1', waitedSeconds: 0 });
    for (let round = 1; round * SIGN_POLL_SECONDS < SIGN_REQUEST_SECONDS; round++) {
      const step = afterAnswer(s, pending, true, NOW);
      expect(step.action).toBe('poll');
      s = step.state;
      expect(s.waitedSeconds).toBe(round * SIGN_POLL_SECONDS);
    }
  });

  it('signs on a signed answer, from a request or a poll', () => {
    expect(afterAnswer(requested(initialSigner(), NOW), { status: 'signed' }, false, NOW)).toMatchObject({
      action: 'signed',
      state: { phase: 'signed' },
    });
    expect(afterAnswer(waiting(), { status: 'signed' }, true, NOW).action).toBe('signed');
  });

  it('re-requests after an expiry (a reminder, the last one an escalation), then stalls after MAX_SIGN_REQUESTS', () => {
    let s = waiting();
    const notes: Array<string | undefined> = [];
    for (let i = 1; i < MAX_SIGN_REQUESTS; i++) {
      const step = afterAnswer(s, { status: 'expired' }, true, NOW);
      expect(step.action).toBe('request');
      expect(step.state).toMatchObject({ phase: 'request', attempt: i + 1, transactionId: undefined, waitedSeconds: 0 });
      notes.push(step.notify);
      s = waiting(step.state);
    }
    expect(notes).toEqual([...Array(MAX_SIGN_REQUESTS - 2).fill('reminder'), 'escalation']);
    expect(s.requests).toBe(MAX_SIGN_REQUESTS);
    const last = afterAnswer(s, { status: 'expired' }, true, NOW);
    expect(last.action).toBe('stall');
    expect(last.state.stalled).toMatchObject({ reason: 'expired', at: NOW.toISOString() });
  });

  it('treats a request the provider keeps pending beyond its life (~5 minutes of rounds) as expired', () => {
    const s = { ...waiting(), waitedSeconds: SIGN_REQUEST_SECONDS - SIGN_POLL_SECONDS };
    const step = afterAnswer(s, pending, true, NOW);
    expect(step).toMatchObject({ action: 'request', notify: 'reminder', state: { attempt: 2 } });
  });

  it('stalls at once on a rejection on the device; "thử ký lại" starts a fresh series, the request count goes on', () => {
    const step = afterAnswer(waiting(), { status: 'rejected', reason: 'Không đồng ý' }, true, NOW);
    expect(step).toMatchObject({ action: 'stall', state: { phase: 'stalled', stalled: { reason: 'rejected', detail: 'Không đồng ý' } } });
    const again = retrySeries(step.state);
    expect(again).toMatchObject({ phase: 'request', attempt: 1, requests: 1, stalled: undefined });
    expect(requested(again, NOW).requests).toBe(2);
  });

  it('rides out an outage: a round later it asks again (or polls its transaction), until the request life is used up', () => {
    const outage = { status: 'outage', message: 'Dịch vụ ký số không phản hồi: 503' } as const;
    // The request itself failed: no transaction; after a round the same request (same id) is sent again.
    const first = afterAnswer(requested(initialSigner(), NOW), outage, false, NOW);
    expect(first).toMatchObject({ action: 'poll', state: { phase: 'pending', transactionId: undefined, requests: 1 } });
    expect(afterAnswer(first.state, outage, true, NOW).state.waitedSeconds).toBe(SIGN_POLL_SECONDS);
    // A poll failed: the transaction is kept and polled again.
    const polled = afterAnswer(waiting(), outage, true, NOW);
    expect(polled).toMatchObject({ action: 'poll', state: { phase: 'pending', transactionId: 'tx-1', waitedSeconds: SIGN_POLL_SECONDS } });
    // Too long: counted as an expiry of this request; the last one stalls naming the outage.
    const spent = { ...waiting(), attempt: MAX_SIGN_REQUESTS, waitedSeconds: SIGN_REQUEST_SECONDS };
    expect(afterAnswer(spent, outage, true, NOW).state.stalled).toMatchObject({ reason: 'outage', detail: outage.message });
  });
});

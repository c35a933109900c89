import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { submitSamples } from '../../infra/local/demo-flow';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { organization } from '../../shared/config';

// 1 day of approval time passes in 1 s: reminder, escalation and expiry run for real on the
// synthesized definition, only faster.
const TIME_SCALE = 86400;
let runtime: LocalRuntime;
let client: BaocaoClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, timeScale: TIME_SCALE });
  client = new BaocaoClient(runtime.urls.api);
  await submitSamples(client, ['2021-Q1'], () => {});
});

afterAll(async () => {
  await runtime?.stop();
});

const [cvp] = organization.approvalChain[0].approvers;
const [deputy] = organization.approvalChain[0].deputies;

async function waitForMail(pred: (m: Awaited<ReturnType<BaocaoClient['inbox']>>[number]) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await client.inbox()).find(pred);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('no such mail');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('approval timers on the embedded runtime (accelerated clock)', () => {
  it('nobody decides: reminder → escalation to the deputy → the run times out, nothing waits forever', async () => {
    const { reportId } = await client.compile('2021-Q1', undefined, undefined, true);
    const since = new Date().toISOString();
    const fresh = (m: { receivedAt: string }) => m.receivedAt >= since;
    const request = await waitForMail((m) => fresh(m) && m.subject.startsWith('[Cần phê duyệt]') && m.to.includes(cvp.email));
    const reminder = await waitForMail((m) => fresh(m) && m.subject.startsWith('[Nhắc phê duyệt]') && m.to.includes(cvp.email));
    await waitForMail((m) => fresh(m) && m.subject.startsWith('[Quá hạn') && m.to.includes(deputy.email));

    // The reminder replaced the first link.
    await expect(client.decide(linksIn(request.text, 'decision')[0], 'approve')).rejects.toThrow(/liên kết mới hơn/);
    expect(linksIn(reminder.text, 'decision')).toHaveLength(1);

    let view = await client.report(reportId);
    for (let i = 0; i < 200 && view.execution?.status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = await client.report(reportId);
    }
    expect(view.execution?.status).toBe('FAILED');
    expect(view.execution?.error).toBe('ApprovalTimedOut');
    expect(view.report.status).toBe('timed_out');
    const actions = (await client.audit(reportId)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['email.approval_request', 'email.approval_reminder', 'email.approval_escalation', 'approval.expired']),
    );
  });

  it('the deputy reached by escalation can decide, and the chain goes on', async () => {
    // The test's organization gives step 1 a longer escalation window (8 days = 8 s here instead of
    // 1 s), so the deputy's decision lands inside it on a loaded machine too. The handlers run in
    // this process and read this very organization object.
    const step = organization.approvalChain[0];
    const escalationHours = step.escalationHours;
    step.escalationHours = 8 * 24;
    let reportId: string;
    let since: string;
    try {
      ({ reportId } = await client.compile('2021-Q1', undefined, undefined, true));
      since = new Date().toISOString();
      const escalation = await waitForMail((m) => m.receivedAt >= since && m.subject.startsWith('[Quá hạn') && m.to.includes(deputy.email));
      await client.decide(linksIn(escalation.text, 'decision')[0], 'approve');
    } finally {
      step.escalationHours = escalationHours;
    }
    const report = (await client.report(reportId)).report;
    expect(report.decisions[0]).toMatchObject({ stepIndex: 0, decision: 'approve' });
    expect(report.decisions[0].decidedBy).toContain(deputy.email);
    const next = organization.approvalChain[1].approvers[0];
    await waitForMail((m) => m.receivedAt >= since && m.subject.startsWith('[Cần phê duyệt]') && m.to.includes(next.email));
  });
});

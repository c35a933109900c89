/** Issue 10 §3 on the use cases, with interleavings: one decision per step, exclusive report actions, one active report per period. */
import { beforeEach, describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { sha256 } from '../../shared/crypto';
import { ConflictError } from '../../shared/errors';
import { reviseReport } from '../../shared/features/approval/approvals';
import { checkComment, MAX_COMMENT_CHARS } from '../../shared/features/approval/comment';
import { adoptHandedOnDecision, decide, inspectLink, publishDecision } from '../../shared/features/approval/decide';
import { startCompile } from '../../shared/features/reports/compile';
import { recordFailure } from '../../shared/features/reports/lifecycle';
import type { ApprovalLink, ReportRecord } from '../../shared/ports';
import { getTemplate } from '../../shared/templates';
import { FakeDeskStore, FakeReportRepo, FakeWorkflow, named } from './race-fakes';

const NOW = new Date('2021-12-16T03:00:00Z');
let repo: FakeReportRepo;
let workflow: FakeWorkflow;
const template = getTemplate('cchc');

function deps() {
  return {
    repo,
    workflow,
    blobs: { presignGet: async () => 'https://s3/draft', get: async () => Buffer.from('{}'), getModel: async () => undefined },
    desk: new FakeDeskStore(),
    mailer: { send: async () => ({ messageId: 'm' }) },
    template,
    organization,
    baseUrl: 'https://baocao.example',
    now: () => NOW,
    local: false,
  };
}

const report = (over: Partial<ReportRecord> = {}): ReportRecord => ({
  reportId: 'r1',
  periodId: '2021-Q1',
  status: 'awaiting_approval',
  requestedBy: 'c@x',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  drafts: [{ version: 1, key: 'drafts/r1/v1/a.docx', sha256: 'd1', fileName: 'a.docx', createdAt: NOW.toISOString() }],
  currentStep: 0,
  decisions: [],
  ...over,
});

/** A pending link of step 1 for `secret`, as AwaitApproval stores it. */
async function link(secret: string, email: string, over: Partial<ApprovalLink> = {}) {
  await repo.putApprovalLink({
    linkHash: sha256(secret),
    reportId: 'r1',
    periodId: '2021-Q1',
    stepIndex: 0,
    role: 'Chánh Văn phòng',
    approverEmail: email,
    approverName: email.split('@')[0],
    taskToken: 'TOKEN-1',
    draftSha256: 'd1',
    draftKey: 'drafts/r1/v1/a.docx',
    draftVersion: 1,
    createdAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + 86_400_000).toISOString(),
    status: 'pending',
    ...over,
  });
}

const decisionAudit = () => repo.audit.filter((a) => a.action.startsWith('decision.'));

beforeEach(async () => {
  repo = new FakeReportRepo();
  workflow = new FakeWorkflow();
  await repo.createReport(report());
  await link('a', 'a@x');
  await link('b', 'b@x');
});

describe('one decision per step (any-of approvers)', () => {
  it('two approvers at once: exactly one decision is recorded and handed on; the other learns who decided', async () => {
    const [ra, rb] = await Promise.all([
      decide(deps(), { secret: 'a', decision: 'approve' }),
      decide(deps(), { secret: 'b', decision: 'return', comment: 'Bổ sung số liệu.' }),
    ]);
    const results = [ra, rb];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser).toMatchObject({ ok: false, problem: 'decided' });
    const winner = results.find((r) => r.ok);
    const stored = (await repo.getReport('r1'))?.decisions ?? [];
    expect(stored).toHaveLength(1);
    expect(workflow.handoffs).toHaveLength(1);
    // The workflow got the same decision the report shows, and the loser was told that one.
    expect(workflow.handoffs[0].kind).toBe(stored[0].decision === 'approve' ? 'succeed' : 'fail');
    expect(winner?.ok && winner.record.decision).toBe(stored[0].decision);
    expect(loser && 'holder' in loser && loser.holder?.record.decidedBy).toBe(stored[0].decidedBy);
    expect(decisionAudit()).toHaveLength(1);
    // Both links are spent: the winner's used, the other superseded.
    expect([...repo.links.values()].map((l) => l.status).sort()).toEqual(['superseded', 'used']);
  });

  it('a decision is not visible until the hand-off succeeded; meanwhile the other approver sees it in flight', async () => {
    let open!: () => void;
    workflow.gate = new Promise<void>((r) => {
      open = r;
    });
    const first = decide(deps(), { secret: 'a', decision: 'approve' });
    await new Promise((r) => setTimeout(r, 20));
    expect((await repo.getReport('r1'))?.decisions).toHaveLength(0);
    expect(decisionAudit()).toHaveLength(0);
    const seen = await inspectLink(deps(), 'b');
    expect(seen.problem).toBe('decided');
    expect(seen.holder?.state).toBe('claimed');
    expect(await decide(deps(), { secret: 'b', decision: 'approve' })).toMatchObject({ ok: false, problem: 'decided' });
    open();
    expect((await first).ok).toBe(true);
    expect((await repo.getReport('r1'))?.decisions).toHaveLength(1);
    expect((await repo.getDecision('r1', 1, 0))?.state).toBe('final');
  });

  it('a hand-off the workflow refuses for good (task timed out) records nothing and frees the step', async () => {
    workflow.failures.push(named('TaskTimedOut', 'Task Timed Out'));
    expect(await decide(deps(), { secret: 'a', decision: 'approve' })).toEqual({ ok: false, problem: 'handoff-expired' });
    expect((await repo.getReport('r1'))?.decisions).toHaveLength(0);
    expect(decisionAudit()).toHaveLength(0);
    expect((await repo.getDecision('r1', 1, 0))?.state).toBe('void');
    expect(repo.links.get(sha256('a'))?.status).toBe('superseded');
    // The step can still be decided through a live link.
    expect((await decide(deps(), { secret: 'b', decision: 'approve' })).ok).toBe(true);
    expect((await repo.getReport('r1'))?.decisions.map((d) => d.decidedBy)).toEqual(['b <b@x>']);
  });

  it('a transient fault is retried; a lasting one records nothing and leaves the link usable', async () => {
    const throttled = () => named('ThrottlingException', 'Rate exceeded', { $metadata: { httpStatusCode: 400 } });
    workflow.failures.push(throttled(), throttled());
    expect((await decide(deps(), { secret: 'a', decision: 'approve' })).ok).toBe(true);
    expect(workflow.handoffs).toHaveLength(1);

    repo = new FakeReportRepo();
    workflow = new FakeWorkflow();
    await repo.createReport(report());
    await link('a', 'a@x');
    const down = () => named('ServiceUnavailable', 'down', { $metadata: { httpStatusCode: 503 } });
    workflow.failures.push(down(), down(), down());
    expect(await decide(deps(), { secret: 'a', decision: 'approve' })).toEqual({ ok: false, problem: 'handoff-unavailable' });
    expect(repo.links.get(sha256('a'))?.status).toBe('pending');
    expect((await repo.getReport('r1'))?.decisions).toHaveLength(0);
    expect((await decide(deps(), { secret: 'a', decision: 'approve' })).ok).toBe(true);
  });

  it('a 600 KB comment is refused naming the field before anything changes; the link stays usable', async () => {
    const res = await decide(deps(), { secret: 'a', decision: 'return', comment: 'x'.repeat(600 * 1024) });
    expect(res).toMatchObject({ ok: false, problem: 'invalid' });
    expect(res.ok || ('message' in res && res.message)).toMatch(/^Ý kiến quá dài: 614\.400 ký tự, tối đa 4\.000/);
    expect(await repo.getDecision('r1', 1, 0)).toBeUndefined();
    expect(repo.links.get(sha256('a'))?.status).toBe('pending');
    expect(workflow.handoffs).toHaveLength(0);
    expect(repo.audit).toHaveLength(0);
    expect((await decide(deps(), { secret: 'a', decision: 'return', comment: 'Ngắn gọn.' })).ok).toBe(true);
  });
});

describe('a decider that dies after the hand-off', () => {
  it('the next task of the workflow publishes the decision, exactly once even when both race', async () => {
    const record = {
      stepIndex: 0,
      role: 'Chánh Văn phòng',
      decision: 'approve' as const,
      decidedBy: 'a <a@x>',
      decidedAt: NOW.toISOString(),
      draftSha256: 'd1',
    };
    const claim = { reportId: 'r1', draftVersion: 1, stepIndex: 0, claimId: 'c1', state: 'claimed' as const, record };
    expect(await repo.claimDecision(claim)).toEqual({ ok: true });
    // Handed on, then the process died: nothing visible yet.
    expect((await repo.getReport('r1'))?.decisions).toHaveLength(0);
    await Promise.all([adoptHandedOnDecision(deps(), 'r1', 0), publishDecision(deps(), claim), adoptHandedOnDecision(deps(), 'r1', 0)]);
    expect((await repo.getReport('r1'))?.decisions).toEqual([record]);
    expect(decisionAudit().map((a) => [a.action, a.actor])).toEqual([['decision.approve', 'a@x']]);
  });
});

describe('the comment', () => {
  it('is NFC, stripped of zero-width characters, and a return needs visible text', () => {
    expect(checkComment('Ho\u0300a', 'approve')).toEqual({ ok: true, comment: 'Hòa' });
    expect(checkComment('\u200B\u200B \uFEFF', 'return')).toMatchObject({ ok: false, message: expect.stringContaining('Ý kiến') });
    expect(checkComment('\u200B', 'approve')).toEqual({ ok: true, comment: undefined });
    expect(checkComment('a'.repeat(MAX_COMMENT_CHARS), 'approve').ok).toBe(true);
    expect(checkComment('a'.repeat(MAX_COMMENT_CHARS + 1), 'approve').ok).toBe(false);
  });

  it('refuses bidirectional overrides and control characters', () => {
    for (const c of ['\u202E', '\u202A', '\u2066', '\u2069', '\u0007']) {
      expect(checkComment(`Đồng ý ${c}lại trả`, 'return')).toMatchObject({ ok: false, status: 400 });
    }
    expect(checkComment('Dòng 1\nDòng 2\tcột', 'return')).toEqual({ ok: true, comment: 'Dòng 1\nDòng 2\tcột' });
  });
});

describe('recompile, abandon and resend exclude each other', () => {
  it('recompile and abandon at once: one wins, the other gets 409 and audits nothing', async () => {
    await repo.updateReport('r1', { status: 'returned', revisionToken: 'REV-1' });
    const results = await Promise.allSettled([
      reviseReport(deps(), { reportId: 'r1', action: 'recompile', actor: 'c@x' }),
      reviseReport(deps(), { reportId: 'r1', action: 'abandon', actor: 'c@x', comment: 'Dừng.' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(ConflictError);
    expect(lost?.status === 'rejected' && (lost.reason as ConflictError).status).toBe(409);
    expect(repo.audit.filter((a) => a.action === 'report.recompile' || a.action === 'report.abandon')).toHaveLength(1);
    expect(workflow.handoffs).toHaveLength(1);
  });
});

describe('one active report per organization, report type and period', () => {
  it('two compiles at once: one starts, the other is refused with 409 offering to supersede', async () => {
    const results = await Promise.allSettled([
      startCompile(deps(), { periodId: '2021-Q2' }),
      startCompile(deps(), { periodId: '2021-Q2' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && (refused.reason as ConflictError).status).toBe(409);
    expect(workflow.started).toHaveLength(1);
    expect([...repo.reports.values()].filter((r) => r.periodId === '2021-Q2')).toHaveLength(1);
  });

  it('a refused compile says how to supersede; supersede stops the old run, revokes its links and takes the period', async () => {
    const first = await startCompile(deps(), { periodId: '2021-Q2' });
    await expect(startCompile(deps(), { periodId: '2021-Q2' })).rejects.toThrow(/supersede/);
    await link('old', 'a@x', { reportId: first.reportId, periodId: '2021-Q2' });
    const second = await startCompile(deps(), { periodId: '2021-Q2', supersede: true });
    expect(second.superseded).toBe(first.reportId);
    expect((await repo.getReport(first.reportId))?.status).toBe('superseded');
    expect(workflow.stopped).toEqual([first.executionArn]);
    expect(repo.links.get(sha256('old'))?.status).toBe('superseded');
    expect(repo.audit.filter((a) => a.reportId === first.reportId).map((a) => a.action)).toContain('report.superseded');
  });

  it('a report that ends rejected frees its period; a released one keeps it (keeping its number and status when superseded)', async () => {
    const first = await startCompile(deps(), { periodId: '2021-Q3' });
    await recordFailure(deps(), { reportId: first.reportId, periodId: '2021-Q3', error: { Error: 'Rejected', Cause: 'Dừng.' } });
    const second = await startCompile(deps(), { periodId: '2021-Q3' });
    expect(second.superseded).toBeUndefined();
    await repo.updateReport(second.reportId, { status: 'released' });
    await expect(startCompile(deps(), { periodId: '2021-Q3' })).rejects.toThrow(/được ban hành/);
    const third = await startCompile(deps(), { periodId: '2021-Q3', supersede: true });
    expect(third.superseded).toBe(second.reportId);
    expect(await repo.getReport(second.reportId)).toMatchObject({ status: 'released', supersededBy: third.reportId });
    expect(workflow.stopped).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ApprovalStepSchema, type Organization } from '../../shared/config/schema';
import { type ApprovalState, CONTINUE_AFTER_SECONDS, resumeApproval } from '../../shared/domain/approval-plan';
import { planNextApproval } from '../../shared/features/approval/approvals';
import { resumePoint, resumeReport } from '../../shared/features/reports/resume';
import type { AuditEntry, DecisionRecord, ReportRecord } from '../../shared/ports';
import { getTemplate } from '../../shared/templates';

const NOW = new Date('2025-04-01T03:00:00Z');
const chain = [0, 1, 2].map((i) =>
  ApprovalStepSchema.parse({ role: `Bước ${i + 1}`, approvers: [{ name: `A${i}`, email: `a${i}@x.example` }], deadlineHours: 48 }),
);
const draft = (v: number) => ({
  version: v,
  key: `drafts/R/v${v}.docx`,
  sha256: `h${v}`,
  fileName: `v${v}.docx`,
  createdAt: NOW.toISOString(),
});
const decision = (stepIndex: number, d: 'approve' | 'return', sha: string): DecisionRecord => ({
  stepIndex,
  role: `Bước ${stepIndex + 1}`,
  decision: d,
  decidedBy: 'x',
  decidedAt: NOW.toISOString(),
  draftSha256: sha,
  comment: d === 'return' ? 'Sửa lại' : undefined,
});

function store(initial: Partial<ReportRecord>) {
  let rec: ReportRecord = {
    reportId: 'R',
    periodId: '2025-Q1',
    status: 'awaiting_approval',
    requestedBy: 'c@x.example',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    drafts: [],
    decisions: [],
    ...initial,
  };
  const audit: AuditEntry[] = [];
  return {
    get record() {
      return rec;
    },
    audit,
    repo: {
      getReport: async () => structuredClone(rec),
      // No decision claim left behind by a decider that died after its hand-off.
      getDecision: async () => undefined,
      updateReport: async (_id: string, patch: Partial<ReportRecord>) => {
        rec = { ...rec, ...patch };
        return rec;
      },
      appendReportAudit: async (_id: string, e: AuditEntry) => {
        audit.push(e);
      },
      appendPeriodAudit: async () => undefined,
      listReportAudit: async () => audit,
      listPeriodAudit: async () => [],
    },
  };
}

describe('resumeApproval (pure)', () => {
  const waiting = (stepIndex: number, phase: ApprovalState['phase'] = 'waiting'): ApprovalState => ({
    stepIndex,
    phase,
    timeoutSeconds: 100,
    deadline: '2025-04-03T03:00:00.000Z',
    stepStartedAt: '2025-04-01T03:00:00.000Z',
    done: false,
    expired: false,
  });

  it('continues at the first step without an approval, keeping the recorded phase of that step', () => {
    expect(resumeApproval(chain, waiting(1, 'reminded'), new Set([0]), NOW)).toMatchObject({
      stepIndex: 1,
      phase: 'reminded',
      timeoutSeconds: 100,
    });
    // The recorded plan lags (the decision was recorded, the plan not): the next step starts fresh.
    expect(resumeApproval(chain, waiting(0), new Set([0]), NOW)).toMatchObject({
      stepIndex: 1,
      phase: 'waiting',
      stepStartedAt: NOW.toISOString(),
    });
    expect(resumeApproval(chain, undefined, new Set(), NOW)).toMatchObject({ stepIndex: 0, phase: 'waiting', done: false });
  });

  it('is done when every step approved the current draft', () => {
    expect(resumeApproval(chain, waiting(2), new Set([0, 1, 2]), NOW)).toMatchObject({ stepIndex: 2, done: true, expired: false });
  });
});

describe('planNextApproval', () => {
  const organization = { approvalChain: chain, approvalChains: {} } as unknown as Organization;
  const template = getTemplate('cchc');

  it('on resume keeps the approvals of the current draft only', async () => {
    const s = store({
      drafts: [draft(1), draft(2)],
      decisions: [decision(0, 'approve', 'h1'), decision(1, 'return', 'h1'), decision(0, 'approve', 'h2')],
    });
    const next = await planNextApproval(
      { repo: s.repo as never, organization, template, now: () => NOW },
      { reportId: 'R', event: { kind: 'resume' } },
    );
    expect(next).toMatchObject({ stepIndex: 1, phase: 'waiting', done: false, continueAsNew: false });
    expect(s.record.approval?.stepIndex).toBe(1);
  });

  it('asks for continue-as-new when the execution is old and about to wait (injected clock), never when done', async () => {
    const s = store({ drafts: [draft(1)] });
    const deps = { repo: s.repo as never, organization, template };
    const startedAt = NOW.toISOString();
    const young = new Date(NOW.getTime() + (CONTINUE_AFTER_SECONDS - 60) * 1000);
    const old = new Date(NOW.getTime() + CONTINUE_AFTER_SECONDS * 1000);
    const plan = (now: Date, event: { kind: 'start' } | { kind: 'approved' }, previous?: ApprovalState) =>
      planNextApproval({ ...deps, now: () => now }, { reportId: 'R', event, previous, executionStartedAt: startedAt });

    expect((await plan(young, { kind: 'start' })).continueAsNew).toBe(false);
    const first = await plan(old, { kind: 'start' });
    expect(first.continueAsNew).toBe(true);
    const last = { ...first, stepIndex: 2 };
    expect(await plan(old, { kind: 'approved' }, last)).toMatchObject({ done: true, continueAsNew: false });
  });
});

describe('resumePoint and resumeReport', () => {
  const workflow = (status = 'ABORTED') => {
    const started: Array<{ name: string; input: Record<string, unknown> }> = [];
    return {
      started,
      start: async (name: string, input: Record<string, unknown>) => {
        started.push({ name, input });
        return `arn:exec:${name}`;
      },
      describe: async (executionArn: string) => ({ executionArn, status }),
    };
  };

  it('answers where the record stands', async () => {
    const at = async (r: Partial<ReportRecord>) => (await resumePoint(store(r), 'R')).resumeAt;
    expect(await at({ status: 'compiling', drafts: [] })).toBe('processing');
    expect(await at({ status: 'compiling', drafts: [draft(1)] })).toBe('approval');
    expect(await at({ status: 'failed', drafts: [draft(1)], decisions: [decision(0, 'approve', 'h1')] })).toBe('approval');
    // A recompile was asked for: the returned draft is not approved again, the next one is built.
    expect(await at({ status: 'compiling', drafts: [draft(1)], decisions: [decision(0, 'return', 'h1')] })).toBe('processing');
    expect(await at({ status: 'released', drafts: [draft(1)] })).toBe('none');
    const returned = await resumePoint(store({ status: 'returned', drafts: [draft(1)], decisions: [decision(1, 'return', 'h1')] }), 'R');
    expect(returned).toMatchObject({ resumeAt: 'revision', event: { Error: 'Rejected', Cause: 'Sửa lại' }, draft: { sha256: 'h1' } });
  });

  it('starts a new execution named by the resume count, records it and audits report.resumed', async () => {
    const s = store({ status: 'awaiting_approval', drafts: [draft(1)], executionArn: 'arn:exec:R' });
    const wf = workflow('ABORTED');
    const res = await resumeReport({ repo: s.repo, workflow: wf, now: () => NOW }, { reportId: 'R', actor: 'system', reason: 'restart' });
    expect(res.executionArn).toBe('arn:exec:R-r1');
    expect(wf.started).toEqual([{ name: 'R-r1', input: { reportId: 'R', periodId: '2025-Q1', requestedBy: 'c@x.example', resume: true } }]);
    expect(s.record).toMatchObject({ executionArn: 'arn:exec:R-r1', resumes: 1 });
    expect(s.audit).toEqual([
      expect.objectContaining({ action: 'report.resumed', detail: expect.objectContaining({ previous: 'arn:exec:R' }) }),
    ]);
  });

  it('refuses a running or ended report in Vietnamese; a retried continue finds its successor', async () => {
    const running = store({ executionArn: 'arn:exec:R' });
    await expect(
      resumeReport(
        { repo: running.repo, workflow: workflow('RUNNING'), now: () => NOW },
        { reportId: 'R', actor: 'a', reason: 'operator' },
      ),
    ).rejects.toThrow(/đang chạy/);
    const ended = store({ status: 'released' });
    await expect(
      resumeReport({ repo: ended.repo, workflow: workflow(), now: () => NOW }, { reportId: 'R', actor: 'a', reason: 'operator' }),
    ).rejects.toThrow(/đã kết thúc/);
    const moved = store({ executionArn: 'arn:exec:R-r1', resumes: 1 });
    const wf = workflow('RUNNING');
    const again = await resumeReport(
      { repo: moved.repo, workflow: wf, now: () => NOW },
      { reportId: 'R', actor: 'system', reason: 'continue', from: 'arn:exec:R' },
    );
    expect(again.executionArn).toBe('arn:exec:R-r1');
    expect(wf.started).toEqual([]);
  });
});

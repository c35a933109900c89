import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extractStateMachine } from '../../infra/local/definition';
import { type LambdaHandler, LocalStepFunctions } from '../../infra/local/sfn';
import { synthTemplate } from '../../infra/synth';
import { ApprovalStepSchema } from '../../shared/config/schema';
import { eventFromState, planApproval } from '../../shared/domain/approval-plan';
import { TransientError } from '../../shared/transient-errors';

/** Two steps in plain hours: waiting 1 h → reminded 1 h → escalated 1 h → expired. */
const chain = [
  ApprovalStepSchema.parse({
    role: 'Chánh Văn phòng',
    approvers: [{ name: 'A', email: 'a@x.example' }],
    deadlineHours: 2,
    remindHoursBefore: 1,
    escalationHours: 1,
  }),
  ApprovalStepSchema.parse({
    role: 'Phó Giám đốc',
    approvers: [{ name: 'B', email: 'b@x.example' }],
    deadlineHours: 2,
    remindHoursBefore: 1,
    escalationHours: 1,
  }),
];
const HOUR = 3600;

/**
 * The synthesized pipeline on the local runner, with fake handlers: proves the adapter and the
 * loop wiring, not the handlers. plan-approval is the real pure planner (as functions/plan-approval.ts
 * calls it, minus the store), so the ChainComplete? branches see real plans.
 */
describe('synthesized state machine on LocalStepFunctions', () => {
  let extracted: ReturnType<typeof extractStateMachine>;
  let sfn: LocalStepFunctions | undefined;
  let calls: Array<{ handler: string; event: any }>;

  beforeAll(() => {
    extracted = extractStateMachine(synthTemplate());
  });
  afterEach(async () => {
    await sfn?.close();
    sfn = undefined;
  });

  const start = (opts: { timeScale?: number; fail?: string; transientOnce?: string; clerk?: boolean } = {}) => {
    calls = [];
    let drafts = 0;
    let releases = 0;
    let faulted = false;
    const fake =
      (handler: string): LambdaHandler =>
      async (event: any) => {
        calls.push({ handler, event: structuredClone(event) });
        if (handler === opts.fail) {
          const err = new Error(`simulated ${handler} failure`);
          err.name = 'SimulatedError';
          throw err;
        }
        if (handler === opts.transientOnce && !faulted) {
          faulted = true;
          throw new TransientError('DynamoDB tạm thời không phản hồi');
        }
        switch (handler) {
          case 'validate':
            return { ok: true };
          case 'build-docx':
            drafts++;
            return { key: `drafts/r-v${drafts}.docx`, sha256: `h${drafts}`, version: drafts };
          case 'plan-approval': {
            const e = eventFromState(event.event);
            return planApproval(chain, e.kind === 'start' ? undefined : event.plan?.Payload, e, new Date());
          }
          case 'request-approval':
            return { sent: 1, reason: event.approval.phase };
          case 'request-revision':
            return { notified: 1 };
          case 'release':
            // Clerk mode: the first Release asks for the number, the second releases with it.
            releases++;
            return opts.clerk && releases === 1 ? { awaitingNumber: true } : { number: 1 };
          case 'request-number':
            return { sent: 1 };
          case 'sign-document':
            // An organization that does not sign: straight on to Release.
            return { next: 'release', timeoutSeconds: 1 };
          default:
            return { handled: handler };
        }
      };
    sfn = new LocalStepFunctions({ ...extracted, timeScale: opts.timeScale ?? 1, resolveHandler: fake });
    return sfn;
  };

  const HANDLER_OF = {
    AwaitApproval: 'request-approval',
    AwaitRevision: 'request-revision',
    AwaitNumber: 'request-number',
  } as const;
  const count = (handler: string) => calls.filter((c) => c.handler === handler).length;
  /** The token of the n-th (1-based) wait in `state`, once it waits. */
  const waitFor = async (arn: string, state: keyof typeof HANDLER_OF, n: number) => {
    const r = await sfn!.waitForExecution(arn, (x) => x.waiting?.stateName === state && count(HANDLER_OF[state]) === n);
    return r.waiting!.token;
  };
  const approve = (token: string, by: string) => sfn!.sendTaskSuccess(token, JSON.stringify({ decision: 'approve', decidedBy: by }));
  const handlers = () => calls.map((c) => c.handler);
  const approvalsSeen = () =>
    calls.filter((c) => c.handler === 'request-approval').map((c) => `${c.event.approval.stepIndex}:${c.event.approval.phase}`);

  it('runs validate → aggregate → draft → plan → two approvals → release', async () => {
    const { executionArn } = await start().startExecution({ name: 'r1', input: { reportId: 'r1', periodId: '2021' } });

    const t0 = await waitFor(executionArn, 'AwaitApproval', 1);
    approve(t0, 'binh.cvp');
    const t1 = await waitFor(executionArn, 'AwaitApproval', 2);
    approve(t1, 'phuong.pgd');
    const done = await sfn!.waitForExecution(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(handlers()).toEqual([
      'validate',
      'aggregate',
      'build-docx',
      'plan-approval',
      'request-approval',
      'plan-approval',
      'request-approval',
      'plan-approval',
      'sign-document',
      'release',
      'notify-recipients',
    ]);
    const first = calls.find((c) => c.handler === 'request-approval')!.event;
    expect(first).toMatchObject({
      taskToken: t0,
      reportId: 'r1',
      periodId: '2021',
      approval: { stepIndex: 0, phase: 'waiting', timeoutSeconds: HOUR },
      draft: { key: 'drafts/r-v1.docx' },
    });
    expect(t1).not.toBe(t0);
    expect(approvalsSeen()).toEqual(['0:waiting', '1:waiting']);
    expect(calls.at(-1)!.event.draft).toEqual({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      Payload: { key: 'drafts/r-v1.docx', sha256: 'h1', version: 1 },
    });
    expect(calls.at(-1)!.event.plan.Payload).toMatchObject({ stepIndex: 1, done: true });
    // A used token is gone: a second click cannot answer the next wait.
    expect(() => approve(t0, 'binh.cvp')).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
  });

  it('on a return at step 2 waits for the compiler; recompiling validates again, builds v2 and restarts at step 1', async () => {
    const { executionArn } = await start().startExecution({ name: 'r2', input: { reportId: 'r2', periodId: '2021' } });

    approve(await waitFor(executionArn, 'AwaitApproval', 1), 'binh.cvp');
    sfn!.sendTaskFailure(await waitFor(executionArn, 'AwaitApproval', 2), 'Rejected', 'Thiếu số liệu của Thanh tra Sở');
    const rev = await waitFor(executionArn, 'AwaitRevision', 1);
    expect(calls.at(-1)).toEqual({
      handler: 'request-revision',
      event: { taskToken: rev, reportId: 'r2', periodId: '2021', returned: { Error: 'Rejected', Cause: 'Thiếu số liệu của Thanh tra Sở' } },
    });
    sfn!.sendTaskSuccess(rev, JSON.stringify({ action: 'recompile', by: 'khoa.vp' }));
    approve(await waitFor(executionArn, 'AwaitApproval', 3), 'binh.cvp');
    approve(await waitFor(executionArn, 'AwaitApproval', 4), 'phuong.pgd');
    const done = await sfn!.waitForExecution(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(handlers()).toEqual([
      'validate',
      'aggregate',
      'build-docx',
      'plan-approval',
      'request-approval',
      'plan-approval',
      'request-approval',
      'request-revision',
      'validate',
      'aggregate',
      'build-docx',
      'plan-approval',
      'request-approval',
      'plan-approval',
      'request-approval',
      'plan-approval',
      'sign-document',
      'release',
      'notify-recipients',
    ]);
    expect(approvalsSeen()).toEqual(['0:waiting', '1:waiting', '0:waiting', '1:waiting']);
    const approvals = calls.filter((c) => c.handler === 'request-approval');
    expect(approvals[2].event.draft).toMatchObject({ key: 'drafts/r-v2.docx', version: 2 });
    expect(calls.at(-1)!.event.revision).toEqual({ action: 'recompile', by: 'khoa.vp' });
  });

  it('fails as Rejected when the compiler abandons a returned report', async () => {
    const { executionArn } = await start().startExecution({ name: 'r3', input: { reportId: 'r3', periodId: '2021' } });

    sfn!.sendTaskFailure(await waitFor(executionArn, 'AwaitApproval', 1), 'Rejected', 'Sai số liệu');
    sfn!.sendTaskFailure(await waitFor(executionArn, 'AwaitRevision', 1), 'Rejected', 'Dừng báo cáo');
    const done = await sfn!.waitForExecution(executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'Báo cáo bị trả lại khi trình duyệt' });
    expect(calls.at(-1)).toMatchObject({ handler: 'record-failure', event: { error: { Error: 'Rejected', Cause: 'Dừng báo cáo' } } });
    expect(handlers()).not.toContain('release');
  });

  it('reminds, escalates and then expires an unanswered approval (hours scaled down) as ApprovalTimedOut', async () => {
    // One phase (1 h) lasts 0.2 s; the 30-day execution timeout becomes 144 s, far away.
    const { executionArn } = await start({ timeScale: HOUR / 0.2 }).startExecution({
      name: 'r4',
      input: { reportId: 'r4', periodId: '2021' },
    });

    const done = await sfn!.waitForExecution(executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'ApprovalTimedOut', cause: 'Quá thời hạn phê duyệt' });
    expect(approvalsSeen()).toEqual(['0:waiting', '0:reminded', '0:escalated']);
    const timers = calls
      .filter((c) => c.handler === 'plan-approval')
      .slice(1)
      .map((c) => c.event.event.Error);
    expect(timers).toEqual(['States.Timeout', 'States.Timeout', 'States.Timeout']);
    expect(calls.at(-1)).toMatchObject({
      handler: 'record-failure',
      event: { error: { Error: 'States.Timeout', Cause: 'Quá thời hạn phê duyệt' } },
    });
  });

  it('fails as PipelineFailed, keeping the error name, when a step throws', async () => {
    const { executionArn } = await start({ fail: 'aggregate' }).startExecution({ name: 'r5', input: { reportId: 'r5', periodId: '2021' } });

    const done = await sfn!.waitForExecution(executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'SimulatedError', cause: 'Lỗi khi xử lý báo cáo' });
    expect(handlers()).toEqual(['validate', 'aggregate', 'record-failure']);
    expect(calls.at(-1)!.event.error.Error).toBe('SimulatedError');
  });

  it('retries a task that failed transiently (TransientError) and the run then succeeds', async () => {
    // Retry waits are scaled like human time (departure retry-intervals-scaled): 1 s becomes 1 ms.
    const { executionArn } = await start({ transientOnce: 'aggregate', timeScale: 1000 }).startExecution({
      name: 'r7',
      input: { reportId: 'r7', periodId: '2021' },
    });

    approve(await waitFor(executionArn, 'AwaitApproval', 1), 'binh.cvp');
    approve(await waitFor(executionArn, 'AwaitApproval', 2), 'phuong.pgd');
    const done = await sfn!.waitForExecution(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(handlers().slice(0, 4)).toEqual(['validate', 'aggregate', 'aggregate', 'build-docx']);
    expect(handlers()).not.toContain('record-failure');
    expect(handlers().at(-1)).toBe('notify-recipients');
  });

  it('clerk mode: Release asks for the number, AwaitNumber waits for the clerk, Release runs again, then the recipients', async () => {
    const { executionArn } = await start({ clerk: true }).startExecution({ name: 'r8', input: { reportId: 'r8', periodId: '2021' } });
    approve(await waitFor(executionArn, 'AwaitApproval', 1), 'binh.cvp');
    approve(await waitFor(executionArn, 'AwaitApproval', 2), 'phuong.pgd');
    const token = await waitFor(executionArn, 'AwaitNumber', 1);
    expect(calls.find((c) => c.handler === 'request-number')?.event).toMatchObject({ taskToken: token, reportId: 'r8', periodId: '2021' });
    sfn!.sendTaskSuccess(token, JSON.stringify({ number: 2015, year: 2021 }));
    const done = await sfn!.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(handlers().slice(-4)).toEqual(['release', 'request-number', 'release', 'notify-recipients']);
  });

  it('a failed NotifyRecipients does not fail a released report: the run still ends Released', async () => {
    const { executionArn } = await start({ fail: 'notify-recipients' }).startExecution({
      name: 'r9',
      input: { reportId: 'r9', periodId: '2021' },
    });
    approve(await waitFor(executionArn, 'AwaitApproval', 1), 'binh.cvp');
    approve(await waitFor(executionArn, 'AwaitApproval', 2), 'phuong.pgd');
    const done = await sfn!.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(handlers().slice(-2)).toEqual(['release', 'notify-recipients']);
    expect(handlers()).not.toContain('record-failure');
  });

  it('keeps a run short through three return rounds: a fixed handful of invocations per round', async () => {
    const { executionArn } = await start().startExecution({ name: 'r6', input: { reportId: 'r6', periodId: '2021' } });
    const perRound: number[] = [];

    let approvals = 0;
    for (let round = 1; round <= 3; round++) {
      const first = await waitFor(executionArn, 'AwaitApproval', ++approvals);
      const before = calls.length;
      approve(first, 'binh.cvp');
      sfn!.sendTaskFailure(await waitFor(executionArn, 'AwaitApproval', ++approvals), 'Rejected', `vòng ${round}`);
      sfn!.sendTaskSuccess(await waitFor(executionArn, 'AwaitRevision', round), JSON.stringify({ action: 'recompile', by: 'khoa.vp' }));
      await sfn!.waitForExecution(executionArn, () => count('request-approval') === approvals + 1);
      perRound.push(calls.length - before);
    }
    approve(await waitFor(executionArn, 'AwaitApproval', ++approvals), 'binh.cvp');
    approve(await waitFor(executionArn, 'AwaitApproval', ++approvals), 'phuong.pgd');
    const done = await sfn!.waitForExecution(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(count('build-docx')).toBe(4);
    // Each round: plan, request-approval (step 2), request-revision, validate, aggregate, build-docx,
    // plan, request-approval (step 1 of the new draft) — the same every time: history grows linearly.
    expect(perRound).toEqual([8, 8, 8]);
    expect(calls.length).toBeLessThan(300);
  });
});

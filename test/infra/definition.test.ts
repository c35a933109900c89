import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractStateMachine } from '../../infra/local/definition';
import { forLibrary, prepareDefinition, TASK_TOKEN_PLACEHOLDER } from '../../infra/local/sfn';
import { synthTemplate } from '../../infra/synth';
import { ApprovalStepSchema } from '../../shared/config/schema';
import { eventFromState, planApproval } from '../../shared/domain/approval-plan';

let template: Record<string, any>;

beforeAll(() => {
  template = synthTemplate();
});

/** A two-step chain in plain hours: waiting 24 h → reminded 24 h → escalated 24 h → expired. */
const chain = [
  ApprovalStepSchema.parse({ role: 'Chánh Văn phòng', approvers: [{ name: 'A', email: 'a@x.example' }], deadlineHours: 48 }),
  ApprovalStepSchema.parse({ role: 'Phó Giám đốc', approvers: [{ name: 'B', email: 'b@x.example' }], deadlineHours: 48 }),
];

/** The plan-approval handler without its store: the real pure planner on the state's $.plan and $.event. */
function plan(state: any) {
  const event = eventFromState(state.event);
  return planApproval(chain, event.kind === 'start' ? undefined : state.plan?.Payload, event, new Date());
}

const STATE_MACHINE_ARN = 'arn:aws:states:local:000000000000:stateMachine:baocao';
const EXECUTION_ARN = 'arn:aws:states:local:000000000000:execution:baocao:R-1';

describe('the synthesized definition, run branch by branch', () => {
  const input = { reportId: 'R-1', periodId: '2025-Q1', requestedBy: 'khoa.vp@sct-dongnai.example' };
  const lambda = (payload: unknown) => ({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: payload });
  const failWith =
    (name: string, message = `simulated ${name}`) =>
    () => {
      const err = new Error(message);
      err.name = name;
      throw err;
    };
  /** What a wait task "returns": SendTaskSuccess output, or SendTaskFailure / the timer as a thrown error. */
  type Answer = { ok: unknown } | { error: string; cause?: string };
  const approve = (by: string): Answer => ({ ok: { decision: 'approve', decidedBy: by } });
  const giveBack = (comment: string): Answer => ({ error: 'Rejected', cause: comment });
  const timer: Answer = { error: 'States.Timeout' };
  const recompile: Answer = { ok: { action: 'recompile', by: 'khoa.vp' } };
  const abandon: Answer = { error: 'Rejected', cause: 'Dừng báo cáo' };
  const scripted = (name: string, answers: Answer[]) => {
    let i = 0;
    return () => {
      const a = answers[i++];
      if (!a) throw new Error(`${name} called more often than scripted (${i})`);
      if ('ok' in a) return a.ok;
      return failWith(a.error, a.cause)();
    };
  };

  /**
   * Runs the real definition with every Task answered in-process, rewritten as the local runtime
   * rewrites it (prepareDefinition: the departures of infra/local/sfn/departures.ts, e.g. timeouts
   * the library cannot hold). A timer is simulated by the wait throwing States.Timeout, as the
   * service does when TimeoutSecondsPath elapses.
   */
  async function run(overrides: Record<string, (payload: any) => unknown> = {}, runInput: Record<string, any> = input) {
    const { definition } = prepareDefinition(extractStateMachine(template).definition);
    const machine = new StateMachine(forLibrary(definition), { validationOptions: { checkPaths: false, checkArn: false } });

    const visited: string[] = [];
    let drafts = 0;
    const answers: Record<string, (payload: any) => unknown> = {
      Validate: () => lambda({ ok: true }),
      Aggregate: () => lambda({ key: 'drafts/R-1/aggregate.json' }),
      BuildDraft: () => lambda({ key: `drafts/R-1/v${++drafts}.docx`, sha256: `h${drafts}`, version: drafts }),
      PlanApproval: (p) => lambda(plan(p)),
      AwaitApproval: scripted('AwaitApproval', [approve('a0'), approve('a1')]),
      AwaitRevision: () => {
        throw new Error('AwaitRevision not scripted');
      },
      // An organization that does not sign: SignDocument sends the report straight on to Release.
      SignDocument: () => lambda({ next: 'release', timeoutSeconds: 1 }),
      Release: () => lambda({ documentNumber: '05/BC-SCT' }),
      RecordFailure: () => lambda({ recorded: true }),
      ResumeReport: () => {
        throw new Error('ResumeReport not scripted');
      },
      ContinueAsNew: () => {
        throw new Error('ContinueAsNew not scripted');
      },
      ...overrides,
    };
    const seen: Record<string, any[]> = {};
    const handlers = Object.fromEntries(
      Object.entries(answers).map(([state, answer]) => [
        state,
        async (params: any) => {
          visited.push(state);
          (seen[state] ??= []).push(structuredClone(params.Payload));
          return answer(params.Payload) as any;
        },
      ]),
    );
    const execution = machine.run(runInput, {
      context: {
        Execution: { Id: EXECUTION_ARN, StartTime: new Date().toISOString() },
        StateMachine: { Id: STATE_MACHINE_ARN },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
      // WaitForSigner's round (15 s) passes at once here; the local runtime scales it (departure wait-states-scaled).
      overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: { WaitForSigner: 1 } },
    });
    const entered: string[] = [];
    const logged = (async () => {
      for await (const e of execution.eventLogs) if (e.type === 'StateEntered') entered.push(e.state.name);
    })();
    try {
      const output = (await execution.result) as any;
      await logged;
      return { output, visited, seen, entered, error: undefined as any };
    } catch (err: any) {
      await logged;
      return { output: undefined, visited, seen, entered, error: { name: err.cause?.name, message: err.cause?.message } };
    }
  }

  const phases = (seen: Record<string, any[]>) => seen.AwaitApproval.map((p) => `${p.approval.stepIndex}:${p.approval.phase}`);

  it('plans each step, goes through every approver and releases, keeping each result at $.<key>.Payload', async () => {
    const { output, visited, seen } = await run();

    expect(visited).toEqual([
      'Validate',
      'Aggregate',
      'BuildDraft',
      'PlanApproval',
      'AwaitApproval',
      'PlanApproval',
      'AwaitApproval',
      'PlanApproval',
      'SignDocument',
      'Release',
    ]);
    expect(seen.PlanApproval[0].event).toEqual({ start: true });
    expect(seen.PlanApproval[1].event).toEqual({ decision: 'approve', decidedBy: 'a0' });
    expect(seen.AwaitApproval[0]).toEqual({
      taskToken: TASK_TOKEN_PLACEHOLDER,
      reportId: 'R-1',
      periodId: '2025-Q1',
      approval: expect.objectContaining({ stepIndex: 0, phase: 'waiting', timeoutSeconds: 24 * 3600, done: false, expired: false }),
      draft: { key: 'drafts/R-1/v1.docx', sha256: 'h1', version: 1 },
    });
    expect(phases(seen)).toEqual(['0:waiting', '1:waiting']);
    expect(seen.Release[0]).toMatchObject({ ...input, draft: { Payload: { key: 'drafts/R-1/v1.docx' } } });
    expect(output.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });
    expect(output.plan.Payload).toMatchObject({ stepIndex: 1, done: true, expired: false });
    expect(output.event).toEqual({ decision: 'approve', decidedBy: 'a1' });
  });

  it('on a return at step 2 waits for the compiler; a recompile builds draft v2 and restarts the chain at step 1', async () => {
    const { output, visited, seen } = await run({
      AwaitApproval: scripted('AwaitApproval', [approve('a0'), giveBack('Thiếu số liệu của Thanh tra Sở'), approve('a0'), approve('a1')]),
      AwaitRevision: scripted('AwaitRevision', [recompile]),
    });

    expect(visited).toEqual([
      'Validate',
      'Aggregate',
      'BuildDraft',
      'PlanApproval',
      'AwaitApproval',
      'PlanApproval',
      'AwaitApproval',
      'AwaitRevision',
      'Validate',
      'Aggregate',
      'BuildDraft',
      'PlanApproval',
      'AwaitApproval',
      'PlanApproval',
      'AwaitApproval',
      'PlanApproval',
      'SignDocument',
      'Release',
    ]);
    expect(seen.AwaitRevision[0]).toEqual({
      taskToken: TASK_TOKEN_PLACEHOLDER,
      reportId: 'R-1',
      periodId: '2025-Q1',
      returned: { Error: 'Rejected', Cause: 'Thiếu số liệu của Thanh tra Sở' },
    });
    expect(phases(seen)).toEqual(['0:waiting', '1:waiting', '0:waiting', '1:waiting']);
    expect(seen.AwaitApproval[2].draft).toMatchObject({ key: 'drafts/R-1/v2.docx', version: 2 });
    expect(output.revision).toEqual({ action: 'recompile', by: 'khoa.vp' });
    expect(output.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });
  });

  it('with the editing desk, waits in AwaitDesk between Aggregate and BuildDraft, also after a recompile', async () => {
    const { output, visited, seen } = await run({
      Aggregate: () => lambda({ key: 'drafts/R-1/aggregate.json', desk: true }),
      AwaitDesk: scripted('AwaitDesk', [
        { ok: { action: 'send', by: 'khoa.vp', edits: 2 } },
        { ok: { action: 'send', by: 'khoa.vp', edits: 3 } },
      ]),
      AwaitApproval: scripted('AwaitApproval', [giveBack('Sửa mục II'), approve('a0'), approve('a1')]),
      AwaitRevision: scripted('AwaitRevision', [recompile]),
    });
    expect(visited.slice(0, 4)).toEqual(['Validate', 'Aggregate', 'AwaitDesk', 'BuildDraft']);
    expect(visited.filter((s) => s === 'AwaitDesk')).toHaveLength(2);
    expect(visited.indexOf('AwaitDesk', 4)).toBe(visited.indexOf('Aggregate', 4) + 1);
    expect(seen.AwaitDesk[0]).toEqual({ taskToken: TASK_TOKEN_PLACEHOLDER, reportId: 'R-1', periodId: '2025-Q1' });
    expect(output.desk).toEqual({ action: 'send', by: 'khoa.vp', edits: 3 });
    expect(output.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });
  });

  it('ends as timed out (DeskTimedOut) when nobody sends the report from the desk', async () => {
    const { visited, error, seen } = await run({
      Aggregate: () => lambda({ key: 'drafts/R-1/aggregate.json', desk: true }),
      AwaitDesk: scripted('AwaitDesk', [timer]),
    });
    expect(visited).toEqual(['Validate', 'Aggregate', 'AwaitDesk', 'RecordFailure']);
    expect(seen.RecordFailure[0].error).toMatchObject({ Error: 'DeskTimedOut' });
    expect(error.name).toBe('DeskTimedOut');
  });

  it('records and fails as ReportRejected when the compiler abandons a returned report', async () => {
    const { visited, error, seen } = await run({
      AwaitApproval: scripted('AwaitApproval', [giveBack('Sai số liệu')]),
      AwaitRevision: scripted('AwaitRevision', [abandon]),
    });

    expect(visited.slice(-3)).toEqual(['AwaitApproval', 'AwaitRevision', 'RecordFailure']);
    expect(seen.RecordFailure[0].error).toEqual({ Error: 'Rejected', Cause: 'Dừng báo cáo' });
    expect(error.name).toBe('Rejected');
    expect(visited).not.toContain('Release');
  });

  it('reminds, escalates, then expires as ApprovalTimedOut when nobody decides (timers are caught, never retried)', async () => {
    const { visited, error, seen } = await run({ AwaitApproval: scripted('AwaitApproval', [timer, timer, timer]) });

    expect(phases(seen)).toEqual(['0:waiting', '0:reminded', '0:escalated']);
    // Each timer reached the planner as an event, not as a retry of the wait.
    expect(seen.PlanApproval.slice(1).map((p) => p.event.Error)).toEqual(['States.Timeout', 'States.Timeout', 'States.Timeout']);
    expect(seen.AwaitApproval.map((p) => p.approval.timeoutSeconds)).toEqual([24 * 3600, 24 * 3600, 24 * 3600]);
    expect(visited.slice(-2)).toEqual(['PlanApproval', 'RecordFailure']);
    expect(seen.RecordFailure[0].error).toEqual({ Error: 'States.Timeout', Cause: 'Quá thời hạn phê duyệt' });
    expect(error.name).toBe('ApprovalTimedOut');
  });

  it('still approves after a reminder, and the next step starts fresh', async () => {
    const { output, seen } = await run({
      AwaitApproval: scripted('AwaitApproval', [timer, approve('a0'), timer, timer, approve('deputy')]),
    });

    expect(phases(seen)).toEqual(['0:waiting', '0:reminded', '1:waiting', '1:reminded', '1:escalated']);
    expect(output.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });
  });

  it('records and fails as PipelineFailed, keeping the error name, when a step throws', async () => {
    const { visited, error } = await run({ Validate: failWith('ValidationError') });

    expect(visited).toEqual(['Validate', 'RecordFailure']);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('Lỗi khi xử lý báo cáo');
  });

  it('records and fails as PipelineFailed when the planner or the approval mail fails', async () => {
    const planner = await run({ PlanApproval: failWith('ConfigError') });
    expect(planner.visited.slice(-2)).toEqual(['PlanApproval', 'RecordFailure']);
    expect(planner.error.name).toBe('ConfigError');

    const mail = await run({ AwaitApproval: failWith('MailError') });
    expect(mail.visited.slice(-2)).toEqual(['AwaitApproval', 'RecordFailure']);
    expect(mail.error.name).toBe('MailError');
  });

  it('still ends failed when recording the failure itself fails', async () => {
    const { visited, error } = await run({ BuildDraft: failWith('RenderError'), RecordFailure: failWith('Boom') });

    expect(visited).toEqual(['Validate', 'Aggregate', 'BuildDraft', 'RecordFailure']);
    expect(error.name).toBe('RenderError');
  });

  describe('resumed from the record (input resume: true)', () => {
    const resumeInput = { reportId: 'R-1', periodId: '2025-Q1', resume: true };
    const draft = { version: 2, key: 'drafts/R-1/v2.docx', sha256: 'h2', fileName: 'v2.docx', createdAt: '2025-04-01T00:00:00Z' };
    const point =
      (resumeAt: string, event: Record<string, unknown>, d: unknown = draft) =>
      () =>
        lambda({ resumeAt, periodId: '2025-Q1', requestedBy: 'khoa.vp@sct-dongnai.example', draft: d, event });

    it('enters the planner with the resume event and the current draft, then waits and releases', async () => {
      // The planner (which reads the record) answers: step 2 is next.
      const plans = [
        {
          stepIndex: 1,
          phase: 'waiting',
          timeoutSeconds: 3600,
          deadline: 'd',
          stepStartedAt: 's',
          done: false,
          expired: false,
          continueAsNew: false,
        },
        {
          stepIndex: 1,
          phase: 'waiting',
          timeoutSeconds: 1,
          deadline: 'd',
          stepStartedAt: 's',
          done: true,
          expired: false,
          continueAsNew: false,
        },
      ];
      const { visited, seen, output } = await run(
        {
          ResumeReport: point('approval', { resume: true }),
          PlanApproval: () => lambda(plans.shift()),
          AwaitApproval: scripted('AwaitApproval', [approve('a1')]),
        },
        resumeInput,
      );

      expect(visited).toEqual(['ResumeReport', 'PlanApproval', 'AwaitApproval', 'PlanApproval', 'SignDocument', 'Release']);
      expect(seen.ResumeReport[0]).toMatchObject({ ...resumeInput, execution: { id: EXECUTION_ARN, stateMachine: STATE_MACHINE_ARN } });
      expect(seen.PlanApproval[0]).toMatchObject({
        reportId: 'R-1',
        periodId: '2025-Q1',
        event: { resume: true },
        execution: { id: EXECUTION_ARN },
      });
      expect(seen.AwaitApproval[0].draft).toMatchObject({ key: draft.key, sha256: 'h2', version: 2 });
      expect(output.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });
    });

    it('enters AwaitRevision for a returned report, the processing stage for one without a usable draft, nothing for an ended one', async () => {
      const revision = await run(
        {
          ResumeReport: point('revision', { Error: 'Rejected', Cause: 'Thiếu số liệu' }),
          AwaitRevision: scripted('AwaitRevision', [abandon]),
        },
        resumeInput,
      );
      expect(revision.visited).toEqual(['ResumeReport', 'AwaitRevision', 'RecordFailure']);
      expect(revision.seen.AwaitRevision[0].returned).toEqual({ Error: 'Rejected', Cause: 'Thiếu số liệu' });

      const processing = await run({ ResumeReport: point('processing', {}, null) }, resumeInput);
      expect(processing.visited.slice(0, 4)).toEqual(['ResumeReport', 'Validate', 'Aggregate', 'BuildDraft']);
      expect(processing.output.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });

      const none = await run({ ResumeReport: point('none', {}) }, resumeInput);
      expect(none.visited).toEqual(['ResumeReport']);
      expect(none.entered.at(-1)).toBe('NothingToResume');
      expect(none.error).toBeUndefined();
    });

    it('hands an old execution over (continue-as-new) instead of waiting, and ends as Continued', async () => {
      const { visited, seen, entered, error } = await run({
        PlanApproval: (p) => lambda({ ...plan(p), continueAsNew: true }),
        ContinueAsNew: () => lambda({ reportId: 'R-1', executionArn: `${EXECUTION_ARN}-r1` }),
      });
      expect(visited).toEqual(['Validate', 'Aggregate', 'BuildDraft', 'PlanApproval', 'ContinueAsNew']);
      expect(seen.ContinueAsNew[0]).toMatchObject({ reportId: 'R-1', execution: { id: EXECUTION_ARN, stateMachine: STATE_MACHINE_ARN } });
      expect(entered.at(-1)).toBe('Continued');
      expect(error).toBeUndefined();
    });
  });

  describe('the signed original (SigningFragment)', () => {
    const plan = (next: string, extra: Record<string, unknown> = {}) => ({ next, timeoutSeconds: 60, ...extra });
    // SignDocument always gives the văn thư's wait with a 'seal' plan (AwaitSeal's payload reads it).
    const seal = (phase: string) => plan('seal', { seal: { phase } });
    const answersOf = (plans: Array<Record<string, unknown>>) => () => lambda(plans.shift());
    const sealed: Answer = { ok: { sealed: true, by: 'vanthu@x.example' } };

    it('polls the provider after each Wait round until the person signs, then waits for the văn thư and releases', async () => {
      const { visited, seen, output } = await run({
        SignDocument: answersOf([plan('poll'), plan('poll'), seal('waiting')]),
        AwaitSeal: scripted('AwaitSeal', [sealed]),
      });
      expect(visited.slice(-5)).toEqual(['SignDocument', 'SignDocument', 'SignDocument', 'AwaitSeal', 'Release']);
      // Each SignDocument sees its previous plan (the planner's hint) and the approval's last event.
      expect(seen.SignDocument[1].signing.Payload).toMatchObject({ next: 'poll' });
      expect(seen.AwaitSeal[0]).toEqual({
        taskToken: TASK_TOKEN_PLACEHOLDER,
        reportId: 'R-1',
        periodId: '2025-Q1',
        kind: 'seal',
        seal: { phase: 'waiting' },
      });
      expect(output.event).toEqual({ sealed: true, by: 'vanthu@x.example' });
      expect(output.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });
    });

    it("turns the văn thư's timers into events for SignDocument (reminder, escalation), then fails as SealTimedOut", async () => {
      const { visited, seen, error } = await run({
        SignDocument: answersOf([seal('waiting'), seal('reminded'), seal('escalated'), plan('expired')]),
        AwaitSeal: scripted('AwaitSeal', [timer, timer, timer]),
      });
      expect(seen.SignDocument.slice(1).map((p) => p.event.Error)).toEqual(['States.Timeout', 'States.Timeout', 'States.Timeout']);
      expect(visited).not.toContain('Release');
      expect(seen.RecordFailure[0].error).toEqual({ Error: 'SealTimedOut', Cause: 'Văn thư chưa ký số của cơ quan trong thời hạn' });
      expect(error.name).toBe('SealTimedOut');
    });

    it('asks the compiler when the signing stalls: "thử ký lại" signs again; a stop ends the run, recorded', async () => {
      const retried = await run({
        SignDocument: answersOf([plan('retry'), seal('waiting')]),
        AwaitSigningRetry: scripted('AwaitSigningRetry', [{ ok: { action: 'retry', by: 'khoa.vp' } }]),
        AwaitSeal: scripted('AwaitSeal', [sealed]),
      });
      expect(retried.visited.slice(-5)).toEqual(['SignDocument', 'AwaitSigningRetry', 'SignDocument', 'AwaitSeal', 'Release']);
      expect(retried.seen.SignDocument[1].event).toEqual({ action: 'retry', by: 'khoa.vp' });
      expect(retried.seen.AwaitSigningRetry[0]).toMatchObject({ kind: 'retry', reportId: 'R-1' });

      const stopped = await run({
        SignDocument: answersOf([plan('retry')]),
        AwaitSigningRetry: scripted('AwaitSigningRetry', [{ error: 'SigningAbandoned', cause: 'Dừng' }]),
      });
      expect(stopped.visited.slice(-2)).toEqual(['AwaitSigningRetry', 'RecordFailure']);
      expect(stopped.error.name).toBe('SigningAbandoned');
    });

    it('in clerk numbering mode waits for the number before the person signs', async () => {
      const { visited, seen } = await run({
        SignDocument: answersOf([plan('number'), plan('release')]),
        AwaitSigningNumber: scripted('AwaitSigningNumber', [{ ok: { number: 7, year: 2025 } }]),
      });
      expect(visited.slice(-4)).toEqual(['SignDocument', 'AwaitSigningNumber', 'SignDocument', 'Release']);
      expect(seen.SignDocument[1].numbering).toEqual({ number: 7, year: 2025 });
    });

    it('a resumed report whose signing has begun enters SignDocument directly', async () => {
      const resumed = await run(
        {
          ResumeReport: () =>
            lambda({ resumeAt: 'signing', periodId: '2025-Q1', requestedBy: 'khoa.vp@x', draft: null, event: { resume: true } }),
          SignDocument: answersOf([plan('release')]),
        },
        { reportId: 'R-1', periodId: '2025-Q1', resume: true },
      );
      expect(resumed.visited).toEqual(['ResumeReport', 'SignDocument', 'Release']);
      expect(resumed.seen.SignDocument[0].event).toEqual({ resume: true });
    });
  });

  it('keeps the history small through return loops: each round enters the same few states', async () => {
    const rounds = async (n: number) => {
      const decisions: Answer[] = [];
      for (let i = 0; i < n; i++) decisions.push(approve('a0'), giveBack(`vòng ${i + 1}`));
      const r = await run({
        AwaitApproval: scripted('AwaitApproval', [...decisions, approve('a0'), approve('a1')]),
        AwaitRevision: scripted(
          'AwaitRevision',
          Array.from({ length: n }, () => recompile),
        ),
      });
      expect(r.output?.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });
      return r.entered.length;
    };
    const [one, two, three] = [await rounds(1), await rounds(2), await rounds(3)];

    // Linear, a dozen states per round: at ~6 history events per state, the MAX_DRAFTS (20)
    // rounds that validate allows stay far below the 25 000-event limit of a Standard execution.
    expect(three - two).toBe(two - one);
    expect(three - two).toBeLessThanOrEqual(15);
    expect(three).toBeLessThan(300);
    expect((three + 20 * (three - two)) * 6).toBeLessThan(25_000);
  });
});

import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { TRANSIENT_ERROR_NAME } from '../../shared/transient-errors';

/*
 * Convention for ALL Lambda tasks of the pipeline (the handlers, the local runtime and the
 * tests rely on it):
 *   - the payload is the whole state (`$`);
 *   - `payloadResponseOnly` is false and there is NO resultSelector;
 *   - `resultPath` is `$.<resultKey>`, so the Lambda's return value lands at
 *     `$.<resultKey>.Payload` (Validate→validation, Aggregate→aggregate, BuildDraft→draft,
 *     Release→release, RecordFailure→failure, PlanApproval→plan).
 * The waits are the exception by nature: with `.waitForTaskToken` the task's result is the
 * output given to SendTaskSuccess — `{ decision, decidedBy }` for AwaitApproval (into
 * `$.event`), `{ action, by }` for AwaitRevision (into `$.revision`).
 * Only JSONPath is used; the local runtime ignores JSONata.
 */

/**
 * Errors worth retrying: the Lambda service failed or throttled, or the handler met a transient
 * S3/DynamoDB/network fault and threw TransientError (shared/transient-errors.ts).
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  TRANSIENT_ERROR_NAME,
];

/**
 * Backoff for TRANSIENT_ERRORS: waits drawn in [0, 1 s · 2^n], at most 20 s (full jitter, so
 * parallel runs do not retry in step), 6 retries: rides out an outage of S3 or DynamoDB of some
 * ten seconds.
 */
export const TRANSIENT_RETRY: Omit<sfn.RetryProps, 'errors'> = {
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxDelay: Duration.seconds(20),
  maxAttempts: 6,
  jitterStrategy: sfn.JitterType.FULL,
};

/** Upper bound for a non-approval task; the Lambda timeout (30 s / 2 min) normally fires first. */
export const TASK_TIMEOUT = Duration.minutes(5);

/** Error names the FailureKind? choice tells apart. `Rejected` is sent by the decision handler with SendTaskFailure. */
export const REJECTED_ERROR = 'Rejected';
export const TIMEOUT_ERROR = 'States.Timeout';
/** Set when a returned report waited longer than REVISION_TIMEOUT; ends as PipelineFailed with this error name. */
export const REVISION_TIMEOUT_ERROR = 'RevisionTimedOut';

export function withTransientRetry<T extends sfn.TaskStateBase>(task: T): T {
  // Deliberately no States.Timeout here: a timed-out approval must fail, not resend the request.
  task.addRetry({ errors: TRANSIENT_ERRORS, ...TRANSIENT_RETRY });
  return task;
}

/** A pipeline Lambda task following the convention above, with retry and the catch to `onFailure`. */
export function invoke(
  scope: Construct,
  stateName: string,
  fn: lambda.IFunction,
  resultKey: string,
  onFailure: sfn.IChainable | undefined,
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, stateName, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromJsonPathAt('$'),
    payloadResponseOnly: false,
    retryOnServiceExceptions: false,
    resultPath: `$.${resultKey}`,
    taskTimeout: sfn.Timeout.duration(TASK_TIMEOUT),
  });
  withTransientRetry(task);
  if (onFailure) task.addCatch(onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
  return task;
}

/**
 * A human wait: invoke `fn` with a task token plus the report's ids and `payload`, then wait for
 * SendTaskSuccess/Failure, at most `timeout`. Transient errors are retried, never a timeout.
 */
export function waitForToken(
  scope: Construct,
  stateName: string,
  fn: lambda.IFunction,
  o: { payload: Record<string, unknown>; resultPath: string; timeout: sfn.Timeout },
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, stateName, {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      taskToken: sfn.JsonPath.taskToken,
      reportId: sfn.JsonPath.stringAt('$.reportId'),
      periodId: sfn.JsonPath.stringAt('$.periodId'),
      ...o.payload,
    }),
    payloadResponseOnly: false,
    retryOnServiceExceptions: false,
    resultPath: o.resultPath,
    taskTimeout: o.timeout,
  });
  return withTransientRetry(task);
}

/** A Pass that records why the run ends at `$.error`, then goes to the failure stage. */
export function failWith(scope: Construct, stateName: string, error: string, cause: string, onFailure: sfn.IChainable): sfn.Pass {
  const pass = new sfn.Pass(scope, stateName, { parameters: { Error: error, Cause: cause }, resultPath: '$.error' });
  pass.next(onFailure);
  return pass;
}

export interface FailureFragmentProps {
  readonly recordFailure: lambda.IFunction;
}

/**
 * RecordFailure → FailureKind? → ReportRejected | ApprovalTimedOut | PipelineFailed.
 * Every other task catches States.ALL into `$.error` and comes here.
 */
export class FailureFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[] = [];
  public readonly pipelineFailed: sfn.Fail;

  constructor(scope: Construct, id: string, props: FailureFragmentProps) {
    super(scope, id);
    const rejected = new sfn.Fail(this, 'ReportRejected', {
      error: REJECTED_ERROR,
      cause: 'Báo cáo bị trả lại khi trình duyệt',
    });
    const timedOut = new sfn.Fail(this, 'ApprovalTimedOut', {
      error: 'ApprovalTimedOut',
      cause: 'Quá thời hạn phê duyệt',
    });
    this.pipelineFailed = new sfn.Fail(this, 'PipelineFailed', {
      // Keeps the original error name (e.g. a handler's ValidationError) on the execution.
      errorPath: '$.error.Error',
      cause: 'Lỗi khi xử lý báo cáo',
    });

    const recordFailure = invoke(this, 'RecordFailure', props.recordFailure, 'failure', undefined);
    // If recording itself fails, end at once: going round through FailureKind? could loop.
    recordFailure.addCatch(this.pipelineFailed, { errors: [sfn.Errors.ALL], resultPath: '$.recordFailureError' });

    const kind = new sfn.Choice(this, 'FailureKind?')
      .when(sfn.Condition.stringEquals('$.error.Error', REJECTED_ERROR), rejected)
      .when(sfn.Condition.stringEquals('$.error.Error', TIMEOUT_ERROR), timedOut)
      .otherwise(this.pipelineFailed);
    recordFailure.next(kind);
    this.startState = recordFailure;
  }
}

export interface ProcessingFragmentProps {
  readonly validate: lambda.IFunction;
  readonly aggregate: lambda.IFunction;
  readonly buildDocx: lambda.IFunction;
  /** AwaitDesk: mails the compiler the editing desk's link and waits for "Gửi phê duyệt". */
  readonly requestDesk: lambda.IFunction;
  readonly onFailure: sfn.IChainable;
}

/** How long a report waits at the editing desk for the compiler to send it for approval. */
export const DESK_TIMEOUT = Duration.days(14);
export const DESK_TIMEOUT_ERROR = 'DeskTimedOut';

/**
 * Validate → Aggregate → DeskWanted? → [AwaitDesk] → BuildDraft (the draft .docx lands in drafts/).
 * A report compiled with the editing desk (Aggregate answers `desk: true`, from the record) waits
 * in AwaitDesk while the compiler orders, edits, merges or drops narrative items; BuildDraft then
 * applies the stored edits. After a return the recompile passes the desk again.
 */
export class ProcessingFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: ProcessingFragmentProps) {
    super(scope, id);
    const validate = invoke(this, 'Validate', props.validate, 'validation', props.onFailure);
    const aggregate = invoke(this, 'Aggregate', props.aggregate, 'aggregate', props.onFailure);
    const buildDraft = invoke(this, 'BuildDraft', props.buildDocx, 'draft', props.onFailure);
    const desk = waitForToken(this, 'AwaitDesk', props.requestDesk, {
      payload: {},
      resultPath: '$.desk',
      timeout: sfn.Timeout.duration(DESK_TIMEOUT),
    });
    const deskExpired = failWith(
      this,
      'DeskExpired',
      DESK_TIMEOUT_ERROR,
      'Quá thời hạn biên tập dự thảo trước khi trình duyệt',
      props.onFailure,
    );
    desk.addCatch(deskExpired, { errors: [TIMEOUT_ERROR], resultPath: '$.timeout' });
    desk.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    desk.next(buildDraft);
    const wanted = new sfn.Choice(this, 'DeskWanted?')
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.aggregate.Payload.desk'),
          sfn.Condition.booleanEquals('$.aggregate.Payload.desk', true),
        ),
        desk,
      )
      .otherwise(buildDraft);
    validate.next(aggregate).next(wanted);
    this.startState = validate;
    this.endStates = [buildDraft];
  }
}

export interface ApprovalFragmentProps {
  readonly planApproval: lambda.IFunction;
  readonly requestApproval: lambda.IFunction;
  readonly requestRevision: lambda.IFunction;
  /** Where the chain goes once the last approver approved. */
  readonly onApproved: sfn.IChainable;
  /** Where a returned report goes once the compiler recompiles it (the processing stage: draft v+1). */
  readonly onRevised: sfn.IChainable;
  readonly onFailure: sfn.IChainable;
  /** The old execution hands the report over to a fresh one (continue-as-new) instead of waiting again. */
  readonly continueReport: lambda.IFunction;
}

/** How long a returned report waits for the compiler to recompile or abandon it. */
export const REVISION_TIMEOUT = Duration.days(14);

/**
 * StartApprovalChain → PlanApproval → ChainComplete? → AwaitApproval ⟲ PlanApproval …
 *
 * PlanApproval (a pure planner, shared/domain/approval-plan.ts) turns each event into the next
 * wait: a decision moves to the next step; a timer event (States.Timeout of AwaitApproval)
 * sends a reminder, then escalates, then expires — nothing waits forever. AwaitApproval mails
 * single-use links and waits for the decision handler's task-token callback.
 * A return (SendTaskFailure `Rejected`) goes to AwaitRevision; recompiling loops back to the
 * processing stage (draft v+1) and the chain restarts at step 1; abandoning fails the run.
 * A round adds a few dozen history events; validate caps the rounds far below the 25 000 limit.
 */
export class ApprovalFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[] = [];
  /** Entry of a resumed report: the planner, with `$.event = { resume: true }` (ResumeFragment). */
  public readonly plan: sfn.State;
  /** Entry of a resumed returned report, with `$.event = { Error: 'Rejected', Cause }`. */
  public readonly revision: sfn.State;

  constructor(scope: Construct, id: string, props: ApprovalFragmentProps) {
    super(scope, id);
    const start = new sfn.Pass(this, 'StartApprovalChain', {
      result: sfn.Result.fromObject({ start: true }),
      resultPath: '$.event',
    });

    const plan = invoke(this, 'PlanApproval', props.planApproval, 'plan', props.onFailure);

    const expired = failWith(this, 'ApprovalExpired', TIMEOUT_ERROR, 'Quá thời hạn phê duyệt', props.onFailure);

    // The decision ({ decision, decidedBy }) or the caught timer/return becomes the next event.
    const await_ = waitForToken(this, 'AwaitApproval', props.requestApproval, {
      payload: {
        approval: sfn.JsonPath.objectAt('$.plan.Payload'),
        draft: sfn.JsonPath.objectAt('$.draft.Payload'),
      },
      resultPath: '$.event',
      timeout: sfn.Timeout.at('$.plan.Payload.timeoutSeconds'),
    });

    const revision = waitForToken(this, 'AwaitRevision', props.requestRevision, {
      payload: { returned: sfn.JsonPath.objectAt('$.event') },
      resultPath: '$.revision',
      timeout: sfn.Timeout.duration(REVISION_TIMEOUT),
    });
    // The compiler let the returned report lie: say so, rather than blaming the approvers.
    const revisionExpired = failWith(
      this,
      'RevisionExpired',
      REVISION_TIMEOUT_ERROR,
      'Quá thời hạn tổng hợp lại sau khi báo cáo bị trả lại',
      props.onFailure,
    );
    revision.addCatch(revisionExpired, { errors: [TIMEOUT_ERROR], resultPath: '$.timeout' });
    revision.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    revision.next(props.onRevised);

    await_.addCatch(plan, { errors: [TIMEOUT_ERROR], resultPath: '$.event' });
    await_.addCatch(revision, { errors: [REJECTED_ERROR], resultPath: '$.event' });
    await_.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    // An execution near its time limit does not wait again: a fresh one continues from the record.
    const continueAsNew = invoke(this, 'ContinueAsNew', props.continueReport, 'continued', props.onFailure);
    continueAsNew.next(new sfn.Succeed(this, 'Continued', { comment: 'A new execution carries the report on.' }));

    const complete = new sfn.Choice(this, 'ChainComplete?')
      .when(sfn.Condition.booleanEquals('$.plan.Payload.done', true), props.onApproved)
      .when(sfn.Condition.booleanEquals('$.plan.Payload.expired', true), expired)
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.plan.Payload.continueAsNew'),
          sfn.Condition.booleanEquals('$.plan.Payload.continueAsNew', true),
        ),
        continueAsNew,
      )
      .otherwise(await_);

    start.next(plan).next(complete);
    await_.next(plan);
    this.startState = start;
    this.plan = plan;
    this.revision = revision;
  }
}

export interface ReleaseFragmentProps {
  readonly release: lambda.IFunction;
  /** Tells the recipients (one mail each); its failure never un-releases the report. */
  readonly notifyRecipients: lambda.IFunction;
  /** Clerk numbering mode: mails the clerk of records the link to enter the number (AwaitNumber). */
  readonly requestNumber: lambda.IFunction;
  readonly onFailure: sfn.IChainable;
}

/** How long the clerk of records has to enter the number (the emailed link lasts as long). */
export const NUMBER_TIMEOUT = Duration.days(7);
export const NUMBER_TIMEOUT_ERROR = 'NumberTimedOut';

/**
 * Release (number from the register, final .docx in released/; idempotent) → NumberNeeded? →
 * NotifyRecipients → Released. In clerk mode Release first answers `awaitingNumber`: AwaitNumber
 * mails the clerk a link and waits for the number, then Release runs again with it.
 * NotifyRecipients is retried on its own; if it still fails the report stays released.
 */
export class ReleaseFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: ReleaseFragmentProps) {
    super(scope, id);
    const release = invoke(this, 'Release', props.release, 'release', props.onFailure);
    const released = new sfn.Succeed(this, 'Released');

    const notify = invoke(this, 'NotifyRecipients', props.notifyRecipients, 'notify', undefined);
    const notNotified = new sfn.Pass(this, 'RecipientsNotNotified', { resultPath: sfn.JsonPath.DISCARD });
    notify.addCatch(notNotified, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' });
    notify.next(released);
    notNotified.next(released);

    const awaitNumber = waitForToken(this, 'AwaitNumber', props.requestNumber, {
      payload: {},
      resultPath: '$.numbering',
      timeout: sfn.Timeout.duration(NUMBER_TIMEOUT),
    });
    const numberExpired = failWith(
      this,
      'NumberExpired',
      NUMBER_TIMEOUT_ERROR,
      'Văn thư chưa cấp số văn bản trong thời hạn',
      props.onFailure,
    );
    awaitNumber.addCatch(numberExpired, { errors: [TIMEOUT_ERROR], resultPath: '$.timeout' });
    awaitNumber.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    awaitNumber.next(release);

    const numberNeeded = new sfn.Choice(this, 'NumberNeeded?')
      .when(sfn.Condition.isPresent('$.release.Payload.awaitingNumber'), awaitNumber)
      .otherwise(notify);
    release.next(numberNeeded);
    this.startState = release;
  }
}

export interface EntryFragmentProps {
  readonly resumeReport: lambda.IFunction;
  /** A new report: the processing stage. */
  readonly processing: sfn.IChainable;
  /** Resumed states (ApprovalFragment.plan / .revision). */
  readonly approval: sfn.IChainable;
  readonly revision: sfn.IChainable;
  /** A report whose signing has begun (SigningFragment). */
  readonly signing: sfn.IChainable;
  readonly onFailure: sfn.IChainable;
}

/**
 * The machine's entry. `ExecutionContext` keeps the execution's id, machine and start time at
 * `$.execution` (the planner compares the age with the continue-as-new limit). An input with
 * `resume: true` goes to ResumeReport, which reads the report's record and answers where to enter
 * (ResumeAt?): the approval planner (approvals of the current draft kept), AwaitRevision, the
 * processing stage, the signing stage (SignDocument reads where the signing stands), or nowhere
 * (the report has ended).
 */
export class EntryFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: EntryFragmentProps) {
    super(scope, id);
    const context = new sfn.Pass(this, 'ExecutionContext', {
      parameters: {
        id: sfn.JsonPath.stringAt('$$.Execution.Id'),
        stateMachine: sfn.JsonPath.stringAt('$$.StateMachine.Id'),
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      },
      resultPath: '$.execution',
    });
    const resume = invoke(this, 'ResumeReport', props.resumeReport, 'resumed', props.onFailure);
    // The resumed state as the entered stage expects it: the run input, the current draft and the event.
    const resumed = new sfn.Pass(this, 'Resumed', {
      parameters: {
        reportId: sfn.JsonPath.stringAt('$.reportId'),
        periodId: sfn.JsonPath.stringAt('$.resumed.Payload.periodId'),
        requestedBy: sfn.JsonPath.stringAt('$.resumed.Payload.requestedBy'),
        execution: sfn.JsonPath.objectAt('$.execution'),
        resumeAt: sfn.JsonPath.stringAt('$.resumed.Payload.resumeAt'),
        draft: { Payload: sfn.JsonPath.objectAt('$.resumed.Payload.draft') },
        event: sfn.JsonPath.objectAt('$.resumed.Payload.event'),
      },
    });
    const nothing = new sfn.Succeed(this, 'NothingToResume', { comment: 'The report has ended; nothing to carry on.' });
    const at = new sfn.Choice(this, 'ResumeAt?')
      .when(sfn.Condition.stringEquals('$.resumeAt', 'approval'), props.approval)
      .when(sfn.Condition.stringEquals('$.resumeAt', 'revision'), props.revision)
      .when(sfn.Condition.stringEquals('$.resumeAt', 'processing'), props.processing)
      .when(sfn.Condition.stringEquals('$.resumeAt', 'signing'), props.signing)
      .otherwise(nothing);
    resume.next(resumed).next(at);
    const kind = new sfn.Choice(this, 'Resume?')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.resume'), sfn.Condition.booleanEquals('$.resume', true)), resume)
      .otherwise(props.processing);
    context.next(kind);
    this.startState = context;
  }
}

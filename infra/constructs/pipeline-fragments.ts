import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/*
 * Convention for ALL Lambda tasks of the pipeline (the handlers, the local runtime and the
 * tests rely on it):
 *   - the payload is the whole state (`$`);
 *   - `payloadResponseOnly` is false and there is NO resultSelector;
 *   - `resultPath` is `$.<resultKey>`, so the Lambda's return value lands at
 *     `$.<resultKey>.Payload` (Validate→validation, Aggregate→aggregate, BuildDraft→draft,
 *     Release→release, RecordFailure→failure).
 * The approval wait is the exception by nature: with `.waitForTaskToken` the task's result is
 * the output given to SendTaskSuccess, `{ stepIndex, done, timeoutSeconds, decidedBy }`, which
 * replaces `$.approval` as is.
 * Only JSONPath is used; the local runtime ignores JSONata.
 */

/** Lambda errors worth retrying: the service, not our code, failed. */
export const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Upper bound for a non-approval task; the Lambda timeout (30 s / 2 min) normally fires first. */
export const TASK_TIMEOUT = Duration.minutes(5);

/** Error names the FailureKind? choice tells apart. `Rejected` is sent by the decision handler with SendTaskFailure. */
export const REJECTED_ERROR = 'Rejected';
export const TIMEOUT_ERROR = 'States.Timeout';

function withTransientRetry<T extends sfn.TaskStateBase>(task: T): T {
  // Deliberately no States.Timeout here: a timed-out approval must fail, not resend the request.
  task.addRetry({ errors: TRANSIENT_LAMBDA_ERRORS, interval: Duration.seconds(2), maxAttempts: 2, backoffRate: 2 });
  return task;
}

/** A pipeline Lambda task following the convention above, with retry and the catch to `onFailure`. */
function invoke(
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
  readonly onFailure: sfn.IChainable;
}

/** Validate → Aggregate → BuildDraft (the draft .docx lands in drafts/). */
export class ProcessingFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: ProcessingFragmentProps) {
    super(scope, id);
    const validate = invoke(this, 'Validate', props.validate, 'validation', props.onFailure);
    const aggregate = invoke(this, 'Aggregate', props.aggregate, 'aggregate', props.onFailure);
    const buildDraft = invoke(this, 'BuildDraft', props.buildDocx, 'draft', props.onFailure);
    validate.next(aggregate).next(buildDraft);
    this.startState = validate;
    this.endStates = [buildDraft];
  }
}

export interface ApprovalFragmentProps {
  readonly requestApproval: lambda.IFunction;
  /** Where the chain goes once the last approver approved. */
  readonly onApproved: sfn.IChainable;
  readonly onFailure: sfn.IChainable;
}

/**
 * StartApprovalChain → AwaitApproval ⟲ ChainComplete?
 * One AwaitApproval per approver step: request-approval mails the links and returns; the
 * decision handler answers the task token. Rejection is SendTaskFailure(`Rejected`), silence
 * is States.Timeout after `$.approval.timeoutSeconds` — both are failures, caught below.
 */
export class ApprovalFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: ApprovalFragmentProps) {
    super(scope, id);
    const start = new sfn.Pass(this, 'StartApprovalChain', {
      parameters: {
        stepIndex: 0,
        done: false,
        timeoutSeconds: sfn.JsonPath.numberAt('$.validation.Payload.approvalTimeoutSeconds'),
      },
      resultPath: '$.approval',
    });

    const await_ = new tasks.LambdaInvoke(this, 'AwaitApproval', {
      lambdaFunction: props.requestApproval,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        taskToken: sfn.JsonPath.taskToken,
        reportId: sfn.JsonPath.stringAt('$.reportId'),
        periodId: sfn.JsonPath.stringAt('$.periodId'),
        stepIndex: sfn.JsonPath.numberAt('$.approval.stepIndex'),
        draft: sfn.JsonPath.objectAt('$.draft.Payload'),
      }),
      payloadResponseOnly: false,
      retryOnServiceExceptions: false,
      resultPath: '$.approval',
      taskTimeout: sfn.Timeout.at('$.approval.timeoutSeconds'),
    });
    withTransientRetry(await_);
    await_.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const complete = new sfn.Choice(this, 'ChainComplete?')
      .when(sfn.Condition.booleanEquals('$.approval.done', true), props.onApproved)
      .otherwise(await_);

    start.next(await_).next(complete);
    this.startState = start;
  }
}

export interface ReleaseFragmentProps {
  readonly release: lambda.IFunction;
  readonly onFailure: sfn.IChainable;
}

/** Release (document number, final .docx in released/, notify recipients) → Released. */
export class ReleaseFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: ReleaseFragmentProps) {
    super(scope, id);
    const release = invoke(this, 'Release', props.release, 'release', props.onFailure);
    release.next(new sfn.Succeed(this, 'Released'));
    this.startState = release;
  }
}

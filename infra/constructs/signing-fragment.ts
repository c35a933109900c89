import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { SIGN_POLL_SECONDS } from '../../shared/domain/signing-plan';
import { failWith, invoke, NUMBER_TIMEOUT, NUMBER_TIMEOUT_ERROR, TIMEOUT_ERROR, waitForToken } from './pipeline-fragments';

export interface SigningFragmentProps {
  readonly signDocument: lambda.IFunction;
  /** Mails the văn thư's seal link (AwaitSeal) or the compiler's retry link (AwaitSigningRetry). */
  readonly requestSigningAction: lambda.IFunction;
  /** Clerk numbering mode: the number is entered before the person signs (AwaitSigningNumber). */
  readonly requestNumber: lambda.IFunction;
  /** The release stage (ReleaseFragment): the sealed PDF beside the .docx. */
  readonly onRelease: sfn.IChainable;
  readonly onFailure: sfn.IChainable;
}

/** How long a stalled signing waits for the compiler's "thử ký lại" or stop (the emailed link lasts as long). */
export const SIGNING_RETRY_TIMEOUT = Duration.days(14);
export const SIGNING_RETRY_TIMEOUT_ERROR = 'SigningTimedOut';
export const SEAL_TIMEOUT_ERROR = 'SealTimedOut';

/**
 * The signed original after the last approval (Decree 30 Art. 14; issue 16, ADR 0043):
 *
 *   SignDocument ─▶ SigningNext? ─release──▶ Release (organization does not sign, or both signatures on)
 *        ▲                       ─number───▶ AwaitSigningNumber (clerk mode, the văn thư enters the number) ─┐
 *        │                       ─poll─────▶ WaitForSigner (Wait, SIGN_POLL_SECONDS) ───────────────────────┤
 *        │                       ─retry────▶ AwaitSigningRetry (compiler: thử ký lại / stop) ───────────────┤
 *        │                       ─seal─────▶ AwaitSeal (văn thư's link; the POST seals, verifies, succeeds) ─▶ Release
 *        │                                      States.Timeout (reminder → escalation → expiry) ──────────────┤
 *        └──────────────────────────────────────────────────────────────────────────────────────────────────┘
 *                                ─expired──▶ SealExpired → failure stage
 *
 * SignDocument reads where the signing stands from the record, so a resumed execution enters it
 * directly (ResumeAt? signing). Waiting for the person's phone is a Wait state and a poll, never a
 * sleeping Lambda; the planner counts rounds, not the wall clock (shared/domain/signing-plan.ts).
 */
export class SigningFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: SigningFragmentProps) {
    super(scope, id);
    const sign = invoke(this, 'SignDocument', props.signDocument, 'signing', props.onFailure);

    const waitSigner = new sfn.Wait(this, 'WaitForSigner', {
      comment: 'The person confirms on their own device; ask the provider again after this round.',
      time: sfn.WaitTime.duration(Duration.seconds(SIGN_POLL_SECONDS)),
    });
    waitSigner.next(sign);

    const awaitNumber = waitForToken(this, 'AwaitSigningNumber', props.requestNumber, {
      payload: {},
      resultPath: '$.numbering',
      timeout: sfn.Timeout.duration(NUMBER_TIMEOUT),
    });
    awaitNumber.addCatch(
      failWith(this, 'SigningNumberExpired', NUMBER_TIMEOUT_ERROR, 'Văn thư chưa cấp số văn bản trong thời hạn', props.onFailure),
      { errors: [TIMEOUT_ERROR], resultPath: '$.timeout' },
    );
    awaitNumber.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    awaitNumber.next(sign);

    // The văn thư's decision or the caught timer becomes the next event.
    const awaitSeal = waitForToken(this, 'AwaitSeal', props.requestSigningAction, {
      payload: { kind: 'seal', seal: sfn.JsonPath.objectAt('$.signing.Payload.seal') },
      resultPath: '$.event',
      timeout: sfn.Timeout.at('$.signing.Payload.timeoutSeconds'),
    });
    awaitSeal.addCatch(sign, { errors: [TIMEOUT_ERROR], resultPath: '$.event' });
    awaitSeal.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    awaitSeal.next(props.onRelease);

    const awaitRetry = waitForToken(this, 'AwaitSigningRetry', props.requestSigningAction, {
      payload: { kind: 'retry' },
      resultPath: '$.event',
      timeout: sfn.Timeout.duration(SIGNING_RETRY_TIMEOUT),
    });
    awaitRetry.addCatch(
      failWith(this, 'SigningRetryExpired', SIGNING_RETRY_TIMEOUT_ERROR, 'Việc ký số không được tiếp tục trong thời hạn', props.onFailure),
      { errors: [TIMEOUT_ERROR], resultPath: '$.timeout' },
    );
    // A stop by the compiler (SigningAbandoned) ends the run through the failure stage, which records it.
    awaitRetry.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    awaitRetry.next(sign);

    const sealExpired = failWith(this, 'SealExpired', SEAL_TIMEOUT_ERROR, 'Văn thư chưa ký số của cơ quan trong thời hạn', props.onFailure);

    const next = new sfn.Choice(this, 'SigningNext?')
      .when(sfn.Condition.stringEquals('$.signing.Payload.next', 'release'), props.onRelease)
      .when(sfn.Condition.stringEquals('$.signing.Payload.next', 'number'), awaitNumber)
      .when(sfn.Condition.stringEquals('$.signing.Payload.next', 'poll'), waitSigner)
      .when(sfn.Condition.stringEquals('$.signing.Payload.next', 'seal'), awaitSeal)
      .when(sfn.Condition.stringEquals('$.signing.Payload.next', 'retry'), awaitRetry)
      .otherwise(sealExpired);
    sign.next(next);
    this.startState = sign;
  }
}

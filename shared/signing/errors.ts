import { AppError } from '../errors';

/** Why signing or verifying stopped; `retryable` tells a workflow step whether asking again may help. */
export type SigningErrorCode =
  | 'invalid-pdf'
  | 'unsupported-pdf'
  | 'invalid-options'
  | 'invalid-signature'
  | 'provider-unavailable'
  | 'provider-refused'
  | 'provider-config'
  | 'unknown-transaction';

/** A signing failure with a Vietnamese message the user may read as is. */
export class SigningError extends AppError {
  override name = 'SigningError';
  constructor(
    readonly code: SigningErrorCode,
    message: string,
    status = 400,
    readonly retryable = false,
  ) {
    super(message, status);
  }
}

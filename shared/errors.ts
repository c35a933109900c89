/**
 * One error base. An AppError carries the HTTP status to answer and a message in Vietnamese the
 * user may read as is; the API maps it to a response in one place (shared/http/router.ts,
 * errorResponse). Any other error is a fault: logged, answered 500 with a generic message.
 * Each subclass keeps its `name`: it becomes the Step Functions error type when a task throws.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    message: string,
    readonly status = 400,
    /** Heading of the problem page, when the default one would not fit. */
    readonly title?: string,
  ) {
    super(message);
  }
}
export class ValidationError extends AppError {
  override name = 'ValidationError';
}
export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(message, 404);
  }
}
export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(message: string) {
    super(message, 409);
  }
}
export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(message, 403, 'Không có quyền');
  }
}

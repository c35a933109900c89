/** Typed errors. Their `name` becomes the Step Functions error type when a task throws. */
export class ValidationError extends Error {
  override name = 'ValidationError';
}
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
export class ConflictError extends Error {
  override name = 'ConflictError';
}

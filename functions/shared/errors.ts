/**
 * Named errors. Step Functions Retry/Catch match on `error.name`, never on message text.
 */

/** The step's input does not match its contract: a bug upstream, not worth retrying. */
export class InvalidStepInputError extends Error {
  override readonly name = 'InvalidStepInputError';
}

/** A dependency failed in a way that may succeed on retry (throttling, timeouts, 5xx). */
export class TransientDependencyError extends Error {
  override readonly name = 'TransientDependencyError';
}

/** Data the step needs is missing (e.g. a case record that should exist). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

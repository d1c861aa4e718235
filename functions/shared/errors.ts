/**
 * Named errors. Step Functions Retry/Catch match on `error.name`, never on message text.
 * Any other error (an SDK fault, a timeout) is retried with backoff, then routed to a person.
 */

/** The step's input does not match its contract: a bug upstream, not worth retrying. */
export class InvalidStepInputError extends Error {
  override readonly name = 'InvalidStepInputError';
}

/**
 * Whether an error is the named one. By name, not `instanceof`: an SDK exception thrown by another
 * copy of the SDK (or rebuilt from the wire) is still recognised.
 */
export function isNamedError(error: unknown, name: string): boolean {
  return (error as Error | undefined)?.name === name;
}

/** The task token's wait is over (timed out, re-dispatched with a new token, or the execution stopped). */
export function isTaskGone(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken';
}

/**
 * Errors a user can act on become ONE line on stderr and a non-zero exit code; anything else is
 * reported as one line too (its name and message), with the stack only under REFUND_HUB_DEBUG=1.
 */

/** Exit codes: documented in `refund-hub --help`. */
export const EXIT = {
  ok: 0,
  /** Something the user can fix: credentials, endpoint, stack, execution, local server. */
  error: 1,
  /** Bad arguments. */
  usage: 2,
  /** The execution ended FAILED, TIMED_OUT or ABORTED. */
  executionFailed: 3,
} as const;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command's usage line, printed under the message. */
    readonly usage?: string,
  ) {
    super(message, EXIT.usage);
  }
}

/** Where the CLI was talking to, so a connection error can say what to start. */
export interface ErrorContext {
  /** `AWS`, `LocalStack at http://localhost:4566`, `the local server at http://127.0.0.1:3000`... */
  readonly target?: string;
  readonly endpoint?: string;
  readonly stackName?: string;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  cause?: unknown;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
}

function codes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const e = error as ErrorLike;
  return [
    ...(e.code ? [e.code] : []),
    ...codes(e.cause, depth + 1),
    ...(Array.isArray(e.errors) ? e.errors.flatMap((inner) => codes(inner, depth + 1)) : []),
  ];
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH']);

/** One line for any error; `null` when it is not one of the known, actionable kinds. */
export function explain(error: unknown, context: ErrorContext = {}): string {
  const e = (error ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const message = (e.message ?? String(error)).split('\n')[0]?.trim() ?? '';
  if (error instanceof CliError) return message;

  const code = codes(error).find((c) => CONNECTION_CODES.has(c));
  if (code) {
    const where = context.endpoint ?? context.target ?? 'the endpoint';
    const hint = context.target?.startsWith('LocalStack')
      ? ' Is LocalStack running? Start it with: docker compose up -d'
      : context.target?.startsWith('the local server')
        ? ' Start the local runtime with: npm start'
        : '';
    return `Cannot reach ${where} (${code}).${hint}`;
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'No AWS credentials found: configure a profile (aws configure, or AWS_PROFILE), or use --local for the embedded runtime or --endpoint for LocalStack.';
  }
  if (/Region is missing/i.test(message)) {
    return 'No AWS region configured: set AWS_REGION (or pass --region).';
  }
  if (
    name === 'UnrecognizedClientException' ||
    name === 'InvalidClientTokenId' ||
    name === 'InvalidSignatureException' ||
    name === 'ExpiredTokenException' ||
    name === 'ExpiredToken'
  ) {
    return `AWS rejected the credentials (${name}): refresh them (aws sso login, or a new session) and try again.`;
  }
  if (name === 'ValidationError' && /does not exist/i.test(message) && /stack/i.test(message)) {
    const stack = context.stackName ?? 'RefundHub';
    const where = context.target?.startsWith('LocalStack')
      ? `on ${context.target}: deploy it with npm run localstack:deploy`
      : 'in this account and region: deploy it with npx cdk deploy (or pass --region / --stack)';
    return `Stack ${stack} is not deployed ${where}.`;
  }
  if (name === 'ExecutionDoesNotExist')
    return `Execution not found: ${message.replace(/^Execution Does Not Exist:\s*/i, '')}`;
  if (name === 'StateMachineDoesNotExist')
    return `State machine not found: ${message.replace(/^State Machine Does Not Exist:\s*/i, '')}`;
  if (name === 'InvalidArn') return `Not a valid ARN: ${message}`;
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return `Access denied: ${message}`;
  if (name === 'ResourceNotFoundException') return `Not found: ${message}`;
  if (name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue')
    return `Queue not found: ${message}`;
  return `${name && name !== 'Error' ? `${name}: ` : ''}${message || 'unexpected error'}`;
}

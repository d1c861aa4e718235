/**
 * API Gateway plumbing shared by the HTTP handlers: errors the caller may see become
 * `{ error: { code, message } }` with their status; anything else is a plain 500 (middy's
 * http-error-handler idea, with the body this API promises).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ENV } from './env.js';
import { logger } from './logger.js';
import { tracingMiddleware } from './tracer.js';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function jsonErrors(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        request.response = json(error.statusCode, { error: { code: error.code, message: error.message } });
        return;
      }
      logger.error('Unhandled error', error as Error);
      request.response = json(500, {
        error: { code: 'internal_error', message: 'Something went wrong on our side.' },
      });
    },
  };
}

/** On AWS, the web app's origin (set by SupportApi.allowBrowserOrigin); unset locally, where pages are same-origin. */
const WEB_ORIGIN = process.env[ENV.webOrigin];

/**
 * Lets the web app's pages read every answer, errors included (CORS): the preflight is API Gateway's, but the
 * answer to the request itself must carry the header too. Only for a request from that origin: other callers
 * (the CLI, the local runtime's same-origin pages) get nothing they would not use.
 */
export function browserOrigin(
  origin: string | undefined = WEB_ORIGIN,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const allow = (request: middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult>) => {
    if (!origin || !request.response) return;
    // Vary on every answer: a cache must not give one origin's answer to another.
    if (header(request.event, 'origin') !== origin) {
      request.response = { ...request.response, headers: { ...request.response.headers, vary: 'Origin' } };
      return;
    }
    request.response = {
      ...request.response,
      headers: { ...request.response.headers, 'access-control-allow-origin': origin, vary: 'Origin' },
    };
  };
  return { after: allow, onError: allow };
}

/**
 * An API Gateway handler with the logger's Lambda context and `{ error: { code, message } }` errors.
 * The event is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says: its body is the request
 * before redaction (card numbers, passwords).
 */
export function httpHandler(run: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>) {
  return (
    middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
      .use(tracingMiddleware())
      .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
      // Before jsonErrors: middy runs onError last-registered first, so the error body exists when the header is added.
      .use(browserOrigin())
      .use(jsonErrors())
      .handler(run)
  );
}

/** The caller's customer id, from the Cognito user pool authorizer's claims, never the body. */
export function customerIdOf(event: APIGatewayProxyEvent): string {
  const claims = event.requestContext?.authorizer?.claims as Record<string, string> | undefined;
  const customerId = claims?.['custom:customerId'] ?? claims?.sub;
  if (!customerId) throw new HttpError(401, 'unauthenticated', 'Sign in to use this API.');
  return customerId;
}

export function parseJsonBody(event: APIGatewayProxyEvent): unknown {
  if (!event.body) throw new HttpError(400, 'invalid_request', 'The request body must be a JSON object.');
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
}

/** A request header by name (any case); an empty value is a value (`''`), not an absent header. */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

/** Our case ids (intake's caseIdFor): `case-` and 32 lowercase hex digits. */
const CASE_ID = /^case-[0-9a-f]{32}$/;

/** The `{caseId}` path parameter; any other shape is a case that does not exist (404), never a DynamoDB call. */
export function caseIdOf(event: APIGatewayProxyEvent): string {
  const caseId = event.pathParameters?.caseId;
  if (typeof caseId !== 'string' || !CASE_ID.test(caseId))
    throw new HttpError(404, 'case_not_found', 'No case with this id was found.');
  return caseId;
}

/**
 * The agent behind an IAM-authorized call (API Gateway puts the signer's ARN in the identity). An agent signed in
 * to the console signs with identity-pool credentials, whose ARN is the same for every agent
 * (`assumed-role/<agents role>/CognitoIdentityCredentials`): that agent is their user pool sign-in instead.
 */
export function agentIdOf(event: APIGatewayProxyEvent): string {
  const identity = event.requestContext?.identity;
  const agentId =
    consoleSignInOf(identity?.cognitoAuthenticationProvider) ??
    identity?.userArn ??
    identity?.caller ??
    identity?.user;
  if (!agentId) throw new HttpError(403, 'forbidden', 'This endpoint is for agents signed in with AWS IAM.');
  return agentId;
}

/**
 * `cognito-idp.<region>.amazonaws.com/<pool id>:CognitoSignIn:<sub>`, the last of the providers API Gateway lists
 * for identity-pool credentials (`<pool provider>,<pool provider>:CognitoSignIn:<sub>`): one user, stable across sessions.
 */
function consoleSignInOf(provider: string | null | undefined): string | undefined {
  const signIn = provider?.split(',').at(-1)?.trim();
  return signIn && /^cognito-idp\.[^/]+\/[^:]+:CognitoSignIn:[^:]+$/.test(signIn) ? signIn : undefined;
}

/** Parses a JSON body against a zod schema; the first problem becomes a 400 that names the field. */
export function parseBody<T>(
  event: APIGatewayProxyEvent,
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
): T {
  const parsed = schema.safeParse(parseJsonBody(event));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'invalid_request', `${where}${issue?.message ?? 'invalid request'}`);
}

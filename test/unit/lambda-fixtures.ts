/** Fakes of what Lambda and API Gateway hand a handler; plain data, no AWS calls. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export function lambdaContext(functionName = 'refund-hub-test'): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'req-00000000-0000-0000-0000-000000000001',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/02/20/[$LATEST]0000',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } as unknown as Context;
}

export interface ApiEventOptions {
  readonly body?: unknown;
  /** Sent as is (not JSON-encoded) when a string. */
  readonly rawBody?: string | null;
  readonly headers?: Record<string, string>;
  /** Cognito `sub` of the caller; null for a request without authorizer claims. */
  readonly customerId?: string | null;
  readonly pathParameters?: Record<string, string> | null;
  readonly method?: string;
  readonly path?: string;
}

export function apiEvent(options: ApiEventOptions = {}): APIGatewayProxyEvent {
  const customerId = options.customerId === undefined ? 'cust-1' : options.customerId;
  const body =
    options.rawBody !== undefined
      ? options.rawBody
      : options.body === undefined
        ? null
        : JSON.stringify(options.body);
  return {
    body,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    httpMethod: options.method ?? 'POST',
    isBase64Encoded: false,
    path: options.path ?? '/v1/support-requests',
    pathParameters: options.pathParameters ?? null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    resource: options.path ?? '/support-requests',
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      httpMethod: options.method ?? 'POST',
      path: options.path ?? '/v1/support-requests',
      protocol: 'HTTP/1.1',
      requestId: 'api-req-1',
      requestTimeEpoch: 0,
      resourceId: 'res',
      resourcePath: '/support-requests',
      stage: 'v1',
      identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
      authorizer: customerId === null ? null : { claims: { sub: customerId } },
    },
  } as APIGatewayProxyEvent;
}

/** Parses a handler's JSON response body. */
export function bodyOf(response: { body: string }): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}

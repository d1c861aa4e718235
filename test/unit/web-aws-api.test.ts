import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, bodyOf, lambdaContext } from './lambda-fixtures.js';

/** What SupportApi.allowBrowserOrigin sets on AWS: read once when the module loads, as in Lambda. */
const WEB = 'https://d111111abcdef8.cloudfront.net';
let http: typeof import('../../functions/shared/http.js');

beforeAll(async () => {
  process.env.WEB_ORIGIN = WEB;
  http = await import('../../functions/shared/http.js');
});

const run = (handler: ReturnType<typeof http.httpHandler>, event: APIGatewayProxyEvent) =>
  handler(event, lambdaContext()) as Promise<APIGatewayProxyResult>;

describe('answers the web app can read from its origin (CORS)', () => {
  it("adds the distribution's origin to a handler's answer, keeping its own headers", async () => {
    const handler = http.httpHandler(async () =>
      http.json(201, { caseId: 'case-1' }, { location: '/v1/support-requests/case-1' }),
    );

    const response = await run(handler, apiEvent({ headers: { Origin: WEB } }));

    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual({
      'content-type': 'application/json',
      location: '/v1/support-requests/case-1',
      'access-control-allow-origin': WEB,
      vary: 'Origin',
    });
  });

  it('adds it to errors too, so the page can show the message (a 4xx the handler meant, and a plain 500)', async () => {
    const refused = http.httpHandler(async () => {
      throw new http.HttpError(404, 'case_not_found', 'No case with this id was found.');
    });
    const crashed = http.httpHandler(async () => {
      throw new Error('table gone');
    });

    const notFound = await run(refused, apiEvent({ headers: { origin: WEB } }));
    const failed = await run(crashed, apiEvent({ headers: { origin: WEB } }));

    expect(notFound.statusCode).toBe(404);
    expect(bodyOf(notFound)).toEqual({
      error: { code: 'case_not_found', message: 'No case with this id was found.' },
    });
    expect(notFound.headers?.['access-control-allow-origin']).toBe(WEB);
    expect(failed.statusCode).toBe(500);
    expect(failed.headers?.['access-control-allow-origin']).toBe(WEB);
  });

  it('allows no other origin, and adds nothing for callers without one (the CLI) or where none is configured', async () => {
    const handler = http.httpHandler(async () => http.json(200, { ok: true }));

    const elsewhere = await run(handler, apiEvent({ headers: { origin: 'https://evil.example' } }));
    const cli = await run(handler, apiEvent());

    expect(elsewhere.headers).toEqual({ 'content-type': 'application/json', vary: 'Origin' });
    expect(cli.headers).toEqual({ 'content-type': 'application/json', vary: 'Origin' });
    type Request = Parameters<NonNullable<ReturnType<typeof http.browserOrigin>['after']>>[0];
    const local = {
      event: apiEvent({ headers: { origin: WEB } }),
      response: http.json(200, {}),
    } as unknown as Request;
    await http.browserOrigin('').after?.(local);
    expect(local.response?.headers).toEqual({ 'content-type': 'application/json' });
  });
});

describe('the agent behind a console request', () => {
  const signedBy = (identity: Record<string, string | null>) => {
    const event = apiEvent({ customerId: null });
    return {
      ...event,
      requestContext: {
        ...event.requestContext,
        identity: { ...event.requestContext.identity, ...identity },
      },
    };
  };
  const consoleAgent = (sub: string) =>
    signedBy({
      userArn:
        'arn:aws:sts::123456789012:assumed-role/RefundHub-WebSignInAgentsRole/CognitoIdentityCredentials',
      caller: 'AROAEXAMPLEAGENTS:CognitoIdentityCredentials',
      cognitoAuthenticationType: 'authenticated',
      cognitoIdentityId: `eu-west-1:${sub}-identity`,
      cognitoAuthenticationProvider:
        'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123,' +
        `cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123:CognitoSignIn:${sub}`,
    });

  it('is the user pool sign-in for identity-pool credentials, so two agents on the same role stay two agents', () => {
    const first = http.agentIdOf(consoleAgent('0f8e-agent-one'));
    const second = http.agentIdOf(consoleAgent('7a1c-agent-two'));

    expect(first).toBe(
      'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123:CognitoSignIn:0f8e-agent-one',
    );
    expect(second).not.toBe(first);
  });

  it('is the signer ARN for IAM users and roles (the CLI, an operator), as before', () => {
    expect(http.agentIdOf(signedBy({ userArn: 'arn:aws:iam::123456789012:user/agent-7' }))).toBe(
      'arn:aws:iam::123456789012:user/agent-7',
    );
    // Not a user pool sign-in (another identity provider): the ARN, never a half-parsed provider.
    expect(
      http.agentIdOf(
        signedBy({
          userArn: 'arn:aws:sts::1:assumed-role/R/S',
          cognitoAuthenticationProvider: 'graph.facebook.com,graph.facebook.com:1234',
        }),
      ),
    ).toBe('arn:aws:sts::1:assumed-role/R/S');
    expect(() => http.agentIdOf(signedBy({ userArn: null, caller: null, user: null }))).toThrow(
      /agents signed in/,
    );
  });
});

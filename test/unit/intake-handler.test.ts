import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, bodyOf, lambdaContext } from './lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.CASES_TABLE_NAME = 'cases-table';
  process.env.STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:refund-hub';
  process.env.MAX_MESSAGE_LENGTH = '500';
});

const { handler } = await import('../../functions/intake/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const context = lambdaContext('intake');

const CARD = '4111 1111 1111 1111';
const validBody = { message: `I was charged after I cancelled, card ${CARD}`, callbackPhone: '+12065550100' };

async function post(options: Parameters<typeof apiEvent>[0]): Promise<APIGatewayProxyResult> {
  return (await handler(apiEvent(options), context)) as APIGatewayProxyResult;
}

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

function storedItem(callIndex = 0): Record<string, unknown> {
  const put = ddb.commandCalls(PutCommand)[callIndex];
  if (!put) throw new Error(`no PutCommand #${callIndex}`);
  return put.args[0].input.Item as Record<string, unknown>;
}

function startedExecution(callIndex = 0) {
  const start = sfn.commandCalls(StartExecutionCommand)[callIndex];
  if (!start) throw new Error(`no StartExecutionCommand #${callIndex}`);
  return start.args[0].input;
}

beforeEach(() => {
  ddb.on(PutCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
});

afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('intake handler: accepting a request', () => {
  it('answers 202 with the new case id and where to find it', async () => {
    // Act
    const response = await post({ body: validBody });

    // Assess
    expect(response.statusCode).toBe(202);
    const body = bodyOf(response);
    expect(body).toEqual({ caseId: expect.stringMatching(/^case-[0-9a-f]{32}$/), status: 'received' });
    expect(response.headers?.location).toBe(`/v1/support-requests/${body.caseId}`);
  });

  it('starts one execution named after the case, with the redacted message as input', async () => {
    // Act
    const response = await post({ body: validBody, headers: { 'Idempotency-Key': 'key-1' } });

    // Assess
    const { caseId } = bodyOf(response);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    const start = startedExecution();
    expect(start.stateMachineArn).toBe(process.env.STATE_MACHINE_ARN);
    expect(start.name).toBe(caseId);
    const input = JSON.parse(start.input ?? '{}');
    expect(input).toMatchObject({
      caseId,
      customerId: 'cust-1',
      orderId: null,
      callbackPhone: '+12065550100',
      requestedAt: expect.any(String),
    });
    expect(input.message).toContain('[card number removed]');
    expect(start.input).not.toMatch(/4111/);
  });

  it('stores the case conditionally, for the caller from the token, with the card number removed', async () => {
    // Act
    await post({ body: validBody, customerId: 'cust-42' });

    // Assess
    const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe('cases-table');
    expect(put?.ConditionExpression).toContain('attribute_not_exists(caseId)');
    const item = storedItem();
    expect(item).toMatchObject({ customerId: 'cust-42', status: 'received' });
    expect(JSON.stringify(item)).not.toMatch(/4111/);
    expect(item.timeline).toEqual([expect.objectContaining({ step: 'received' })]);
  });

  it('gives a new case id to each request without an Idempotency-Key', async () => {
    const first = bodyOf(await post({ body: validBody }));
    const second = bodyOf(await post({ body: validBody }));

    expect(first.caseId).not.toBe(second.caseId);
  });
});

describe('intake handler: idempotency', () => {
  it('derives the same case id from the same customer and Idempotency-Key', async () => {
    // Act
    const first = bodyOf(await post({ body: validBody, headers: { 'Idempotency-Key': 'abc-123' } }));
    const again = bodyOf(await post({ body: validBody, headers: { 'idempotency-key': 'abc-123' } }));
    const otherCustomer = bodyOf(
      await post({ body: validBody, headers: { 'Idempotency-Key': 'abc-123' }, customerId: 'cust-2' }),
    );
    const otherKey = bodyOf(await post({ body: validBody, headers: { 'Idempotency-Key': 'abc-124' } }));

    // Assess
    expect(again.caseId).toBe(first.caseId);
    expect(otherCustomer.caseId).not.toBe(first.caseId);
    expect(otherKey.caseId).not.toBe(first.caseId);
  });

  it('answers a retried request with the same case and tolerates the execution already existing', async () => {
    // Prepare: the first attempt stored the case and started the execution.
    const headers = { 'Idempotency-Key': 'retry-1' };
    const first = bodyOf(await post({ body: validBody, headers }));
    const stored = storedItem();
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: stored });
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution already exists', $metadata: {} }));

    // Act
    const response = await post({ body: validBody, headers });

    // Assess
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response).caseId).toBe(first.caseId);
    const retriedStart = startedExecution(1);
    expect(retriedStart.name).toBe(first.caseId);
    // Built from the stored record: the identical input, so Step Functions sees the same execution.
    expect(retriedStart.input).toBe(startedExecution(0).input);
  });

  it.each(['resolved', 'awaiting_agent', 'needs_attention'])(
    'answers a retry for a case already %s with the case, and does not run its workflow again',
    async (status) => {
      // Prepare: the first attempt's case has moved on (its execution may be long forgotten).
      const headers = { 'Idempotency-Key': `moved-on-${status}` };
      const first = bodyOf(await post({ body: validBody, headers }));
      ddb.on(PutCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({ Item: { ...storedItem(), status } });
      sfn.resetHistory();

      // Act
      const response = await post({ body: validBody, headers });

      // Assess
      expect(response.statusCode).toBe(202);
      expect(bodyOf(response)).toEqual({ caseId: first.caseId, status });
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    },
  );

  it('refuses the same Idempotency-Key with a different body with 409 and starts nothing', async () => {
    // Prepare
    const headers = { 'Idempotency-Key': 'reused-key' };
    await post({ body: validBody, headers });
    const stored = storedItem();
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: stored });
    sfn.resetHistory();

    // Act
    const response = await post({ body: { message: 'A completely different question' }, headers });

    // Assess
    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toEqual({
      error: { code: 'idempotency_key_reused', message: expect.any(String) },
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('rejects an Idempotency-Key that is not visible ASCII with 400', async () => {
    const response = await post({ body: validBody, headers: { 'Idempotency-Key': 'has space' } });

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'invalid_idempotency_key' } });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '   '],
    ['a tab', '\t'],
  ])(
    'rejects an Idempotency-Key that is %s with 400 (not "no key": each retry would open a case)',
    async (_what, key) => {
      const response = await post({ body: validBody, headers: { 'Idempotency-Key': key } });

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response)).toMatchObject({ error: { code: 'invalid_idempotency_key' } });
      expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    },
  );
});

describe('intake handler: bad input never reaches the database or the workflow', () => {
  it.each([
    ['a missing message', { orderId: 'ord-1' }],
    ['an empty message', { message: '' }],
    ['a blank message', { message: '   \n ' }],
    ['a message over the configured length', { message: 'x'.repeat(501) }],
    ['a message that is not a string', { message: 42 }],
    ['an orderId that is not a string', { message: 'Where is my order?', orderId: 12345 }],
    ['an orderId with forbidden characters', { message: 'Where is my order?', orderId: 'ord 1; drop' }],
    ['a customerId in the body', { message: 'Refund me', customerId: 'someone-else' }],
    ['any other unknown field', { message: 'Refund me', refundAmount: 100000 }],
    ['a phone number that is not E.164', { message: 'Call me', callbackPhone: '(206) 555-0100' }],
    ['a JSON array', ['Refund me']],
    ['JSON null', null],
    ['a message of only a zero-width space', { message: '\u200b' }],
    [
      'a message of format characters and whitespace',
      { message: ' \u200b\u200d \ufeff\u2060\u00ad\u200e\n' },
    ],
    ['a message of Hangul fillers', { message: '\u3164\u3164' }],
  ])('answers 400 invalid_request for %s', async (_label, body) => {
    // Act
    const response = await post({ rawBody: JSON.stringify(body) });

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('answers 400 invalid_json for a body that is not JSON', async () => {
    const response = await post({ rawBody: '{"message": "Refund me"' });

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('answers 400 for a request without a body', async () => {
    const response = await post({ rawBody: null });

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'invalid_request' } });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('names the offending field in the message', async () => {
    const response = await post({ body: { message: 'Call me', callbackPhone: '555-0100' } });

    expect((bodyOf(response).error as { message: string }).message).toMatch(/^callbackPhone: /);
  });

  it('accepts a message with visible text among invisible characters', async () => {
    const response = await post({
      rawBody: JSON.stringify({ message: '\u200bWhere is my\u200d order?\u2060' }),
    });

    expect(response.statusCode).toBe(202);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('accepts a message of exactly the configured length', async () => {
    const response = await post({ body: { message: 'x'.repeat(500) } });

    expect(response.statusCode).toBe(202);
  });
});

describe('intake handler: card numbers never leave intake', () => {
  // Bug: orderId accepts any 1-64 letters/digits, so a card number typed into the order field is
  // stored and passed to the state machine as is. See the report.
  it('does not store or forward a card number given as the orderId', async () => {
    // Act
    const response = await post({ body: { message: 'Where is my order?', orderId: '4111111111111111' } });

    // Assess: either refused, or never stored nor forwarded.
    if (response.statusCode === 202) {
      expect(JSON.stringify(storedItem())).not.toContain('4111111111111111');
      expect(startedExecution().input).not.toContain('4111111111111111');
    } else {
      expect(response.statusCode).toBe(400);
    }
  });

  it('forwards an ordinary order id unchanged', async () => {
    await post({ body: { message: 'Where is my order?', orderId: '113-4567890' } });

    expect(JSON.parse(startedExecution().input ?? '{}').orderId).toBe('113-4567890');
  });
});

describe('intake handler: identity and failures', () => {
  it('answers 401 when the request carries no authorizer claims, and stores nothing', async () => {
    const response = await post({ body: validBody, customerId: null });

    expect(response.statusCode).toBe(401);
    expect(bodyOf(response)).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('turns an unexpected failure into a plain 500 that reveals no internals', async () => {
    // Prepare
    ddb.on(PutCommand).rejects(new Error('ProvisionedThroughputExceeded on table cases-table'));

    // Act
    const response = await post({ body: validBody });

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(response.body).not.toContain('cases-table');
  });
});

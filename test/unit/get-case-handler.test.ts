import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../functions/shared/case-record.js';
import { apiEvent, bodyOf, lambdaContext } from './lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.CASES_TABLE_NAME = 'cases-table';
  process.env.REFUND_LEDGER_TABLE_NAME = 'ledger-table';
  process.env.CREDITS_TABLE_NAME = 'credits-table';
});

const { handler } = await import('../../functions/get-case/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('get-case');

const storedCase: CaseRecord = {
  caseId: 'case-0123456789abcdef0123456789abcdef',
  customerId: 'cust-1',
  createdAt: '2026-02-20T12:00:00.000Z',
  updatedAt: '2026-02-20T12:00:05.000Z',
  requestedAt: '2026-02-20T12:00:00.000Z',
  status: 'awaiting_agent',
  message: 'I was charged twice',
  orderId: null,
  callbackPhone: '+12065550100',
  requestFingerprint: 'f'.repeat(64),
  intent: 'billing_refund',
  outcome: 'human_handoff',
  reason: 'high_value',
  rule: 5,
  handoffQueue: 'billing',
  priority: 'high',
  callbackOffered: false,
  timeline: [{ at: '2026-02-20T12:00:00.000Z', step: 'received' }],
  taskToken: 'AQCEAAAAKgAAAA-secret-task-token',
  escalations: 0,
};

async function getCase(caseId: string, customerId: string | null = 'cust-1') {
  return (await handler(
    apiEvent({
      method: 'GET',
      path: `/v1/support-requests/${caseId}`,
      pathParameters: { caseId },
      customerId,
    }),
    context,
  )) as APIGatewayProxyResult;
}

beforeEach(() => {
  ddb.on(QueryCommand, { TableName: 'ledger-table' }).resolves({ Items: [] });
  ddb.on(GetCommand, { TableName: 'credits-table' }).resolves({});
});

afterEach(() => {
  ddb.reset();
  ddb.on(QueryCommand, { TableName: 'ledger-table' }).resolves({ Items: [] });
  ddb.on(GetCommand, { TableName: 'credits-table' }).resolves({});
});

describe('get-case handler', () => {
  it("returns the caller's own case as its public view", async () => {
    // Prepare
    ddb
      .on(GetCommand, { TableName: 'cases-table', Key: { caseId: 'case-0123456789abcdef0123456789abcdef' } })
      .resolves({ Item: storedCase });

    // Act
    const response = await getCase('case-0123456789abcdef0123456789abcdef');

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      caseId: 'case-0123456789abcdef0123456789abcdef',
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'high_value',
      handoffQueue: 'billing',
      refundedAmount: 0,
      refundedChargeIds: [],
      timeline: storedCase.timeline,
    });
  });

  it("shows where the case's money is: each refund with the provider's status, and its goodwill credit", async () => {
    ddb
      .on(GetCommand, { TableName: 'cases-table', Key: { caseId: 'case-0123456789abcdef0123456789abcdef' } })
      .resolves({ Item: storedCase });
    ddb.on(QueryCommand, { TableName: 'ledger-table' }).resolves({
      Items: [
        {
          customerId: 'cust-1',
          chargeId: 'ch_1',
          currency: 'USD',
          'case:case-0123456789abcdef0123456789abcdef': {
            amount: 1499,
            source: 'auto',
            at: '2026-02-20T12:00:03.000Z',
            status: 'pending',
            provider: 'stripe',
            idempotencyKey: 'k',
            attempt: 1,
            providerRefundId: 're_1',
          },
        },
      ],
    });
    ddb.on(GetCommand, { TableName: 'credits-table' }).resolves({
      Item: {
        customerId: 'cust-1',
        caseId: 'x',
        amount: 500,
        currency: 'USD',
        status: 'succeeded',
        providerCreditId: 'cbtxn_1',
      },
    });

    const body = bodyOf(await getCase('case-0123456789abcdef0123456789abcdef'));

    expect(body).toMatchObject({
      refunds: [
        { chargeId: 'ch_1', amount: 1499, currency: 'USD', status: 'pending', providerRefundId: 're_1' },
      ],
      credits: [{ amount: 500, currency: 'USD', status: 'succeeded', providerCreditId: 'cbtxn_1' }],
    });
    expect(JSON.stringify(body)).not.toContain('idempotencyKey');
  });

  it('never shows the task token or the request fingerprint', async () => {
    ddb.on(GetCommand).resolves({ Item: storedCase });

    const response = await getCase('case-0123456789abcdef0123456789abcdef');

    const body = bodyOf(response);
    expect(body).not.toHaveProperty('taskToken');
    expect(body).not.toHaveProperty('requestFingerprint');
    expect(response.body).not.toContain(storedCase.taskToken);
    expect(response.body).not.toContain(storedCase.requestFingerprint);
  });

  it("answers 404 for another customer's case, as if it did not exist", async () => {
    ddb.on(GetCommand).resolves({ Item: storedCase });

    const response = await getCase('case-0123456789abcdef0123456789abcdef', 'cust-2');

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toEqual({ error: { code: 'case_not_found', message: expect.any(String) } });
    expect(response.body).not.toContain('I was charged twice');
  });

  it('answers 404 for a case that does not exist', async () => {
    ddb.on(GetCommand).resolves({});

    const response = await getCase('case-ffffffffffffffffffffffffffffffff');

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'case_not_found' } });
  });

  // Doubtful: the read is eventually consistent, so a GET right after the 202 can miss the new case
  // and answer 404. See the report.
  it('reads with a consistent read, so a case is found right after it was created', async () => {
    ddb.on(GetCommand).resolves({ Item: storedCase });

    await getCase('case-0123456789abcdef0123456789abcdef');

    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });

  it.each([
    ['over 2 KB', `case-${'a'.repeat(3000)}`],
    ['not ours', 'case-1'],
    ['upper-case hex', `case-${'A'.repeat(32)}`],
    ['empty', ''],
  ])('answers 404 for a case id %s without reading DynamoDB', async (_what, caseId) => {
    ddb.on(GetCommand).rejects(new Error('ValidationException: key too long'));

    const response = await getCase(caseId);

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'case_not_found' } });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('answers 401 without authorizer claims and reads nothing', async () => {
    const response = await getCase('case-0123456789abcdef0123456789abcdef', null);

    expect(response.statusCode).toBe(401);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });
});

import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, bodyOf, lambdaContext } from '../lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.CASES_TABLE_NAME = 'cases';
  process.env.ACCOUNTS_TABLE_NAME = 'accounts';
  process.env.REFUND_LEDGER_TABLE_NAME = 'ledger';
});

const { handler } = await import('../../../functions/agent-approvals/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const CASE = 'case-0123456789abcdef0123456789abcdef';
const FIRST = 'arn:aws:iam::1:user/ann';
const SECOND = 'arn:aws:iam::1:user/bob';

const decision = {
  decision: 'approve_refund',
  amount: 129900,
  currency: 'USD',
  note: 'lost in transit',
  agentId: FIRST,
  decidedBy: FIRST,
  charges: [{ chargeId: 'CH-LAPTOP', amount: 129900, currency: 'USD' }],
};
const pendingCase = {
  caseId: CASE,
  customerId: 'C-1',
  status: 'awaiting_second_approval',
  taskToken: 'token-1',
  updatedAt: '2026-03-20T12:00:05.000Z',
  pendingApproval: { decision, agentId: FIRST, at: '2026-03-20T12:00:05.000Z', taskToken: 'token-1' },
  timeline: [],
};

async function approve(agent: string | null, body: unknown = {}): Promise<APIGatewayProxyResult> {
  const event = apiEvent({ body, customerId: null, pathParameters: { caseId: CASE } });
  const withIdentity = {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: { ...event.requestContext.identity, userArn: agent },
    },
  } as APIGatewayProxyEvent;
  return (await handler(withIdentity, lambdaContext('agent-approvals'))) as APIGatewayProxyResult;
}

const laptop = (refunded = 0) => ({
  Items: [
    {
      customerId: 'C-1',
      sk: 'CHARGE#CH-LAPTOP',
      data: {
        id: 'CH-LAPTOP',
        orderId: 'O-1',
        amount: 129900,
        refundedAmount: refunded,
        currency: 'USD',
        chargedAt: '2026-03-15T10:00:00Z',
      },
    },
  ],
});

beforeEach(() => {
  ddb.on(GetCommand).resolves({ Item: pendingCase });
  ddb.on(QueryCommand, { TableName: 'accounts' }).resolves(laptop());
  ddb.on(QueryCommand, { TableName: 'ledger' }).resolves({ Items: [] });
  ddb.on(QueryCommand, { TableName: 'cases' }).resolves({ Items: [pendingCase] });
  ddb.on(UpdateCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('second approval endpoint', () => {
  it('a second agent confirms: one conditional write on the pending approval, then the workflow resumes with both agents', async () => {
    const response = await approve(SECOND, { note: 'checked' });

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toMatchObject({
      status: 'resolving',
      decidedBy: FIRST,
      approvedBy: SECOND,
      amount: 129900,
    });
    const write = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(write?.ConditionExpression).toContain('attribute_not_exists(resolution)');
    expect(write?.ConditionExpression).toContain('pendingApproval.agentId = :first');
    expect(write?.ExpressionAttributeValues?.[':first']).toBe(FIRST);
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(sent?.taskToken).toBe('token-1');
    expect(JSON.parse(sent?.output ?? '{}')).toMatchObject({
      decidedBy: FIRST,
      approvedBy: SECOND,
      charges: decision.charges,
    });
  });

  it('the first agent cannot confirm their own decision (409 same_agent), nothing written', async () => {
    const response = await approve(FIRST);

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'same_agent' } });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a pending approval of an earlier wait (re-dispatched: another task token) with 409', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...pendingCase, taskToken: 'token-2' } });

    const response = await approve(SECOND);

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'approval_stale' } });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a case with nothing waiting for approval (409)', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...pendingCase, status: 'awaiting_agent', pendingApproval: undefined } });

    const response = await approve(SECOND);

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'not_awaiting_approval' } });
  });

  it('re-checks the remainder at confirmation: money refunded meanwhile is a 422 naming the charge, nothing moves', async () => {
    ddb.on(QueryCommand, { TableName: 'accounts' }).resolves(laptop(50000));

    const response = await approve(SECOND);

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'amount_exceeds_remainder', message: expect.stringContaining('CH-LAPTOP') },
    });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('a confirmation that loses the race to another is a 409 already_resolved and resumes nothing', async () => {
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('conditional'), { name: 'ConditionalCheckFailedException' }));
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: pendingCase })
      .resolves({ Item: { ...pendingCase, resolution: { decision: 'approve_refund' } } });

    const response = await approve(SECOND);

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'already_resolved' } });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses callers without an IAM identity with 403', async () => {
    expect((await approve(null)).statusCode).toBe(403);
  });
});

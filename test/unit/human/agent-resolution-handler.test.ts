import { SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
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
  process.env.GOODWILL_CAP_MINOR = '5000';
});

const { handler } = await import('../../../functions/agent-resolution/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

const waitingCase = {
  caseId: 'case-0123456789abcdef0123456789abcdef',
  customerId: 'C-1',
  status: 'awaiting_agent',
  taskToken: 'token-123',
  updatedAt: '2026-03-20T12:00:05.000Z',
  receipt: { facts: { billing: { billingErrors: [{ chargeId: 'CH-2' }] } } },
  timeline: [],
};

function agentEvent(body: unknown, agent: string | null = 'arn:aws:iam::1:user/ann'): APIGatewayProxyEvent {
  const event = apiEvent({
    body,
    customerId: null,
    pathParameters: { caseId: 'case-0123456789abcdef0123456789abcdef' },
  });
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: { ...event.requestContext.identity, userArn: agent },
    },
  } as APIGatewayProxyEvent;
}

async function resolve(body: unknown, agent?: string | null): Promise<APIGatewayProxyResult> {
  return (await handler(agentEvent(body, agent), lambdaContext('agent-resolution'))) as APIGatewayProxyResult;
}

beforeEach(() => {
  ddb.on(GetCommand).resolves({ Item: waitingCase });
  ddb.on(QueryCommand, { TableName: 'accounts' }).resolves({
    Items: [
      {
        customerId: 'C-1',
        sk: 'CHARGE#CH-2',
        data: { id: 'CH-2', amount: 69900, currency: 'USD', chargedAt: '2026-02-01T00:00:00Z' },
      },
      // The newest charge, legitimate: never refunded unless named.
      {
        customerId: 'C-1',
        sk: 'CHARGE#CH-9',
        data: { id: 'CH-9', amount: 1999, currency: 'USD', chargedAt: '2026-03-01T00:00:00Z' },
      },
      {
        customerId: 'C-1',
        sk: 'CHARGE#CH-LAPTOP',
        data: {
          id: 'CH-LAPTOP',
          orderId: 'ORD-7',
          amount: 129900,
          currency: 'USD',
          chargedAt: '2026-01-10T00:00:00Z',
        },
      },
      {
        customerId: 'C-1',
        sk: 'CHARGE#CH-EUR',
        data: { id: 'CH-EUR', amount: 5000, currency: 'EUR', chargedAt: '2026-01-12T00:00:00Z' },
      },
    ],
  });
  ddb.on(QueryCommand, { TableName: 'ledger' }).resolves({ Items: [] });
  ddb.on(QueryCommand, { TableName: 'cases' }).resolves({ Items: [waitingCase] });
  ddb.on(UpdateCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(SendTaskHeartbeatCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('agent resolution endpoint', () => {
  it('resumes the waiting workflow with the refund spread over the billing-error charges', async () => {
    const response = await resolve({ decision: 'approve_refund', note: 'renewed after cancellation' });

    expect(response.statusCode).toBe(202);
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(sent?.taskToken).toBe('token-123');
    expect(JSON.parse(sent?.output ?? '{}')).toMatchObject({
      decision: 'approve_refund',
      amount: 69900,
      currency: 'USD',
      charges: [{ chargeId: 'CH-2', amount: 69900, currency: 'USD' }],
      agentId: 'arn:aws:iam::1:user/ann',
    });
  });

  it('claims the single resolution with a conditional write before resuming', async () => {
    await resolve({ decision: 'deny', note: 'no error found', customerMessage: 'No refund is due.' });

    const claim = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(claim?.ConditionExpression).toContain('attribute_not_exists(resolution)');
    expect(claim?.ConditionExpression).toContain('taskToken = :token');
  });

  it('refuses more than the refundable remainder with 422 and resumes nothing', async () => {
    const response = await resolve({ decision: 'approve_refund', amount: 70000, note: 'x' });

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'amount_exceeds_refundable' } });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it("counts another case's approval of the same charge that the workflow has not paid yet: 422, resumes nothing", async () => {
    // Arrange: case-0 was approved a moment ago for the whole charge; its refund step has not run yet.
    const approvedElsewhere = {
      caseId: 'case-0',
      customerId: 'C-1',
      resolution: {
        decision: 'approve_refund',
        state: 'resuming_workflow',
        charges: [{ chargeId: 'CH-2', amount: 69900, currency: 'USD' }],
      },
    };
    ddb.on(QueryCommand, { TableName: 'cases' }).resolves({ Items: [waitingCase, approvedElsewhere] });

    // Act
    const response = await resolve({ decision: 'approve_refund', note: 'renewed after cancellation' });

    // Assess
    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'nothing_refundable', message: expect.stringContaining('Nothing is left to refund') },
    });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('counts only the unpaid part of such an approval (its ledger line says what it paid)', async () => {
    const approvedElsewhere = {
      caseId: 'case-0',
      customerId: 'C-1',
      resolution: {
        decision: 'approve_refund',
        state: 'resuming_workflow',
        charges: [{ chargeId: 'CH-2', amount: 60000, currency: 'USD' }],
      },
    };
    ddb.on(QueryCommand, { TableName: 'cases' }).resolves({ Items: [approvedElsewhere] });
    // case-0's refund step already paid 60000 (the ledger, merged into the account, counts it once).
    ddb.on(QueryCommand, { TableName: 'ledger' }).resolves({
      Items: [
        { customerId: 'C-1', chargeId: 'CH-2', refundedTotal: 60000, 'case:case-0': { amount: 60000 } },
      ],
    });

    const response = await resolve({ decision: 'approve_refund', note: 'the rest' });

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toMatchObject({ amount: 9900 });
  });

  it('caps goodwill credits', async () => {
    const response = await resolve({ decision: 'goodwill_credit', amount: 5001, note: 'sorry' });

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'goodwill_over_cap' } });
  });

  it('answers 409 to a second resolution of the same case', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...waitingCase, resolution: { decision: 'deny' } } });

    const response = await resolve({ decision: 'goodwill_credit', amount: 100, note: 'x' });

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'already_resolved' } });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('answers 409 for a case that is not waiting for an agent', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...waitingCase, status: 'resolved', taskToken: undefined } });

    const response = await resolve({ decision: 'deny', note: 'x', customerMessage: 'No refund is due.' });

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'case_not_waiting' } });
  });

  it('releases its claim and answers 409 when the wait already ended (re-dispatched)', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' }));

    const response = await resolve({ decision: 'deny', note: 'x', customerMessage: 'No refund is due.' });

    expect(response.statusCode).toBe(409);
    // The claim goes and the case's updatedAt is put back: the 409 leaves the case as it was.
    const release = ddb.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(release?.UpdateExpression).toBe('SET updatedAt = :previous REMOVE resolution');
    expect(release?.ExpressionAttributeValues?.[':previous']).toBe('2026-03-20T12:00:05.000Z');
  });

  it('refuses callers without an IAM identity (a customer token) with 403', async () => {
    const response = await resolve(
      { decision: 'deny', note: 'x', customerMessage: 'No refund is due.' },
      null,
    );

    expect(response.statusCode).toBe(403);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('rejects an unknown decision with a 400 that names the field', async () => {
    const response = await resolve({ decision: 'refund_everything', note: 'x' });

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringContaining('decision') },
    });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('deny and resolve need a customerMessage: 400 customer_message_required, nothing written', async () => {
    for (const decision of ['deny', 'resolve']) {
      const response = await resolve({ decision, note: 'internal only' });

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response)).toMatchObject({
        error: { code: 'customer_message_required', message: expect.stringContaining('customerMessage') },
      });
    }
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('resolve moves no money and hands the workflow the customer message and the internal note apart', async () => {
    const response = await resolve({
      decision: 'resolve',
      note: 'reset MFA after ID check',
      customerMessage: 'Your account is secured again.',
    });

    expect(response.statusCode).toBe(202);
    const sent = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? '{}');
    expect(sent).toMatchObject({
      decision: 'resolve',
      amount: 0,
      charges: [],
      note: 'reset MFA after ID check',
      customerMessage: 'Your account is secured again.',
      decidedBy: 'arn:aws:iam::1:user/ann',
    });
  });

  it('refuses amounts or charges on a decision that moves no money (400)', async () => {
    const response = await resolve({ decision: 'deny', amount: 100, note: 'x', customerMessage: 'No.' });

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'no_money_in_decision' } });
  });

  it('refunds the charges named, exactly, including one that is not a billing error', async () => {
    const response = await resolve({
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-9', amount: 1000 }],
      note: 'partial, agreed on the phone',
    });

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toMatchObject({ status: 'resolving', amount: 1000, currency: 'USD' });
    const sent = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? '{}');
    expect(sent.charges).toEqual([
      { chargeId: 'CH-9', amount: 1000, currency: 'USD', chargedAt: '2026-03-01T00:00:00Z' },
    ]);
  });

  it("refuses a charge that is not this customer's (422 not_this_customers_charge)", async () => {
    const response = await resolve({
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-SOMEONE-ELSE', amount: 100 }],
      note: 'x',
    });

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'not_this_customers_charge', message: expect.stringContaining('CH-SOMEONE-ELSE') },
    });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses more than a named charge has left, naming the charge and its remainder (422)', async () => {
    const response = await resolve({
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-9', amount: 2000 }],
      note: 'x',
    });

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toMatchObject({
      error: {
        code: 'amount_exceeds_remainder',
        message: expect.stringMatching(/CH-9.*\$19\.99.*at most 1999/),
      },
    });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses charges in two currencies in one approval (422 mixed_currency)', async () => {
    const response = await resolve({
      decision: 'approve_refund',
      charges: [
        { chargeId: 'CH-9', amount: 100 },
        { chargeId: 'CH-EUR', amount: 100 },
      ],
      note: 'x',
    });

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'mixed_currency' } });
  });

  it('without billing errors refunds the charge of the case order (a lost laptop), never the newest charge', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        ...waitingCase,
        receipt: { facts: { order: { found: true, orderId: 'ORD-7', currency: 'USD' } } },
      },
    });

    const response = await resolve({ decision: 'approve_refund', note: 'lost in transit' });

    // The order's charge (129900), not the newest (CH-9); over the 100000 threshold, so it waits for a second agent.
    expect(response.statusCode).toBe(202);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect(bodyOf(response)).toMatchObject({
      status: 'awaiting_second_approval',
      amount: 129900,
      charges: [{ chargeId: 'CH-LAPTOP', amount: 129900 }],
    });
  });

  it('without billing errors or an order asks the agent to name the charges (422 charges_required)', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...waitingCase, receipt: { facts: {} } } });

    const response = await resolve({ decision: 'approve_refund', note: 'x' });

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toMatchObject({
      error: { code: 'charges_required', message: expect.stringContaining('--charge CHARGE:AMOUNT') },
    });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('over the dual-approval threshold: stores the pending approval, heartbeats, answers 202 and resumes nothing', async () => {
    const response = await resolve({
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-LAPTOP', amount: 129900 }],
      note: 'lost laptop',
    });

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toMatchObject({ status: 'awaiting_second_approval', amount: 129900 });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)[0]?.args[0].input.taskToken).toBe('token-123');
    const write = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(write?.ExpressionAttributeValues?.[':pending']).toBe('awaiting_second_approval');
    expect(write?.ExpressionAttributeValues?.[':approval']).toMatchObject({
      agentId: 'arn:aws:iam::1:user/ann',
      taskToken: 'token-123',
      decision: { decision: 'approve_refund', amount: 129900 },
    });
    expect(write?.ConditionExpression).toContain('attribute_not_exists(resolution)');
  });

  it('accepts a decision on a claimed case', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...waitingCase, status: 'claimed', claimedBy: 'someone' } });

    const response = await resolve({ decision: 'deny', note: 'x', customerMessage: 'No refund is due.' });

    expect(response.statusCode).toBe(202);
  });

  it('refuses unknown fields (strict body)', async () => {
    const response = await resolve({
      decision: 'deny',
      note: 'x',
      customerMessage: 'no',
      refundNewest: true,
    });

    expect(response.statusCode).toBe(400);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callbackNumber, callbackRequest } from '../../functions/request-human/domain.js';
import { caseState, fieldsSetBy, SYSTEM_ERROR_DECISION } from './case-state-fixtures.js';
import { lambdaContext } from './lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.CASES_TABLE_NAME = 'cases-table';
  process.env.MESSAGES_TABLE_NAME = 'messages-table';
  process.env.CALLBACK_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:callbacks';
  process.env.REFUND_LEDGER_TABLE_NAME = 'ledger-table';
});

const { handler } = await import('../../functions/request-human/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const context = lambdaContext('request-human');

const highValueHandoff = caseState({
  decision: {
    outcome: 'human_handoff',
    rule: 5,
    reason: 'high_value',
    queue: 'billing',
    priority: 'high',
    callbackOffered: false,
  },
  refund: { refundedChargeIds: [], refundedAmount: 0 },
});
const phones = { callbackPhone: '+12065550100', profilePhone: '+14155550123' };

describe('callbackRequest (domain)', () => {
  it("routes to the decision's queue with its priority", () => {
    // Act
    const request = callbackRequest(highValueHandoff, 'Refund my $600', phones, 0);

    // Assess
    expect(request).toMatchObject({
      caseId: 'case-1',
      customerId: 'cust-1',
      queue: 'billing',
      priority: 'high',
      reason: 'high_value',
      intent: 'billing_refund',
      message: 'Refund my $600',
      escalation: 0,
      requestedAt: highValueHandoff.requestedAt,
    });
    expect(request.facts).toMatchObject({ rule: 5, classification: highValueHandoff.classification });
  });

  it('falls back to the general queue at normal priority when the decision names neither', () => {
    const state = caseState({ decision: { outcome: 'human_handoff', rule: 2, reason: 'customer_request' } });

    const request = callbackRequest(state, 'Let me talk to someone', phones, 0);

    expect(request.queue).toBe('general');
    expect(request.priority).toBe('normal');
  });

  it('raises an escalated callback (no agent within the SLA) to urgent', () => {
    const request = callbackRequest(highValueHandoff, 'Refund my $600', phones, 1);

    expect(request.priority).toBe('urgent');
    expect(request.escalation).toBe(1);
  });

  it("calls the number given with the request before the profile's", () => {
    const request = callbackRequest(highValueHandoff, 'm', phones, 0);

    expect(request).toMatchObject({ contact: 'call', phoneNumber: '+12065550100' });
  });

  it("calls the profile's number when the request gives none", () => {
    const request = callbackRequest(highValueHandoff, 'm', { ...phones, callbackPhone: null }, 0);

    expect(request).toMatchObject({ contact: 'call', phoneNumber: '+14155550123' });
  });

  it('ignores a number that is not E.164 and uses the next one', () => {
    const request = callbackRequest(highValueHandoff, 'm', { ...phones, callbackPhone: '(206) 555-0100' }, 0);

    expect(request.phoneNumber).toBe('+14155550123');
  });

  it('offers live chat when no usable E.164 number is known', () => {
    const request = callbackRequest(
      highValueHandoff,
      'm',
      { callbackPhone: '2065550100', profilePhone: null },
      0,
    );

    expect(request).toMatchObject({ contact: 'live_chat', phoneNumber: null });
  });

  it.each([
    ['+12065550100', '+12065550100'],
    ['+0123456789', null],
    ['12065550100', null],
    ['+1 206 555 0100', null],
    ['+123456', null],
    // A 15-digit Amex test number is E.164-shaped, but it is a card number: it is never dialled nor dispatched.
    ['+378282246310005', null],
    ['+378282246310006', '+378282246310006'],
  ])('callbackNumber(%j) is %j', (candidate, expected) => {
    expect(callbackNumber(candidate)).toBe(expected);
  });

  it("falls back to the profile's number when the request's number is a card number", () => {
    expect(callbackNumber('+378282246310005', '+12065550100')).toBe('+12065550100');
    expect(callbackNumber(null, '+378282246310005')).toBeNull();
  });
});

describe('request-human handler', () => {
  const taskToken = 'AQCEAAAAKgAAAAMAAAAAAAAAA-super-secret-task-token==';
  const event = {
    ...highValueHandoff,
    taskToken,
    message: 'I was charged $600 after cancelling, card [card number removed]',
    callbackPhone: '+12065550100',
    profilePhone: null,
    escalations: 0,
  };

  beforeEach(() => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  });

  afterEach(() => {
    ddb.reset();
    sns.reset();
  });

  it('publishes the callback request with queue and priority attributes for the team filters', async () => {
    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual({ dispatched: true, queue: 'billing', priority: 'high' });
    const publishes = sns.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    const publish = publishes[0]?.args[0].input;
    expect(publish?.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:callbacks');
    expect(publish?.MessageAttributes).toEqual({
      queue: { DataType: 'String', StringValue: 'billing' },
      priority: { DataType: 'String', StringValue: 'high' },
    });
    expect(JSON.parse(publish?.Message ?? '{}')).toMatchObject({
      caseId: 'case-1',
      queue: 'billing',
      contact: 'call',
      phoneNumber: '+12065550100',
    });
  });

  it('never sends the task token to the agents', async () => {
    await handler(event, context);

    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.Message).not.toContain(taskToken);
    expect(publish?.Subject).not.toContain(taskToken);
    expect(JSON.stringify(publish?.MessageAttributes)).not.toContain(taskToken);
  });

  it('stores the task token on the case, awaiting an agent, before publishing', async () => {
    // Act
    await handler(event, context);

    // Assess
    const update = ddb.commandCalls(UpdateCommand, { TableName: 'cases-table' })[0];
    expect(update?.args[0].input.Key).toEqual({ caseId: 'case-1' });
    expect(fieldsSetBy(update?.args[0].input)).toMatchObject({
      taskToken,
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      handoffQueue: 'billing',
      priority: 'high',
      escalations: 0,
    });
    const publish = sns.commandCalls(PublishCommand)[0];
    expect(update && publish && update.calledBefore(publish)).toBe(true);
  });

  it('tells the customer in the message center on the first dispatch (without the token)', async () => {
    await handler(event, context);

    const puts = ddb.commandCalls(PutCommand, { TableName: 'messages-table' });
    expect(puts).toHaveLength(1);
    expect(puts[0]?.args[0].input.Item).toMatchObject({
      customerId: 'cust-1',
      caseId: 'case-1',
      messageKey: 'case-1#handoff',
    });
    expect(JSON.stringify(puts[0]?.args[0].input.Item)).not.toContain(taskToken);
  });

  it('re-dispatches an escalation as urgent without messaging the customer again', async () => {
    // Act
    const result = await handler({ ...event, escalations: 1, taskToken: 'token-2' }, context);

    // Assess
    expect(result).toMatchObject({ priority: 'urgent' });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.priority?.StringValue).toBe(
      'urgent',
    );
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(fieldsSetBy(update)).toMatchObject({ taskToken: 'token-2', escalations: 1 });
    expect(update?.ExpressionAttributeValues?.[':entries']).toEqual(
      expect.arrayContaining([expect.objectContaining({ step: 'escalated' })]),
    );
  });

  it('hands over a case decided before any refund step without reading the ledger', async () => {
    // Act
    await handler(event, context);

    // Assess
    expect(ddb.commandCalls(QueryCommand, { TableName: 'ledger-table' })).toHaveLength(0);
    const update = ddb.commandCalls(UpdateCommand, { TableName: 'cases-table' })[0]?.args[0].input;
    expect(fieldsSetBy(update)).toMatchObject({ refundedAmount: 0, refundedChargeIds: [] });
  });

  it('after a system error, shows on the case what the ledger says this case already refunded', async () => {
    // Arrange: IssueRefund paid ch-1, then a later step failed (rule 0); the state carries no refund.
    const systemError = {
      ...event,
      ...caseState({
        decision: SYSTEM_ERROR_DECISION,
        refund: null,
      }),
    };
    ddb.on(QueryCommand, { TableName: 'ledger-table' }).resolves({
      Items: [
        {
          chargeId: 'ch-1',
          currency: 'USD',
          'case:case-1': { amount: 1499, source: 'auto', at: '2026-03-02T09:00:01.000Z' },
        },
        { chargeId: 'ch-2', currency: 'USD' },
      ],
    });

    // Act
    await handler(systemError, context);

    // Assess
    expect(ddb.commandCalls(QueryCommand, { TableName: 'ledger-table' })).toHaveLength(1);
    const update = ddb.commandCalls(UpdateCommand, { TableName: 'cases-table' })[0]?.args[0].input;
    expect(fieldsSetBy(update)).toMatchObject({ refundedAmount: 1499, refundedChargeIds: ['ch-1'] });
    const request = JSON.parse(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '{}');
    expect(request.facts.refund).toMatchObject({
      refundedChargeIds: ['ch-1'],
      refundedAmount: 1499,
      currency: 'USD',
      refundedTotals: [{ currency: 'USD', amount: 1499 }],
      // The agent sees each line with the provider's status (a line without one was recorded: succeeded).
      refunds: [{ chargeId: 'ch-1', amount: 1499, currency: 'USD', status: 'succeeded' }],
      failed: false,
    });
  });

  it("puts the case on the agents' queue index: the dispatch's queue, rank by priority then dispatch time", async () => {
    await handler(event, context);

    const fields = fieldsSetBy(ddb.commandCalls(UpdateCommand)[0]?.args[0].input);
    expect(fields.agentQueue).toBe('billing');
    expect(fields.dispatchedAt).toBe(fields.updatedAt);
    expect(fields.agentRank).toBe(`1#${fields.dispatchedAt}`);
  });

  it('ranks an escalation urgent (0) with the new dispatch time', async () => {
    await handler({ ...event, escalations: 1 }, context);

    const fields = fieldsSetBy(ddb.commandCalls(UpdateCommand)[0]?.args[0].input);
    expect(fields.agentRank).toBe(`0#${fields.dispatchedAt}`);
  });

  it("indexes a callback follow-up under the follow-up's own queue", async () => {
    const followUp = {
      ...event,
      followUp: { kind: 'callback' as const },
      decision: {
        outcome: 'human_handoff' as const,
        rule: 2,
        reason: 'customer_request',
        queue: 'general' as const,
      },
    };
    await handler(followUp, context);

    const fields = fieldsSetBy(ddb.commandCalls(UpdateCommand)[0]?.args[0].input);
    expect(fields).toMatchObject({ agentQueue: 'general', status: 'awaiting_agent' });
    expect(fields.agentRank).toBe(`2#${fields.dispatchedAt}`);
  });

  it('promises a wait from the queue: cases waiting ahead and its recent dispatch-to-claim times', async () => {
    // Arrange: three claims this hour after 1 minute each, 2 minutes apart; two normal cases wait ahead.
    const now = Date.now();
    const iso = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const claimed = (ago: number) => ({
      caseId: `c-${ago}`,
      status: 'claimed',
      dispatchedAt: iso(ago + 1),
      claimedAt: iso(ago),
    });
    ddb.on(QueryCommand, { TableName: 'cases-table' }).resolves({
      Items: [
        claimed(1),
        claimed(3),
        claimed(5),
        { caseId: 'w-1', status: 'awaiting_agent', agentRank: `1#${iso(10)}` },
        { caseId: 'w-2', status: 'awaiting_agent', agentRank: `1#${iso(8)}` },
      ],
    });

    // Act
    await handler(event, context);

    // Assess: median 1 minute + 2 ahead x 2 minutes per claim = 5 minutes, on the case and in the dispatch.
    const update = ddb.commandCalls(UpdateCommand, { TableName: 'cases-table' })[0]?.args[0].input;
    expect(fieldsSetBy(update)).toMatchObject({ estimatedWaitMinutes: 5 });
    const published = JSON.parse(String(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message));
    expect(published.estimatedWaitMinutes).toBe(5);
  });

  it("promises a wait from the queue's record of recent claims, resolved cases included (one GetItem)", async () => {
    // Arrange: no claimed case left on the index (all resolved); the record holds 3 claims after 6, 7 and 30 minutes.
    const now = Date.now();
    const iso = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const recorded = (id: string, ago: number, waited: number) => ({
      caseId: id,
      dispatchedAt: iso(ago + waited),
      claimedAt: iso(ago),
    });
    ddb.on(GetCommand, { TableName: 'cases-table', Key: { caseId: 'QUEUE#billing' } }).resolves({
      Item: { version: 3, claims: [recorded('a', 10, 6), recorded('b', 20, 7), recorded('c', 30, 30)] },
    });

    // Act
    await handler(event, context);

    // Assess: the median, 7 minutes (not the default 5), on the case, in the dispatch and in the customer's message.
    const update = ddb.commandCalls(UpdateCommand, { TableName: 'cases-table' })[0]?.args[0].input;
    expect(fieldsSetBy(update)).toMatchObject({ estimatedWaitMinutes: 7 });
    const published = JSON.parse(String(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message));
    expect(published.estimatedWaitMinutes).toBe(7);
    const message = ddb.commandCalls(PutCommand, { TableName: 'messages-table' })[0]?.args[0].input.Item;
    expect(JSON.stringify(message)).toContain('in about 7 minutes');
    expect(ddb.commandCalls(GetCommand, { Key: { caseId: 'QUEUE#billing' } })).toHaveLength(1);
  });

  it('rejects an event without a task token before doing anything', async () => {
    const { taskToken: _omitted, ...withoutToken } = event;

    await expect(handler(withoutToken, context)).rejects.toMatchObject({ name: 'InvalidStepInputError' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

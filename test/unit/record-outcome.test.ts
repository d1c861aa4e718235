import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outcomeRecord } from '../../functions/record-outcome/domain.js';
import { resolutionMessage } from '../../functions/record-outcome/resolution.js';
import { caseState, fieldsRemovedBy, fieldsSetBy, SYSTEM_ERROR_DECISION } from './case-state-fixtures.js';
import { lambdaContext } from './lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.CASES_TABLE_NAME = 'cases-table';
  process.env.MESSAGES_TABLE_NAME = 'messages-table';
  process.env.REFUND_LEDGER_TABLE_NAME = 'ledger-table';
});

const { handler } = await import('../../functions/record-outcome/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('record-outcome');

describe('outcomeRecord: auto_refunded', () => {
  it('records the refund and tells the customer the amount in dollars from minor units', () => {
    // Prepare
    const state = caseState({
      refund: { refundedChargeIds: ['ch-1', 'ch-2'], refundedAmount: 2998, skippedChargeIds: [] },
    });

    // Act
    const record = outcomeRecord(state);

    // Assess
    expect(record.fields).toMatchObject({
      status: 'resolved',
      outcome: 'auto_refunded',
      reason: 'billing_error',
      rule: 9,
      refundedChargeIds: ['ch-1', 'ch-2'],
      refundedAmount: 2998,
      currency: 'USD',
      handoffQueue: null,
      callbackOffered: false,
    });
    expect(record.message.subject).toMatch(/refund/i);
    expect(record.message.body).toContain('$29.98');
    // Charge ids are internal: the customer is told about charges by their dates (test/unit/answers-messages.test.ts).
    expect(record.message.body).not.toMatch(/ch-1|ch-2/);
    expect(record.message.body).not.toContain('Call Me Now');
  });

  it('offers a callback to a frustrated or urgent customer', () => {
    const state = caseState({
      classification: { frustrated: true },
      decision: { outcome: 'auto_refunded', rule: 9, reason: 'billing_error', callbackOffered: true },
    });

    const record = outcomeRecord(state);

    expect(record.fields.callbackOffered).toBe(true);
    expect(record.message.body).toContain('Call Me Now');
  });

  it('uses the currency of the billing facts (no decimals for JPY)', () => {
    const state = caseState({
      facts: { billing: { currency: 'JPY' } },
      refund: { refundedChargeIds: ['ch-1'], refundedAmount: 1500 },
    });

    const record = outcomeRecord(state);

    expect(record.message.body).toContain('¥1,500');
    expect(record.fields.currency).toBe('JPY');
  });
});

describe('outcomeRecord: money per currency', () => {
  it("uses the refund's own currency, not a guess from the billing facts", () => {
    const state = caseState({
      facts: { billing: { currency: 'USD' } },
      refund: {
        refundedChargeIds: ['ch-eur'],
        refundedAmount: 50000,
        currency: 'EUR',
        refundedTotals: [{ currency: 'EUR', amount: 50000 }],
      },
    });

    const record = outcomeRecord(state);

    expect(record.fields).toMatchObject({ refundedAmount: 50000, currency: 'EUR' });
    expect(record.message.body).toContain('€500.00');
  });

  it('never reports one amount for a refund in two currencies: per-currency totals, no single amount', () => {
    const state = caseState({
      refund: {
        refundedChargeIds: ['ch-usd', 'ch-jpy'],
        refundedAmount: null,
        currency: null,
        refundedTotals: [
          { currency: 'JPY', amount: 45000 },
          { currency: 'USD', amount: 1499 },
        ],
      },
    });

    const record = outcomeRecord(state);

    expect(record.fields).toMatchObject({
      refundedAmount: null,
      currency: null,
      refundedTotals: [
        { currency: 'JPY', amount: 45000 },
        { currency: 'USD', amount: 1499 },
      ],
    });
    expect(record.message.body).toContain('¥45,000 and $14.99');
    expect(JSON.stringify(record)).not.toContain('46499');
  });
});

describe('resolutionMessage: an approval that paid nothing', () => {
  it('says nothing was left to refund, never "a refund of $0.00"', () => {
    const message = resolutionMessage({ decision: 'approve_refund', amount: 69900, currency: 'USD' }, 0);

    expect(message.body).toContain('nothing was left to refund');
    expect(message.body).not.toContain('$0.00');
    expect(resolutionMessage({ decision: 'approve_refund', currency: 'USD' }, 69900).body).toContain(
      '$699.00',
    );
  });
});

describe('outcomeRecord: no_refund_due', () => {
  it('refunds nothing and offers Call Me Now ("if the AI says no, a person can still help")', () => {
    // Prepare
    const state = caseState({
      decision: { outcome: 'no_refund_due', rule: 3, reason: 'no_billing_error', callbackOffered: true },
      facts: { billing: { refundableTotal: 0, currency: null, noRefundReason: 'no_billing_error' } },
      refund: { refundedChargeIds: [], refundedAmount: 0 },
    });

    // Act
    const record = outcomeRecord(state);

    // Assess
    expect(record.fields).toMatchObject({
      status: 'resolved',
      outcome: 'no_refund_due',
      reason: 'no_billing_error',
      refundedAmount: 0,
      refundedChargeIds: [],
      currency: null,
      handoffQueue: null,
      callbackOffered: true,
    });
    // No account view on this state: still no cancellation date invented (per-account texts: answers-messages.test.ts).
    expect(record.message.body).toMatch(/no charge that is a billing error/);
    expect(record.message.body).not.toMatch(/cancel/i);
    expect(record.message.body).toContain('Call Me Now');
  });

  it('says the charges were already refunded when that is the reason', () => {
    const state = caseState({
      decision: { outcome: 'no_refund_due', rule: 3, reason: 'already_refunded', callbackOffered: true },
      refund: { refundedChargeIds: [], refundedAmount: 0 },
    });

    const record = outcomeRecord(state);

    expect(record.message.body).toMatch(/already been refunded/);
    expect(record.fields.callbackOffered).toBe(true);
  });

  it('still shows a refund that was paid when a later step handed the case to a person', () => {
    // A refund paid before RecordOutcome failed: the system-error handoff must not hide the money.
    const state = caseState({
      decision: SYSTEM_ERROR_DECISION,
      refund: { refundedChargeIds: ['ch-1'], refundedAmount: 1499 },
    });

    expect(outcomeRecord(state).fields).toMatchObject({ refundedAmount: 1499, refundedChargeIds: ['ch-1'] });
  });
});

describe('outcomeRecord: human_handoff', () => {
  it('leaves the case awaiting an agent in the decided queue', () => {
    // Prepare
    const state = caseState({
      classification: { intent: 'order_tracking' },
      decision: {
        outcome: 'human_handoff',
        rule: 10,
        reason: 'high_value_delivery',
        queue: 'delivery',
        priority: 'high',
        callbackOffered: false,
      },
      refund: { refundedChargeIds: [], refundedAmount: 0 },
    });

    // Act
    const record = outcomeRecord(state);

    // Assess
    expect(record.fields).toMatchObject({
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'high_value_delivery',
      rule: 10,
      handoffQueue: 'delivery',
      priority: 'high',
      refundedAmount: 0,
    });
    expect(record.message.body).toMatch(/delivery team will .*live chat/);
  });

  it('defaults the queue to general when the decision has none', () => {
    const state = caseState({ decision: { outcome: 'human_handoff', rule: 2, reason: 'customer_request' } });

    expect(outcomeRecord(state).fields).toMatchObject({ handoffQueue: 'general', priority: 'normal' });
  });
});

describe('outcomeRecord: self_service', () => {
  it('resolves the case with help for the intent and no queue', () => {
    const state = caseState({
      classification: { intent: 'return_request' },
      decision: { outcome: 'self_service', rule: 12, reason: 'return_request', callbackOffered: false },
      refund: { refundedChargeIds: [], refundedAmount: 0 },
    });

    const record = outcomeRecord(state);

    expect(record.fields).toMatchObject({
      status: 'resolved',
      outcome: 'self_service',
      reason: 'return_request',
      handoffQueue: null,
      priority: null,
      refundedAmount: 0,
    });
    expect(record.message.body).toMatch(/return/i);
  });

  it('falls back to general help for a reason without its own text', () => {
    const state = caseState({
      decision: { outcome: 'self_service', rule: 12, reason: 'something_new' },
      refund: null,
    });

    expect(outcomeRecord(state).message.body).toMatch(/could not tell what you need.*Call Me Now/);
  });
});

describe('outcomeRecord: the receipt', () => {
  it('carries the rule that fired, the facts it used and the thresholds in force', () => {
    // Prepare
    const state = caseState({
      decision: {
        outcome: 'human_handoff',
        rule: 5,
        reason: 'high_value',
        queue: 'billing',
        priority: 'high',
      },
      facts: { billing: { refundableTotal: 60000, currency: 'USD' }, order: { found: false } },
      policy: { highValueThresholds: { USD: 50000 }, confidenceThreshold: 0.5 },
    });

    // Act
    const { receipt } = outcomeRecord(state);

    // Assess
    expect(receipt).toEqual({
      rule: 5,
      reason: 'high_value',
      facts: {
        classification: state.classification,
        billing: { refundableTotal: 60000, currency: 'USD' },
        order: { found: false },
        refund: state.refund,
      },
      thresholds: { highValueThresholds: { USD: 50000 }, confidenceThreshold: 0.5 },
    });
  });
});

describe('record-outcome handler', () => {
  beforeEach(() => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
  });

  afterEach(() => {
    ddb.reset();
  });

  it('writes the decided outcome with its receipt to the case and a message to the customer', async () => {
    // Prepare: the ledger is the source of truth for what this case refunded.
    ddb.on(QueryCommand, { TableName: 'ledger-table' }).resolves({
      Items: [{ chargeId: 'ch-1', 'case:case-1': { amount: 1499 } }, { chargeId: 'ch-9' }],
    });

    // Act
    const result = await handler({ mode: 'decided', ...caseState() }, context);

    // Assess
    expect(result).toEqual({ status: 'resolved' });
    const update = ddb.commandCalls(UpdateCommand, { TableName: 'cases-table' })[0]?.args[0].input;
    expect(fieldsSetBy(update)).toMatchObject({
      status: 'resolved',
      outcome: 'auto_refunded',
      refundedAmount: 1499,
      receipt: expect.objectContaining({ rule: 9, thresholds: expect.any(Object) }),
    });
    const message = ddb.commandCalls(PutCommand, { TableName: 'messages-table' })[0]?.args[0].input.Item;
    expect(message).toMatchObject({ customerId: 'cust-1', caseId: 'case-1', messageKey: 'case-1#outcome' });
    expect(message?.body).toContain('$14.99');
  });

  it('tells the case story in order: classified, decided, refund issued, customer notified', async () => {
    await handler({ mode: 'decided', ...caseState() }, context);

    const update = ddb.commandCalls(UpdateCommand, { TableName: 'cases-table' })[0]?.args[0].input;
    const entries = (update?.ExpressionAttributeValues?.[':entries'] ?? []) as { step: string }[];
    const steps = entries.map((e) => e.step);
    expect(steps).toEqual(['classified', 'decided', 'refund_issued', 'customer_notified']);
  });

  it("records an agent's resolution and forgets the task token", async () => {
    ddb.on(QueryCommand, { TableName: 'ledger-table' }).resolves({
      Items: [{ chargeId: 'ch-1', 'case:case-1': { amount: 60000 } }],
    });
    const result = await handler(
      {
        mode: 'resolved',
        ...caseState({
          decision: { outcome: 'human_handoff', rule: 5, reason: 'high_value', queue: 'billing' },
        }),
        resolution: { decision: 'approve_refund', agentId: 'agent-7' },
        agentRefund: { refundedChargeIds: ['ch-1'], refundedAmount: 60000 },
      },
      context,
    );

    expect(result).toEqual({ status: 'resolved' });
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(fieldsSetBy(update)).toMatchObject({ status: 'resolved', refundedAmount: 60000 });
    // Off the agents' queue index too: a resolved case no longer shows in GET /v1/agent/cases.
    expect(fieldsRemovedBy(update)).toEqual(['taskToken', 'agentQueue', 'agentRank']);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item?.body).toContain('$600.00');
  });

  it('marks a stalled case needs_attention and forgets the task token', async () => {
    const result = await handler(
      { mode: 'needs_attention', caseId: 'case-1', customerId: 'cust-1' },
      context,
    );

    expect(result).toEqual({ status: 'needs_attention' });
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(fieldsSetBy(update)).toMatchObject({ status: 'needs_attention' });
    // Agents still see a needs_attention case in their queue: the index attributes stay.
    expect(fieldsRemovedBy(update)).toEqual(['taskToken']);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item?.messageKey).toBe('case-1#needs_attention');
  });
});

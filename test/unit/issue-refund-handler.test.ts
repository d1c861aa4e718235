import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Charge } from '../../functions/shared/types.js';
import { lambdaContext } from './lambda-fixtures.js';

vi.hoisted(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.ACCOUNTS_TABLE_NAME = 'accounts-table';
  process.env.REFUND_LEDGER_TABLE_NAME = 'ledger-table';
});

const { handler } = await import('../../functions/issue-refund/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('issue-refund');

const chargeItem = (id: string, amount: number): { Item: Record<string, unknown> } => {
  const data: Charge = {
    id,
    subscriptionId: 'sub-1',
    amount,
    currency: 'USD',
    chargedAt: '2026-03-01T00:00:00Z',
  };
  return { Item: { customerId: 'cust-1', sk: `CHARGE#${id}`, data } };
};

const event = {
  caseId: 'case-1',
  customerId: 'cust-1',
  source: 'auto',
  charges: [
    { chargeId: 'ch-new', amount: 1499, currency: 'USD' },
    { chargeId: 'ch-taken', amount: 999, currency: 'USD' },
  ],
};

beforeEach(() => {
  // ch-new is refundable; ch-taken was refunded by another case first.
  ddb
    .on(GetCommand, { TableName: 'accounts-table', Key: { sk: 'CHARGE#ch-new' } })
    .resolves(chargeItem('ch-new', 1499));
  ddb
    .on(GetCommand, { TableName: 'accounts-table', Key: { sk: 'CHARGE#ch-taken' } })
    .resolves(chargeItem('ch-taken', 999));
  ddb.on(UpdateCommand, { TableName: 'ledger-table', Key: { chargeId: 'ch-new' } }).resolves({});
  ddb
    .on(UpdateCommand, { TableName: 'ledger-table', Key: { chargeId: 'ch-taken' } })
    .rejects(
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
    );
  ddb.on(GetCommand, { TableName: 'ledger-table', Key: { chargeId: 'ch-taken' } }).resolves({
    Item: { customerId: 'cust-1', chargeId: 'ch-taken', refundedTotal: 999, 'case:case-0': { amount: 999 } },
  });
});

afterEach(() => {
  ddb.reset();
});

describe('issue-refund handler', () => {
  it('summarizes what this case refunded and what it skipped', async () => {
    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual({
      refundedChargeIds: ['ch-new'],
      refundedAmount: 1499,
      currency: 'USD',
      refundedTotals: [{ currency: 'USD', amount: 1499 }],
      skippedChargeIds: ['ch-taken'],
    });
  });

  it('writes nothing but the ledger (the outcome step records the refund on the case)', async () => {
    await handler(event, context);

    const tablesWritten = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.TableName);
    expect(new Set(tablesWritten)).toEqual(new Set(['ledger-table']));
  });

  it('refunds the charges one at a time through the ledger, each for this case', async () => {
    await handler(event, context);

    const ledgerUpdates = ddb.commandCalls(UpdateCommand, { TableName: 'ledger-table' });
    expect(ledgerUpdates.map((c) => c.args[0].input.Key?.chargeId)).toEqual(['ch-new', 'ch-taken']);
    for (const call of ledgerUpdates) {
      expect(call.args[0].input.ExpressionAttributeNames).toMatchObject({ '#case': 'case:case-1' });
    }
  });

  it('reports nothing refunded when every charge was skipped', async () => {
    const result = await handler(
      { ...event, charges: [{ chargeId: 'ch-taken', amount: 999, currency: 'USD' }] },
      context,
    );

    expect(result).toEqual({
      refundedChargeIds: [],
      refundedAmount: 0,
      currency: null,
      refundedTotals: [],
      skippedChargeIds: ['ch-taken'],
    });
  });

  it.each([
    ['a fractional amount', { ...event, charges: [{ chargeId: 'ch-new', amount: 14.99, currency: 'USD' }] }],
    ['a negative amount', { ...event, charges: [{ chargeId: 'ch-new', amount: -1, currency: 'USD' }] }],
    ['an unknown source', { ...event, source: 'customer' }],
  ])('rejects %s with InvalidStepInputError before touching the ledger', async (_label, badEvent) => {
    await expect(handler(badEvent, context)).rejects.toMatchObject({ name: 'InvalidStepInputError' });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

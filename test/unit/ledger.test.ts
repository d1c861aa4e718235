import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerTotals, type RefundAttempt, refundCharge } from '../../functions/shared/ledger.js';
import type { Charge } from '../../functions/shared/types.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const tables = { accountsTable: 'accounts-table', refundLedgerTable: 'ledger-table' };

const charge: Charge = {
  id: 'ch-1',
  subscriptionId: 'sub-1',
  amount: 1499,
  currency: 'USD',
  chargedAt: '2026-03-01T00:00:00Z',
};

const attempt = (overrides: Partial<RefundAttempt> = {}): RefundAttempt => ({
  caseId: 'case-1',
  customerId: 'cust-1',
  chargeId: 'ch-1',
  amount: 1499,
  source: 'auto',
  at: '2026-03-02T00:00:00.000Z',
  ...overrides,
});

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

function givenCharge(data: Charge | undefined) {
  ddb
    .on(GetCommand, { TableName: 'accounts-table' })
    .resolves(data ? { Item: { customerId: 'cust-1', sk: `CHARGE#${data.id}`, data } } : {});
}

function givenLedgerItem(item: Record<string, unknown> | undefined) {
  ddb.on(GetCommand, { TableName: 'ledger-table' }).resolves(item ? { Item: item } : {});
}

function ledgerUpdate() {
  const call = ddb.commandCalls(UpdateCommand)[0];
  if (!call) throw new Error('no UpdateCommand sent');
  return call.args[0].input;
}

afterEach(() => {
  ddb.reset();
});

describe('refundCharge: the first refund', () => {
  it('writes a conditional ledger line for this case and returns the amount refunded', async () => {
    // Prepare
    givenCharge(charge);
    ddb.on(UpdateCommand).resolves({});

    // Act
    const refunded = await refundCharge(client, tables, attempt());

    // Assess
    expect(refunded.refunded).toBe(1499);
    const update = ledgerUpdate();
    expect(update.TableName).toBe('ledger-table');
    expect(update.Key).toEqual({ customerId: 'cust-1', chargeId: 'ch-1' });
    expect(update.ConditionExpression).toContain('attribute_not_exists(#case)');
    expect(update.ExpressionAttributeNames).toMatchObject({ '#case': 'case:case-1' });
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':amount': 1499,
      ':maxPrior': 0,
      ':line': { amount: 1499, source: 'auto', at: '2026-03-02T00:00:00.000Z' },
    });
  });

  it('reads the charge with a consistent read from the accounts table', async () => {
    givenCharge(charge);
    ddb.on(UpdateCommand).resolves({});

    await refundCharge(client, tables, attempt());

    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'accounts-table',
      Key: { customerId: 'cust-1', sk: 'CHARGE#ch-1' },
      ConsistentRead: true,
    });
  });

  it('lets the ledger hold at most what is left after refunds made outside Refund Hub', async () => {
    // Prepare: 500 of 1499 was refunded elsewhere; this case refunds 400 of the 999 left.
    givenCharge({ ...charge, refundedAmount: 500 });
    ddb.on(UpdateCommand).resolves({});

    // Act
    const refunded = await refundCharge(client, tables, attempt({ amount: 400, source: 'agent' }));

    // Assess
    expect(refunded.refunded).toBe(400);
    expect(ledgerUpdate().ExpressionAttributeValues).toMatchObject({ ':maxPrior': 599 });
    expect(ledgerUpdate().ConditionExpression).toContain('refundedTotal <= :maxPrior');
  });

  it('adds the once-per-charge automatic refund condition for source auto', async () => {
    givenCharge(charge);
    ddb.on(UpdateCommand).resolves({});

    await refundCharge(client, tables, attempt({ source: 'auto' }));

    const update = ledgerUpdate();
    expect(update.ConditionExpression).toContain('attribute_not_exists(autoRefundCaseId)');
    expect(update.UpdateExpression).toContain('autoRefundCaseId = :caseId');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':caseId': 'case-1' });
  });

  it('does not add the automatic refund condition for an agent refund', async () => {
    givenCharge(charge);
    ddb.on(UpdateCommand).resolves({});

    await refundCharge(client, tables, attempt({ source: 'agent' }));

    expect(ledgerUpdate().ConditionExpression).not.toContain('autoRefundCaseId');
    expect(ledgerUpdate().UpdateExpression).not.toContain('autoRefundCaseId');
  });
});

describe('refundCharge: never twice', () => {
  it('reports the earlier amount again when this case already refunded the charge (a retried step)', async () => {
    // Prepare
    givenCharge(charge);
    ddb.on(UpdateCommand).rejects(conditionFailed());
    givenLedgerItem({
      customerId: 'cust-1',
      chargeId: 'ch-1',
      refundedTotal: 1499,
      autoRefundCaseId: 'case-1',
      'case:case-1': { amount: 1499, source: 'auto', at: '2026-03-01T23:59:00.000Z' },
    });

    // Act
    const refunded = await refundCharge(client, tables, attempt());

    // Assess
    expect(refunded.refunded).toBe(1499);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand, { TableName: 'ledger-table', ConsistentRead: true })).toHaveLength(1);
  });

  it('refunds nothing when another case already refunded the charge', async () => {
    givenCharge(charge);
    ddb.on(UpdateCommand).rejects(conditionFailed());
    givenLedgerItem({
      customerId: 'cust-1',
      chargeId: 'ch-1',
      refundedTotal: 1499,
      autoRefundCaseId: 'case-other',
      'case:case-other': { amount: 1499, source: 'auto', at: '2026-03-01T23:59:00.000Z' },
    });

    const refunded = await refundCharge(client, tables, attempt());

    expect(refunded.refunded).toBe(0);
  });

  it('recognises a condition failure by name too (errors crossing SDK copies)', async () => {
    givenCharge(charge);
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('conditional'), { name: 'ConditionalCheckFailedException' }));
    givenLedgerItem({ customerId: 'cust-1', chargeId: 'ch-1', 'case:case-1': { amount: 1499 } });

    await expect(refundCharge(client, tables, attempt())).resolves.toMatchObject({ refunded: 1499 });
  });

  it('refuses more than the refundable remainder without writing to the ledger', async () => {
    // Prepare: 1000 of 1499 already refunded outside Refund Hub, 499 left.
    givenCharge({ ...charge, refundedAmount: 1000 });
    givenLedgerItem(undefined);

    // Act
    const refunded = await refundCharge(client, tables, attempt({ amount: 500 }));

    // Assess
    expect(refunded.refunded).toBe(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('refunds nothing for a charge that does not exist, or a zero amount', async () => {
    givenCharge(undefined);
    givenLedgerItem(undefined);
    await expect(refundCharge(client, tables, attempt())).resolves.toMatchObject({ refunded: 0 });

    ddb.reset();
    givenCharge(charge);
    givenLedgerItem(undefined);
    await expect(refundCharge(client, tables, attempt({ amount: 0 }))).resolves.toMatchObject({
      refunded: 0,
    });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('reports its own earlier refund on a retry even when nothing is left on the charge now', async () => {
    // Prepare: the charge now shows as fully refunded; this case's line is in the ledger.
    givenCharge({ ...charge, refundedAmount: 1499 });
    givenLedgerItem({
      customerId: 'cust-1',
      chargeId: charge.id,
      refundedTotal: 1499,
      'case:case-1': { amount: 1499 },
    });

    // Act
    const refunded = await refundCharge(client, tables, attempt());

    // Assess
    expect(refunded.refunded).toBe(1499);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('lets other failures through so the step is retried', async () => {
    givenCharge(charge);
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(refundCharge(client, tables, attempt())).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});

describe('ledgerTotals', () => {
  it("returns every charge's refunded total across pages", async () => {
    // Prepare
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ chargeId: 'ch-1', refundedTotal: 1499 }], LastEvaluatedKey: { k: 1 } })
      .resolvesOnce({ Items: [{ chargeId: 'ch-2', refundedTotal: 250 }] });

    // Act
    const totals = await ledgerTotals(client, 'ledger-table', 'cust-1');

    // Assess
    expect(Object.fromEntries(totals)).toEqual({ 'ch-1': 1499, 'ch-2': 250 });
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ k: 1 });
  });

  it("leaves one case's own ledger lines out when asked (a re-run of that case sees its charges as it first did)", async () => {
    // Prepare: case-A refunded 1499 of ch-1; another case refunded 250 of ch-2.
    ddb.on(QueryCommand).resolves({
      Items: [
        { chargeId: 'ch-1', refundedTotal: 1499, 'case:case-A': { amount: 1499 } },
        { chargeId: 'ch-2', refundedTotal: 250 },
      ],
    });

    // Act
    const totals = await ledgerTotals(client, 'ledger-table', 'cust-1', 'case-A');

    // Assess
    expect(Object.fromEntries(totals)).toEqual({ 'ch-1': 0, 'ch-2': 250 });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeNames).toEqual({
      '#case': 'case:case-A',
    });
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCustomerAccount } from '../../functions/shared/account-store.js';
import { accountItems } from '../../functions/shared/accounts.js';
import type { Charge } from '../../functions/shared/types.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const tables = { accountsTable: 'accounts-table', refundLedgerTable: 'ledger-table' };

const charge = (id: string, refundedAmount?: number): Charge => ({
  id,
  subscriptionId: 'sub-1',
  amount: 1499,
  currency: 'USD',
  chargedAt: '2026-03-01T00:00:00Z',
  ...(refundedAmount === undefined ? {} : { refundedAmount }),
});

function givenAccount(charges: Charge[]) {
  const items = accountItems({ profile: { id: 'cust-1' }, subscriptions: [], charges, orders: [] });
  ddb.on(QueryCommand, { TableName: 'accounts-table' }).resolves({ Items: items });
}

afterEach(() => {
  ddb.reset();
});

describe('loadCustomerAccount', () => {
  it("counts what Refund Hub already refunded on each charge, on top of the provider's refunds", async () => {
    // Arrange
    givenAccount([charge('ch-1'), charge('ch-2', 500), charge('ch-3')]);
    ddb.on(QueryCommand, { TableName: 'ledger-table' }).resolves({
      Items: [
        { chargeId: 'ch-1', refundedTotal: 1499 },
        { chargeId: 'ch-2', refundedTotal: 999 },
      ],
    });

    // Act
    const account = await loadCustomerAccount(client, tables, 'cust-1');

    // Assess
    expect(account.charges.map((c) => [c.id, c.refundedAmount])).toEqual([
      ['ch-1', 1499],
      ['ch-2', 1499],
      ['ch-3', 0],
    ]);
  });

  it('does not read the ledger for an account without charges (it has nothing to adjust)', async () => {
    givenAccount([]);

    const account = await loadCustomerAccount(client, tables, 'cust-1');

    expect(account.charges).toEqual([]);
    expect(ddb.commandCalls(QueryCommand, { TableName: 'ledger-table' })).toHaveLength(0);
    expect(ddb.commandCalls(QueryCommand, { TableName: 'accounts-table' })).toHaveLength(1);
  });
});

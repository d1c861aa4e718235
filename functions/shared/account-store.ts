/** Reads a customer's account, with refunds Refund Hub already issued counted as refunded. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AccountItem, accountFromItems, type CustomerAccount } from './accounts.js';
import { queryAll } from './dynamo.js';
import { ledgerTotals } from './ledger.js';

export async function loadCustomerAccount(
  client: DynamoDBDocumentClient,
  tables: { readonly accountsTable: string; readonly refundLedgerTable: string },
  customerId: string,
): Promise<CustomerAccount> {
  const [items, refundedByUs] = await Promise.all([
    queryAll(client, {
      TableName: tables.accountsTable,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
    }),
    // Refunds Refund Hub already issued count as refunded, so no charge is paid back twice.
    ledgerTotals(client, tables.refundLedgerTable, customerId),
  ]);
  const account = accountFromItems(customerId, items as unknown as AccountItem[]);
  return {
    ...account,
    charges: account.charges.map((charge) => ({
      ...charge,
      refundedAmount: (charge.refundedAmount ?? 0) + (refundedByUs.get(charge.id) ?? 0),
    })),
  };
}

/** Reads a customer's account, with refunds Refund Hub already issued counted as refunded. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AccountItem, accountFromItems, type CustomerAccount } from './accounts.js';
import { queryAll } from './dynamo.js';
import { ledgerTotals } from './ledger.js';

export async function loadCustomerAccount(
  client: DynamoDBDocumentClient,
  tables: { readonly accountsTable: string; readonly refundLedgerTable: string },
  customerId: string,
  /** Leave this case's own refunds out (the workflow's view, so a re-run decides as the first run did). */
  exceptCaseId?: string,
): Promise<CustomerAccount> {
  const items = await queryAll(client, {
    TableName: tables.accountsTable,
    KeyConditionExpression: 'customerId = :c',
    ExpressionAttributeValues: { ':c': customerId },
  });
  const account = accountFromItems(customerId, items as unknown as AccountItem[]);
  // The ledger only adjusts charges: an account without any needs no second read. (Read after the
  // account, not beside it: one round trip more for accounts with charges, one read fewer without.)
  if (account.charges.length === 0) return account;
  // Refunds Refund Hub already issued count as refunded, so no charge is paid back twice.
  const refundedByUs = await ledgerTotals(client, tables.refundLedgerTable, customerId, exceptCaseId);
  return {
    ...account,
    charges: account.charges.map((charge) => ({
      ...charge,
      refundedAmount: (charge.refundedAmount ?? 0) + (refundedByUs.get(charge.id) ?? 0),
    })),
  };
}

import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type AccountItem, accountFromItems } from '../shared/accounts.js';
import { documentClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { ledgerTotals } from '../shared/ledger.js';
import { stepHandler } from '../shared/step-handler.js';
import { orderFacts, selectOrder } from './domain.js';

const accountsTable = requiredEnv(ENV.accountsTable);
const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);

const eventSchema = z.object({
  customerId: z.string().min(1),
  orderId: z.string().min(1).nullable(),
  requestedAt: z.iso.datetime({ offset: true }),
});

/** Loads the customer's subscriptions, charges and orders, and the facts about the order in question. */
export const handler = stepHandler(eventSchema, async ({ customerId, orderId, requestedAt }) => {
  const items: AccountItem[] = [];
  let startKey: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: accountsTable,
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': customerId },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as AccountItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const account = accountFromItems(customerId, items);
  // Refunds Refund Hub already issued count as refunded, so no charge is paid back twice.
  const refundedByUs = await ledgerTotals(documentClient, refundLedgerTable, customerId);
  const charges = account.charges.map((charge) => ({
    ...charge,
    refundedAmount: (charge.refundedAmount ?? 0) + (refundedByUs.get(charge.id) ?? 0),
  }));
  return {
    profile: { phone: account.profile.phone ?? null },
    subscriptions: account.subscriptions,
    charges,
    order: orderFacts(selectOrder(account.orders, orderId), requestedAt),
  };
});

import { z } from 'zod';
import { loadCustomerAccount } from '../shared/account-store.js';
import { documentClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { stepHandler } from '../shared/step-handler.js';
import { orderFacts, selectOrder } from './domain.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};

const eventSchema = z.object({
  caseId: z.string().min(1),
  customerId: z.string().min(1),
  orderId: z.string().min(1).nullable(),
  requestedAt: z.iso.datetime({ offset: true }),
});

/** Loads the customer's subscriptions, charges and orders, and the facts about the order in question. */
export const handler = stepHandler(eventSchema, async ({ caseId, customerId, orderId, requestedAt }) => {
  // This case's own refunds do not count against it: a re-run finds and reports the refund it made.
  const account = await loadCustomerAccount(documentClient, tables, customerId, caseId);
  return {
    profile: { phone: account.profile.phone ?? null },
    subscriptions: account.subscriptions,
    charges: account.charges,
    order: orderFacts(selectOrder(account.orders, orderId), requestedAt),
  };
});

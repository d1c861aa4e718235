import { loadCustomerAccount } from '../shared/account-store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { customerIdOf, httpHandler, json } from '../shared/http.js';
import { suggestionsFor } from './domain.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};

/** GET /v1/help/suggestions: what the caller probably wants, from their own account (the ledger's refunds counted). */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const account = await loadCustomerAccount(documentClient, tables, customerId);
  return json(200, { suggestions: suggestionsFor(account, new Date().toISOString()) });
});

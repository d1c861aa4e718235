import { returnsOfCustomer } from '../returns-core/store.js';
import { loadCustomerAccount } from '../shared/account-store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { customerIdOf, httpHandler, json } from '../shared/http.js';
import { suggestionsFor } from './domain.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};
/** The Returns table, when the stack has the returns workflow: the customer's returns in progress (GSI byCustomer). */
const returnsTable = process.env[ENV.returnsTable];
const returnWindowDays = numberEnv(ENV.returnWindowDays, 30);

/** GET /v1/help/suggestions: what the caller probably wants, from their own account (the ledger's refunds counted). */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const [account, returns] = await Promise.all([
    loadCustomerAccount(documentClient, tables, customerId),
    returnsTable ? returnsOfCustomer(documentClient, returnsTable, customerId) : Promise.resolve([]),
  ]);
  return json(200, {
    suggestions: suggestionsFor(account, new Date().toISOString(), returnWindowDays, returns),
  });
});

import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { httpHandler, json, parseJsonBody } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { adminIdOf } from './identity.js';
import { putAccount } from './store.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};

/**
 * PUT /v1/admin/customers/{customerId}/account (IAM, admin role): upserts the profile,
 * subscriptions, charges and orders given, by id; what is not named stays as it is.
 */
export const handler = httpHandler(async (event) => {
  const adminId = adminIdOf(event);
  const customerId = event.pathParameters?.customerId;
  const result = await putAccount(documentClient, tables, customerId, parseJsonBody(event));
  logger.info('Account upsert', { adminId, customerId, statusCode: result.statusCode });
  return json(result.statusCode, result.body);
});

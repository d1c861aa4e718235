import { returnsConfigFromEnv } from '../returns-core/config.js';
import { decideWithHistory } from '../returns-core/domain.js';
import { returnsOfCustomer } from '../returns-core/store.js';
import { loadCustomerAccount } from '../shared/account-store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { instant } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};
const returnsTable = requiredEnv(ENV.returnsTable);
const config = returnsConfigFromEnv();

const eventSchema = z.object({
  returnId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  orderId: z.string().check(z.minLength(1)),
  items: z
    .array(z.object({ sku: z.string().check(z.minLength(1)), quantity: z.int().check(z.gte(1)) }))
    .check(z.minLength(1)),
  requestedAt: instant,
});

/**
 * CheckEligibility: the same rule as the API, again, against the account as stored now (an order may have been
 * changed since the request) and the customer's other returns; its clock is the instant of the request.
 */
export const handler = stepHandler(
  eventSchema,
  async ({ returnId, customerId, orderId, items, requestedAt }) => {
    const [account, earlier] = await Promise.all([
      loadCustomerAccount(documentClient, tables, customerId, returnId),
      returnsOfCustomer(documentClient, returnsTable, customerId),
    ]);
    const decision = decideWithHistory(account, { orderId, items }, earlier, requestedAt, config, returnId);
    if (!decision.eligible) {
      // An order no longer on the account cannot be returned: as for an order not delivered.
      const rejection = decision.rejection === 'order_not_found' ? 'not_delivered' : decision.rejection;
      return {
        eligible: false,
        rejection,
        refundPolicy: 'none',
        refundAmount: 0,
        currency: '',
        chargeId: null,
      };
    }
    return {
      eligible: true,
      rejection: null,
      refundPolicy: decision.refundPolicy,
      refundAmount: decision.refundAmount,
      currency: decision.currency,
      chargeId: decision.chargeId,
    };
  },
);

import { newCustomerApproval } from '../refund-guardrails/new-customer.js';
import { earlierReturnsOf } from '../returns-core/domain.js';
import { returnsOfCustomer } from '../returns-core/store.js';
import { loadCustomerAccount } from '../shared/account-store.js';
import { accountView } from '../shared/answers/account-view.js';
import { intentFromAccount } from '../shared/answers/intent-from-account.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { classificationSchema } from '../shared/step-events.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';
import { orderFacts, selectOrder } from './domain.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};
const returnWindowDays = numberEnv(ENV.returnWindowDays, 30);
/** The Returns table (GSI byCustomer), when the stack has one: what earlier returns took back is not returnable again. */
const returnsTable = process.env[ENV.returnsTable];

const eventSchema = z.object({
  caseId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  orderId: z.nullable(z.string().check(z.minLength(1))),
  requestedAt: z.iso.datetime({ offset: true }),
  /** The classifier's result as it came (before the confidence gate), and the redacted message it read. */
  classification: classificationSchema,
  message: z.string(),
  confidenceThreshold: z.number().check(z.gte(0), z.lte(1)),
  /** Rule 6 for new customers (defaults: an execution started before the setting existed). */
  autoRefundMode: z._default(z.enum(['auto', 'approve']), 'auto'),
  approvalForCustomersNewerThanDays: z._default(z.int().check(z.nonnegative()), 0),
});

/**
 * Loads the customer's subscriptions, charges and orders, the facts about the order in question, what the answers
 * need from the account, whether the account decides a short or ambiguous message (ResolveIntentFromAccount), and
 * whether rule 6 asks approval for a new customer (`approvalForCustomersNewerThanDays`, from the customer's tenure).
 */
export const handler = stepHandler(eventSchema, async (event) => {
  const { caseId, customerId, orderId, requestedAt } = event;
  // This case's own refunds do not count against it: a re-run finds and reports the refund it made.
  const [account, returns] = await Promise.all([
    loadCustomerAccount(documentClient, tables, customerId, caseId),
    returnsTable ? returnsOfCustomer(documentClient, returnsTable, customerId) : Promise.resolve([]),
  ]);
  const answers = accountView(account, {
    now: requestedAt,
    orderId,
    returnWindowDays,
    message: event.message,
    earlierReturns: earlierReturnsOf(returns).forQuantities,
  });
  const resolved = intentFromAccount({
    classification: event.classification,
    message: event.message,
    confidenceThreshold: event.confidenceThreshold,
    view: answers,
  });
  return {
    profile: { phone: account.profile.phone ?? null },
    subscriptions: account.subscriptions,
    charges: account.charges,
    order: orderFacts(selectOrder(account.orders, orderId), requestedAt),
    answers,
    intentDecision: resolved.decision,
    classification: resolved.classification,
    newCustomer: newCustomerApproval(account, requestedAt, {
      autoRefundMode: event.autoRefundMode,
      approvalForCustomersNewerThanDays: event.approvalForCustomersNewerThanDays,
    }),
  };
});

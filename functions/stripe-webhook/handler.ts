/**
 * `POST /v1/integrations/stripe/webhook` (no customer auth: the Stripe-Signature header is the
 * authentication). API Gateway passes the body untouched (no request model), so the signature is
 * checked over the exact bytes Stripe signed. The work is in receive.ts; this wires the clients.
 */
import type Stripe from 'stripe';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { header, httpHandler, json } from '../shared/http.js';
import { applyRefundStatus } from '../shared/ledger.js';
import { logger } from '../shared/logger.js';
import { stripeClient } from '../shared/payments/index.js';
import { confirmRefund, handOffFailedRefund, type NoticeDeps } from '../shared/refund-notices.js';
import { secretFromEnv } from '../shared/secrets.js';
import { sfnClient } from '../shared/sfn-client.js';
import { idOf, invoicePaymentsFrom, type StripeCustomerView } from './domain.js';
import { receiveWebhook, type WebhookDeps } from './receive.js';

const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
  integrationEventsTable: requiredEnv(ENV.integrationEventsTable),
};
const toleranceSeconds = numberEnv(ENV.stripeWebhookToleranceSeconds, 300);
/** The case, the customer's messages and the follow-up execution, for refunds Stripe settles. */
const notices: NoticeDeps = {
  documentClient,
  sfnClient,
  casesTable: requiredEnv(ENV.casesTable),
  messagesTable: requiredEnv(ENV.messagesTable),
  stateMachineArn: requiredEnv(ENV.stateMachineArn),
};

/** Stripe customers by id, for this Lambda process: most events of one customer come together. */
const customers = new Map<string, { readonly customer: StripeCustomerView | null; readonly until: number }>();
const CUSTOMER_CACHE_MS = 5 * 60_000;

async function stripeCustomer(id: string): Promise<StripeCustomerView | null> {
  const cached = customers.get(id);
  if (cached && cached.until > Date.now()) return cached.customer;
  const stripe = await stripeClient();
  let customer: StripeCustomerView | null;
  try {
    const found = (await stripe.customers.retrieve(id)) as Stripe.Customer | Stripe.DeletedCustomer;
    customer = found.deleted
      ? { id: found.id, deleted: true }
      : { id: found.id, metadata: found.metadata, email: found.email, name: found.name ?? null };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    customer = null;
  }
  customers.set(id, { customer, until: Date.now() + CUSTOMER_CACHE_MS });
  return customer;
}

async function chargeOfPaymentIntent(id: string): Promise<string | null> {
  const stripe = await stripeClient();
  const intent = await stripe.paymentIntents.retrieve(id);
  return idOf(intent.latest_charge) ?? null;
}

async function invoicePayments(invoiceId: string) {
  const stripe = await stripeClient();
  const page = await stripe.invoicePayments.list({ invoice: invoiceId, status: 'paid', limit: 100 });
  return invoicePaymentsFrom(page.data);
}

const deps: WebhookDeps = {
  client: documentClient,
  tables,
  signingSecret: () => secretFromEnv(ENV.stripeWebhookSecretArn, ENV.stripeWebhookSecret),
  toleranceSeconds,
  stripeCustomer,
  chargeOfPaymentIntent,
  invoicePayments,
  applyRefundStatus: (change) => applyRefundStatus(documentClient, tables.refundLedgerTable, change),
  handOffFailedRefund: (refund) => handOffFailedRefund(notices, refund),
  confirmRefund: (refund) => confirmRefund(notices, refund),
  now: () => new Date(),
  log: logger,
};

export const handler = httpHandler(async (event) => {
  // The exact bytes: API Gateway base64-encodes a body it treats as binary.
  const raw = event.body === null ? null : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const result = await receiveWebhook(deps, raw, header(event, 'stripe-signature'));
  return json(result.statusCode, result.body);
});

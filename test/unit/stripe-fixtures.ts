/**
 * Stripe event payloads shaped like the SDK's types for API version 2026-10-28.endive (as a
 * webhook delivers them: ids for related objects, not expanded), plus a few older shapes.
 * Plain data; sign them with `signed()` (the SDK's own test header).
 */
import Stripe from 'stripe';

export const SIGNING_SECRET = 'whsec_test_refund_hub_0123456789abcdef';
export const T0 = 1_773_576_000; // 2026-03-15T12:00:00Z

let counter = 0;
const nextId = (prefix: string) => {
  counter += 1;
  return `${prefix}_${process.pid}${counter.toString().padStart(6, '0')}`;
};

export function stripeEvent<T>(type: string, object: T, created = T0, extra: Record<string, unknown> = {}) {
  return {
    id: nextId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    data: { object, ...extra },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

export function stripeRefund(fields: Record<string, unknown> = {}) {
  return {
    id: nextId('re'),
    object: 'refund',
    amount: 1499,
    balance_transaction: 'txn_1',
    charge: 'ch_1',
    created: T0,
    currency: 'usd',
    destination_details: { type: 'card', card: { type: 'refund' } },
    metadata: {},
    payment_intent: 'pi_1',
    reason: null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    ...fields,
  };
}

export function stripeCharge(fields: Record<string, unknown> = {}) {
  return {
    id: nextId('ch'),
    object: 'charge',
    amount: 1499,
    amount_captured: 1499,
    amount_refunded: 0,
    balance_transaction: 'txn_1',
    billing_details: { address: null, email: null, name: null, phone: null },
    captured: true,
    created: T0,
    currency: 'usd',
    customer: 'cus_1',
    description: 'Subscription update',
    disputed: false,
    livemode: false,
    metadata: {},
    outcome: { network_status: 'approved_by_network', type: 'authorized' },
    paid: true,
    payment_intent: 'pi_1',
    payment_method: 'pm_1',
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, total_count: 0, url: '/v1/charges/ch_1/refunds' },
    status: 'succeeded',
    ...fields,
  };
}

export function subscriptionItem(fields: Record<string, unknown> = {}, price: Record<string, unknown> = {}) {
  return {
    id: nextId('si'),
    object: 'subscription_item',
    created: T0,
    current_period_start: T0,
    current_period_end: T0 + 31 * 86_400,
    discounts: [],
    metadata: {},
    price: {
      id: 'price_1',
      object: 'price',
      active: true,
      currency: 'usd',
      lookup_key: null,
      nickname: 'prime-monthly',
      product: 'prod_1',
      recurring: { interval: 'month', interval_count: 1 },
      type: 'recurring',
      unit_amount: 1499,
      ...price,
    },
    quantity: 1,
    subscription: 'sub_1',
    tax_rates: [],
    ...fields,
  };
}

export function stripeSubscription(fields: Record<string, unknown> = {}, items = [subscriptionItem()]) {
  return {
    id: nextId('sub'),
    object: 'subscription',
    billing_cycle_anchor: T0,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: T0,
    currency: 'usd',
    customer: 'cus_1',
    ended_at: null,
    items: {
      object: 'list',
      data: items,
      has_more: false,
      total_count: items.length,
      url: '/v1/subscription_items',
    },
    latest_invoice: 'in_1',
    livemode: false,
    metadata: {},
    start_date: T0,
    status: 'active',
    ...fields,
  };
}

export function invoiceLine(period: { start: number; end: number }, fields: Record<string, unknown> = {}) {
  return {
    id: nextId('il'),
    object: 'line_item',
    amount: 1499,
    currency: 'usd',
    description: '1 × Prime (at $14.99 / month)',
    discountable: true,
    discounts: [],
    invoice: 'in_1',
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: 'sub_1',
        subscription_item: 'si_1',
      },
    },
    period,
    pricing: {
      type: 'price_details',
      price_details: { price: 'price_1', product: 'prod_1' },
      unit_amount_decimal: '1499',
    },
    quantity: 1,
    subtotal: 1499,
    taxes: [],
    ...fields,
  };
}

export function stripeInvoice(
  fields: Record<string, unknown> = {},
  options: { subscription?: string; lines?: unknown[]; payments?: unknown[] } = {},
) {
  const id = nextId('in');
  const subscription = options.subscription ?? 'sub_1';
  // A renewal: the invoice's own period is the one before (billed in arrears); the line's is the new one.
  const lines = options.lines ?? [invoiceLine({ start: T0, end: T0 + 31 * 86_400 })];
  return {
    id,
    object: 'invoice',
    amount_due: 1499,
    amount_paid: 1499,
    amount_remaining: 0,
    billing_reason: 'subscription_cycle',
    collection_method: 'charge_automatically',
    created: T0,
    currency: 'usd',
    customer: 'cus_1',
    lines: {
      object: 'list',
      data: lines,
      has_more: false,
      total_count: lines.length,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: {}, subscription },
    },
    payments: {
      object: 'list',
      data: options.payments ?? [invoicePayment({ payment_intent: 'pi_1' })],
      has_more: false,
      url: '/v1/invoice_payments',
    },
    period_end: T0,
    period_start: T0 - 31 * 86_400,
    status: 'paid',
    status_transitions: {
      finalized_at: T0,
      marked_uncollectible_at: null,
      paid_at: T0 + 60,
      voided_at: null,
    },
    subtotal: 1499,
    total: 1499,
    ...fields,
  };
}

export function invoicePayment(
  payment: { charge?: string; payment_intent?: string },
  fields: Record<string, unknown> = {},
) {
  return {
    id: nextId('inpay'),
    object: 'invoice_payment',
    amount_paid: 1499,
    amount_requested: 1499,
    created: T0,
    currency: 'usd',
    invoice: 'in_1',
    is_default: true,
    livemode: false,
    payment: { type: payment.charge ? 'charge' : 'payment_intent', ...payment },
    status: 'paid',
    status_transitions: { canceled_at: null, paid_at: T0 + 60 },
    ...fields,
  };
}

/** The body exactly as Stripe sends it, and its Stripe-Signature header. */
export async function signed(event: unknown, options: { secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify(event, null, 2);
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? SIGNING_SECRET,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
  return { payload, header };
}

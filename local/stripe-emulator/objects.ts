/**
 * The emulated objects, shaped as the `stripe` SDK's types for API version 2026-10-28.endive (a subset of
 * their fields: the ones Refund Hub reads and the ones every object of that kind carries), ids as Stripe's,
 * and the inputs of the in-process and control calls.
 */
import { randomInt } from 'node:crypto';
import type Stripe from 'stripe';

export const API_VERSION = '2026-10-28.endive';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `prefix` + random alphanumerics, as Stripe's ids (`ch_3Nx…`), keys (`sk_test_…`) and secrets (`whsec_…`). */
export function randomId(prefix: string, length = 24): string {
  let text = prefix;
  for (let i = 0; i < length; i++) text += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return text;
}

/** The API request behind a change; both null for a change the emulator makes by itself (a refund failing later). */
export interface RequestInfo {
  readonly id: string | null;
  readonly idempotencyKey: string | null;
}
export const AUTOMATIC: RequestInfo = { id: null, idempotencyKey: null };

export type Metadata = Record<string, string>;

export type EmulatedCustomer = Pick<
  Stripe.Customer,
  | 'id'
  | 'object'
  | 'balance'
  | 'created'
  | 'currency'
  | 'default_source'
  | 'delinquent'
  | 'description'
  | 'email'
  | 'invoice_settings'
  | 'livemode'
  | 'metadata'
  | 'name'
  | 'phone'
  | 'shipping'
>;

export type EmulatedCharge = Pick<
  Stripe.Charge,
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_captured'
  | 'amount_refunded'
  | 'balance_transaction'
  | 'captured'
  | 'created'
  | 'currency'
  | 'customer'
  | 'description'
  | 'disputed'
  | 'failure_code'
  | 'failure_message'
  | 'livemode'
  | 'metadata'
  | 'paid'
  | 'payment_intent'
  | 'payment_method'
  | 'receipt_url'
  | 'refunded'
  | 'status'
> & { refunds?: Stripe.ApiList<EmulatedRefund> };

export type EmulatedPaymentIntent = Pick<
  Stripe.PaymentIntent,
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_received'
  | 'capture_method'
  | 'created'
  | 'currency'
  | 'customer'
  | 'description'
  | 'latest_charge'
  | 'livemode'
  | 'metadata'
  | 'payment_method'
  | 'status'
>;

export type EmulatedRefund = Pick<
  Stripe.Refund,
  | 'id'
  | 'object'
  | 'amount'
  | 'balance_transaction'
  | 'charge'
  | 'created'
  | 'currency'
  | 'customer'
  | 'destination_details'
  | 'failure_balance_transaction'
  | 'failure_reason'
  | 'metadata'
  | 'payment_intent'
  | 'payment_method'
  | 'reason'
  | 'receipt_number'
  | 'status'
>;

export type EmulatedBalanceTransaction = Pick<
  Stripe.CustomerBalanceTransaction,
  | 'id'
  | 'object'
  | 'amount'
  | 'created'
  | 'credit_note'
  | 'currency'
  | 'customer'
  | 'description'
  | 'ending_balance'
  | 'invoice'
  | 'livemode'
  | 'metadata'
  | 'type'
>;

interface EmulatedPrice {
  id: string;
  object: 'price';
  active: boolean;
  created: number;
  currency: string;
  livemode: false;
  lookup_key: string;
  metadata: Metadata;
  nickname: string;
  product: string;
  recurring: { interval: 'month' | 'year'; interval_count: number; usage_type: 'licensed' };
  type: 'recurring';
  unit_amount: number;
}

export type EmulatedSubscriptionItem = Pick<
  Stripe.SubscriptionItem,
  | 'id'
  | 'object'
  | 'created'
  | 'current_period_end'
  | 'current_period_start'
  | 'metadata'
  | 'quantity'
  | 'subscription'
> & { price: EmulatedPrice };

export type EmulatedSubscription = Pick<
  Stripe.Subscription,
  | 'id'
  | 'object'
  | 'billing_cycle_anchor'
  | 'cancel_at'
  | 'cancel_at_period_end'
  | 'canceled_at'
  | 'cancellation_details'
  | 'collection_method'
  | 'created'
  | 'currency'
  | 'customer'
  | 'description'
  | 'ended_at'
  | 'latest_invoice'
  | 'livemode'
  | 'metadata'
  | 'start_date'
  | 'status'
> & { items: Stripe.ApiList<EmulatedSubscriptionItem> };

export type EmulatedInvoice = Pick<
  Stripe.Invoice,
  | 'id'
  | 'object'
  | 'amount_due'
  | 'amount_paid'
  | 'amount_remaining'
  | 'attempt_count'
  | 'attempted'
  | 'billing_reason'
  | 'collection_method'
  | 'created'
  | 'currency'
  | 'customer'
  | 'livemode'
  | 'metadata'
  | 'parent'
  | 'period_end'
  | 'period_start'
  | 'status'
  | 'status_transitions'
  | 'subtotal'
  | 'total'
> & { lines: Stripe.ApiList<EmulatedInvoiceLine> };

export type EmulatedInvoiceLine = Pick<
  Stripe.InvoiceLineItem,
  | 'id'
  | 'object'
  | 'amount'
  | 'currency'
  | 'description'
  | 'discountable'
  | 'invoice'
  | 'livemode'
  | 'metadata'
  | 'parent'
  | 'period'
  | 'quantity'
  | 'subscription'
  | 'subtotal'
> & {
  // JSON carries the decimal as a string.
  pricing: {
    type: 'price_details';
    price_details: { price: string; product: string };
    unit_amount_decimal: string;
  };
};

export type EmulatedInvoicePayment = Pick<
  Stripe.InvoicePayment,
  | 'id'
  | 'object'
  | 'amount_paid'
  | 'amount_requested'
  | 'created'
  | 'currency'
  | 'invoice'
  | 'is_default'
  | 'livemode'
  | 'payment'
  | 'status'
  | 'status_transitions'
>;

export interface EmulatedEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: Stripe.Event.Type;
}

/** Test behaviours of a charge, as Stripe's test cards give them. */
export interface ChargeBehaviours {
  /**
   * As `pm_card_refundFail`: a refund starts `succeeded` (or `pending`), then fails with
   * `expired_or_canceled_card`. `true`: when the control route says; `{ afterMs }`: by itself after that delay.
   */
  readonly refundFailsLater?: boolean | { readonly afterMs: number };
  /** The charge was disputed: refunds are refused with `charge_disputed`. */
  readonly disputed?: boolean;
}

/** Account-level behaviours, changeable while running. */
export interface AccountBehaviours {
  /** Refunds are refused with `balance_insufficient`. */
  insufficientBalance?: boolean;
  /** Refunds start `pending` and stay so until settled (control route); else they succeed at once. */
  refundsStartPending?: boolean;
}

export interface SeedCustomerInput {
  /** The customer's id at Refund Hub: `metadata.refundHubCustomerId`. Seeding it again updates that customer. */
  readonly refundHubCustomerId: string;
  /** The Stripe id; `cus_…` generated when absent. */
  readonly id?: string;
  readonly name?: string;
  readonly email?: string;
  readonly metadata?: Metadata;
  readonly balance?: number;
  readonly created?: Instant;
}

/** Epoch seconds, a Date or an ISO-8601 string. */
export type Instant = number | Date | string;

export interface SeedChargeInput {
  /** The Stripe customer id (`cus_…`). */
  readonly customer: string;
  /** Any id (Refund Hub's own charge ids, `ch_…`); `ch_…` generated when absent. */
  readonly id?: string;
  readonly amount: number;
  /** Any case; stored lowercase, as Stripe does. */
  readonly currency: string;
  readonly created?: Instant;
  /** The charge's payment intent, created with it (`latest_charge` = this charge). */
  readonly paymentIntentId?: string;
  /** Already refunded before seeding: a succeeded refund of that amount is recorded, without events. */
  readonly amountRefunded?: number;
  readonly description?: string;
  readonly metadata?: Metadata;
  readonly behaviours?: ChargeBehaviours;
}

export interface CreateSubscriptionInput {
  readonly customer: string;
  readonly id?: string;
  /** Stored as the price's `lookup_key` and `nickname`. */
  readonly plan: string;
  readonly amount: number;
  readonly currency: string;
  readonly interval?: 'month' | 'year';
  readonly startDate?: Instant;
  /** The current period's start; the start date when absent. */
  readonly currentPeriodStart?: Instant;
  readonly metadata?: Metadata;
}

export interface UpdateSubscriptionInput {
  /** Cancel at this instant (null: no longer). Sets `canceled_at` to now, as Stripe does. */
  readonly cancelAt?: Instant | null;
  /** Cancel at the end of the current period. */
  readonly cancelAtPeriodEnd?: boolean;
  readonly metadata?: Metadata;
}

export interface PayInvoiceInput {
  /** The line's period start; the subscription's current period when absent (then the period after it). */
  readonly periodStart?: Instant;
  readonly periodEnd?: Instant;
  readonly amount?: number;
  readonly chargeId?: string;
  readonly paymentIntentId?: string;
  /** When it was paid (the charge's and invoice's `created`); now when absent. */
  readonly paidAt?: Instant;
}

export interface PaidInvoice {
  readonly invoice: EmulatedInvoice;
  readonly charge: EmulatedCharge;
  readonly paymentIntent: EmulatedPaymentIntent;
}

export function epochSeconds(instant: Instant): number {
  if (typeof instant === 'number') return Math.floor(instant);
  const ms = instant instanceof Date ? instant.getTime() : Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`Not an instant: ${String(instant)}`);
  return Math.floor(ms / 1000);
}

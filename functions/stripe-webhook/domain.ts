/**
 * Stripe webhook events as Refund Hub changes: pure functions over the event payloads (shaped like
 * the SDK's types for API version 2026-10-28.endive, and tolerant of older shapes), the stored
 * account items and an injected clock. No AWS, no SDK calls, no `process.env`.
 */
import type Stripe from 'stripe';
import type { RefundStatus } from '../shared/payments/provider.js';
import type { SignatureProblem } from '../shared/payments/webhook-signature.js';
import type { Charge, CustomerProfile, IsoInstant, MinorUnits, Subscription } from '../shared/types.js';

/** The metadata key (on a Stripe customer, and on our refunds) that names our customer. */
export const CUSTOMER_METADATA_KEY = 'refundHubCustomerId';

/** The event types this endpoint acts on; the operator enables these on the webhook endpoint. */
export const HANDLED_EVENT_TYPES = [
  'refund.updated',
  'refund.failed',
  'charge.refund.updated',
  'charge.refunded',
  'charge.succeeded',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

export function isHandledEventType(type: string): type is HandledEventType {
  return (HANDLED_EVENT_TYPES as readonly string[]).includes(type);
}

// ---------------------------------------------------------------------------------------------
// Signatures

export type { SignatureProblem };

/** The 400 a signature problem answers: Stripe shows the message in the dashboard's delivery log. */
export const SIGNATURE_MESSAGES: Readonly<Record<SignatureProblem, string>> = {
  signature_missing: 'The Stripe-Signature header is missing.',
  signature_invalid:
    'The Stripe-Signature header does not match the body with this endpoint’s signing secret.',
  signature_stale:
    'The Stripe-Signature timestamp is outside the tolerance window (a replayed or delayed request).',
};

// ---------------------------------------------------------------------------------------------
// Event idempotency (the IntegrationEvents table)

export type EventClaimStatus = 'processing' | 'done' | 'failed';

export interface EventClaim {
  readonly eventId: string;
  readonly status: EventClaimStatus;
  readonly claimedAt: IsoInstant;
  readonly attempts: number;
}

/** A claim left `processing` this long is taken to be a crashed delivery and its work is done again. */
export const STALE_CLAIM_MS = 60_000;
/** How long an event id is remembered (Stripe retries for up to three days; replays come later than that). */
export const EVENT_RETENTION_DAYS = 30;

export type ClaimDecision =
  /** Nobody has seen the event: claim it. */
  | 'claim'
  /** Done before: answer 200 and change nothing. */
  | 'duplicate'
  /** Another delivery is working on it right now: answer non-2xx so Stripe comes back later. */
  | 'in_progress'
  /** A delivery crashed or failed mid-way: do the (idempotent) work again. */
  | 'retake';

export function claimDecision(
  existing: EventClaim | undefined,
  now: Date,
  staleAfterMs = STALE_CLAIM_MS,
): ClaimDecision {
  if (!existing) return 'claim';
  if (existing.status === 'done') return 'duplicate';
  if (existing.status === 'failed') return 'retake';
  const claimedAt = Date.parse(existing.claimedAt);
  return Number.isNaN(claimedAt) || now.getTime() - claimedAt >= staleAfterMs ? 'retake' : 'in_progress';
}

/** DynamoDB TTL attribute (epoch seconds). */
export function eventExpiresAt(now: Date, days = EVENT_RETENTION_DAYS): number {
  return Math.floor(now.getTime() / 1000) + days * 86_400;
}

// ---------------------------------------------------------------------------------------------
// Small readers, tolerant of expanded objects and of fields older API versions had

type Expandable<T extends { id: string }> = string | T | null | undefined;

/** The id of a field that is an id, or an expanded object, or absent. */
export function idOf(value: Expandable<{ id: string }> | { id?: unknown }): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (value && typeof value === 'object' && typeof value.id === 'string') return value.id;
  return undefined;
}

/** Epoch seconds (Stripe's timestamps) as an ISO-8601 instant with an offset (`Z`). */
export function isoFromEpoch(seconds: number): IsoInstant {
  return new Date(seconds * 1000).toISOString();
}

const epoch = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const metadataOf = (object: { metadata?: unknown }): Record<string, string> =>
  object.metadata && typeof object.metadata === 'object' ? (object.metadata as Record<string, string>) : {};

/** Stripe's lowercase currency as ISO 4217 (`usd` → `USD`). */
export const currencyOf = (currency: string): string => currency.toUpperCase();

/** Stripe's refund status as ours (`requires_action` waits like `pending`); null when the payload has none. */
export function refundStatusFrom(status: string | null | undefined): RefundStatus | null {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'canceled':
    case 'pending':
      return status;
    case 'requires_action':
      return 'pending';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// What an event asks for

/** A refund Refund Hub made (its metadata names the case) moved at Stripe. */
export interface RefundStatusChange {
  readonly customerId: string;
  readonly chargeId: string;
  readonly caseId: string;
  readonly providerRefundId: string;
  readonly status: RefundStatus;
  readonly failureReason?: string;
  readonly at: IsoInstant;
  /** The refund's own amount and currency (for the hand-off when the ledger line is gone). */
  readonly amount: MinorUnits;
  readonly currency: string;
}

/** The charge fields a charge snapshot (charge.succeeded, charge.refunded) carries. */
export interface ChargeFacts {
  readonly id: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly chargedAt: IsoInstant;
  readonly paymentIntentId?: string;
  readonly orderId?: string;
}

/** What a paid subscription invoice says about the charge that paid it. */
export interface InvoicePayment {
  /** The charge, when the payment names it; else its payment intent (the charge is looked up). */
  readonly chargeId?: string;
  readonly paymentIntentId?: string;
  readonly amount: MinorUnits;
}

export interface InvoiceLink {
  readonly invoiceId: string;
  readonly subscriptionId: string;
  readonly billingPeriodStart?: IsoInstant;
  readonly currency: string;
  readonly paidAt: IsoInstant;
  /** Empty when the payload does not carry them (the default since basil): to be listed. */
  readonly payments: readonly InvoicePayment[];
}

/** What was refunded on a charge outside Refund Hub, as a charge.refunded payload tells it. */
export type OutsideRefunds =
  /** The payload lists every refund: the ones without our `metadata.caseId` are outside. */
  | { readonly kind: 'listed'; readonly amount: MinorUnits }
  /** Only the charge's total is known: outside = total minus what our ledger holds on the charge. */
  | { readonly kind: 'total'; readonly amountRefunded: MinorUnits };

export type WebhookAction =
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'refund_status'; readonly change: RefundStatusChange }
  | {
      readonly kind: 'charge';
      readonly stripeCustomerId: string;
      readonly charge: ChargeFacts;
      /** charge.refunded only. */
      readonly outside?: OutsideRefunds;
    }
  | { readonly kind: 'subscription'; readonly stripeCustomerId: string; readonly subscription: Subscription }
  | { readonly kind: 'invoice'; readonly stripeCustomerId: string; readonly link: InvoiceLink };

/** The minimal event shape read here (Stripe.Event narrowed to what matters, any API version). */
export interface WebhookEvent {
  readonly id: string;
  readonly type: string;
  /** Epoch seconds: orders events per item (deliveries come in any order). */
  readonly created: number;
  readonly data: { readonly object: unknown };
}

const ignore = (reason: string): WebhookAction => ({ kind: 'ignore', reason });

/** The action an event asks for. Unknown types, and objects that are not ours, are ignored (Stripe still gets a 2xx). */
export function actionFor(event: WebhookEvent): WebhookAction {
  const object = event.data.object as Record<string, unknown>;
  switch (event.type) {
    case 'refund.updated':
    case 'refund.failed':
    case 'charge.refund.updated':
      return refundAction(object as unknown as Stripe.Refund, event.created);
    case 'charge.succeeded':
    case 'charge.refunded':
      return chargeAction(object as unknown as Stripe.Charge, event.type === 'charge.refunded');
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return subscriptionAction(object as unknown as Stripe.Subscription);
    case 'invoice.paid':
      return invoiceAction(object as unknown as Stripe.Invoice, event.created);
    default:
      return ignore(`event type ${event.type} is not one Refund Hub acts on`);
  }
}

function refundAction(refund: Stripe.Refund, created: number): WebhookAction {
  const metadata = metadataOf(refund);
  const caseId = metadata.caseId;
  const customerId = metadata[CUSTOMER_METADATA_KEY];
  // Not made by Refund Hub: charge.refunded accounts for it as refunded outside us.
  if (!caseId || !customerId)
    return ignore('refund without Refund Hub metadata (caseId, refundHubCustomerId)');
  const chargeId = metadata.chargeId || idOf(refund.charge);
  if (!chargeId) return ignore('refund names no charge');
  const status = refundStatusFrom(refund.status);
  if (!status) return ignore(`refund status ${String(refund.status)} is not one Refund Hub follows`);
  return {
    kind: 'refund_status',
    change: {
      customerId,
      chargeId,
      caseId,
      providerRefundId: refund.id,
      status,
      ...(refund.failure_reason && (status === 'failed' || status === 'canceled')
        ? { failureReason: refund.failure_reason }
        : {}),
      at: isoFromEpoch(created),
      amount: refund.amount,
      currency: currencyOf(refund.currency),
    },
  };
}

export function chargeFacts(charge: Stripe.Charge): ChargeFacts {
  const paymentIntentId = idOf(charge.payment_intent);
  const orderId = metadataOf(charge).orderId;
  return {
    id: charge.id,
    amount: charge.amount,
    currency: currencyOf(charge.currency),
    chargedAt: isoFromEpoch(charge.created),
    ...(paymentIntentId ? { paymentIntentId } : {}),
    ...(orderId ? { orderId } : {}),
  };
}

/** Refunds that still hold money (a failed or canceled one gave it back). */
const holdsMoney = (status: string | null | undefined) => {
  const ours = refundStatusFrom(status);
  return ours === 'pending' || ours === 'succeeded';
};

/** What a charge.refunded payload says was refunded outside Refund Hub. */
export function outsideRefundsOf(charge: Stripe.Charge): OutsideRefunds {
  const list = charge.refunds;
  // The embedded list is complete only without `has_more`; otherwise count from the total.
  if (list && Array.isArray(list.data) && !list.has_more) {
    const amount = list.data
      .filter((refund) => !metadataOf(refund).caseId && holdsMoney(refund.status))
      .reduce((sum, refund) => sum + refund.amount, 0);
    return { kind: 'listed', amount };
  }
  return { kind: 'total', amountRefunded: charge.amount_refunded ?? 0 };
}

function chargeAction(charge: Stripe.Charge, refunded: boolean): WebhookAction {
  const stripeCustomerId = idOf(charge.customer);
  if (!stripeCustomerId) return ignore('charge without a Stripe customer');
  // A failed or uncaptured charge took no money: nothing a customer could ask back.
  if (charge.status && charge.status !== 'succeeded') return ignore(`charge status ${charge.status}`);
  return {
    kind: 'charge',
    stripeCustomerId,
    charge: chargeFacts(charge),
    ...(refunded ? { outside: outsideRefundsOf(charge) } : {}),
  };
}

/** The plan's name as an operator reads it: the price's nickname, else its lookup key, else the product. */
function planOf(item: Partial<Stripe.SubscriptionItem> | undefined, legacyPlan: unknown): string {
  const price = item?.price ?? (item?.plan as unknown as Stripe.Price | undefined);
  const plan = legacyPlan as { nickname?: string | null; product?: unknown; id?: string } | undefined;
  return (
    price?.nickname ||
    price?.lookup_key ||
    idOf(price?.product as Expandable<{ id: string }>) ||
    plan?.nickname ||
    idOf(plan?.product as Expandable<{ id: string }>) ||
    price?.id ||
    plan?.id ||
    'unknown'
  );
}

/** End of the current period: on the items since API 2025-03-31.basil, on the subscription before. */
function currentPeriodEnd(subscription: Stripe.Subscription): number | undefined {
  const ends = (subscription.items?.data ?? [])
    .map((item) => epoch(item.current_period_end))
    .filter((end): end is number => end !== undefined);
  if (ends.length > 0) return Math.max(...ends);
  return epoch((subscription as unknown as { current_period_end?: number }).current_period_end);
}

/** POLICY's subscription from Stripe's. */
export function subscriptionFrom(subscription: Stripe.Subscription): Subscription {
  const canceledAt = epoch(subscription.canceled_at);
  const cancelAt = epoch(subscription.cancel_at);
  const endedAt = epoch(subscription.ended_at);
  const ended = subscription.status === 'canceled' || subscription.status === 'incomplete_expired';
  // A subscription set to end (at a date, or at the period's end) is cancelled, effective then.
  const cancelled = ended || cancelAt !== undefined || subscription.cancel_at_period_end === true;
  const effective =
    endedAt ?? cancelAt ?? (subscription.cancel_at_period_end ? currentPeriodEnd(subscription) : undefined);
  const legacyPlan = (subscription as unknown as { plan?: unknown }).plan;
  return {
    id: subscription.id,
    plan: planOf(subscription.items?.data?.[0], legacyPlan),
    status: cancelled ? 'cancelled' : 'active',
    ...(cancelled && canceledAt !== undefined ? { cancelledAt: isoFromEpoch(canceledAt) } : {}),
    ...(cancelled && effective !== undefined ? { cancellationEffectiveAt: isoFromEpoch(effective) } : {}),
  };
}

function subscriptionAction(subscription: Stripe.Subscription): WebhookAction {
  const stripeCustomerId = idOf(subscription.customer);
  if (!stripeCustomerId) return ignore('subscription without a Stripe customer');
  return { kind: 'subscription', stripeCustomerId, subscription: subscriptionFrom(subscription) };
}

type AnyLine = Stripe.InvoiceLineItem & { type?: string; proration?: boolean; subscription_item?: string };

/** Whether an invoice line bills a subscription item (the new `parent`, or the older `type`). */
function isSubscriptionLine(line: AnyLine): boolean {
  return Boolean(line.parent?.subscription_item_details) || line.type === 'subscription';
}

const isProration = (line: AnyLine) =>
  line.parent?.subscription_item_details?.proration === true || line.proration === true;

function subscriptionIdOfInvoice(invoice: Stripe.Invoice, lines: readonly AnyLine[]): string | undefined {
  const legacy = (invoice as unknown as { subscription?: Expandable<{ id: string }> }).subscription;
  return (
    idOf(invoice.parent?.subscription_details?.subscription) ??
    idOf(legacy) ??
    lines
      .map((line) => line.parent?.subscription_item_details?.subscription ?? idOf(line.subscription))
      .find((id): id is string => Boolean(id))
  );
}

/** Invoice payments (the payload's `payments`, or `GET /v1/invoice_payments?invoice=`) as the charges or intents that paid. */
export function invoicePaymentsFrom(payments: readonly Stripe.InvoicePayment[]): InvoicePayment[] {
  return payments
    .filter((payment) => payment.status === 'paid' || payment.status === undefined)
    .flatMap((payment): InvoicePayment[] => {
      const chargeId = idOf(payment.payment?.charge);
      const paymentIntentId = idOf(payment.payment?.payment_intent);
      if (!chargeId && !paymentIntentId) return [];
      return [
        {
          ...(chargeId ? { chargeId } : {}),
          ...(paymentIntentId ? { paymentIntentId } : {}),
          amount: payment.amount_paid ?? payment.amount_requested,
        },
      ];
    });
}

/**
 * The charges (or payment intents) that paid the invoice, as far as the payload tells: `payments` (an
 * includable field since basil, absent from webhook payloads by default: then the caller lists them),
 * or `charge`/`payment_intent` on older API versions.
 */
function invoicePayments(invoice: Stripe.Invoice): InvoicePayment[] {
  const listed = invoicePaymentsFrom(invoice.payments?.data ?? []);
  if (listed.length > 0) return listed;
  const legacy = invoice as unknown as {
    charge?: Expandable<{ id: string }>;
    payment_intent?: Expandable<{ id: string }>;
  };
  const chargeId = idOf(legacy.charge);
  const paymentIntentId = idOf(legacy.payment_intent);
  if (!chargeId && !paymentIntentId) return [];
  return [
    {
      ...(chargeId ? { chargeId } : {}),
      ...(paymentIntentId ? { paymentIntentId } : {}),
      amount: invoice.amount_paid,
    },
  ];
}

function invoiceAction(invoice: Stripe.Invoice, created: number): WebhookAction {
  const stripeCustomerId = idOf(invoice.customer);
  if (!stripeCustomerId) return ignore('invoice without a Stripe customer');
  const lines = (invoice.lines?.data ?? []) as AnyLine[];
  const subscriptionId = subscriptionIdOfInvoice(invoice, lines);
  if (!subscriptionId) return ignore('invoice of no subscription');
  // No payment in the payload: the caller lists the invoice's payments (none at all: paid out of band).
  const payments = invoicePayments(invoice);
  // The period the charge pays for is the subscription line's. NOT invoice.period_start: for a
  // subscription invoice that is the period before (the one whose usage is billed in arrears).
  const subscriptionLines = lines.filter(isSubscriptionLine);
  const line = subscriptionLines.find((l) => !isProration(l)) ?? subscriptionLines[0];
  const periodStart = epoch(line?.period?.start);
  const paidAt = epoch(invoice.status_transitions?.paid_at) ?? created;
  return {
    kind: 'invoice',
    stripeCustomerId,
    link: {
      invoiceId: invoice.id,
      subscriptionId,
      ...(periodStart !== undefined ? { billingPeriodStart: isoFromEpoch(periodStart) } : {}),
      currency: currencyOf(invoice.currency),
      paidAt: isoFromEpoch(paidAt),
      payments,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Whose account: the Stripe customer's metadata names ours

export interface StripeCustomerView {
  readonly id: string;
  readonly deleted?: boolean;
  readonly metadata?: Record<string, string> | null;
  readonly email?: string | null;
  readonly name?: string | null;
}

/** Our customer id from the Stripe customer's `metadata.refundHubCustomerId`; null when it has none. */
export function refundHubCustomerIdOf(customer: StripeCustomerView | null): string | null {
  if (!customer || customer.deleted) return null;
  const id = customer.metadata?.[CUSTOMER_METADATA_KEY]?.trim();
  return id ? id : null;
}

/** The profile with the Stripe customer id (and name/email the profile does not have yet). */
export function profileWithStripe(
  stored: CustomerProfile | undefined,
  customerId: string,
  customer: StripeCustomerView,
): CustomerProfile {
  const base = (stored ?? { id: customerId }) as CustomerProfile & { name?: string; email?: string };
  return {
    ...base,
    id: customerId,
    stripeCustomerId: customer.id,
    ...(!base.name && customer.name ? { name: customer.name } : {}),
    ...(!base.email && customer.email ? { email: customer.email } : {}),
  } as CustomerProfile;
}

// ---------------------------------------------------------------------------------------------
// Upserts of account items, in event order per item

/**
 * Where an item's content came from, by stream, and the `created` of the newest event applied
 * from it. A charge is written by two streams that are each ordered on their own: charge snapshots
 * (charge.succeeded, charge.refunded) and invoices (invoice.paid links it to its subscription), so
 * an invoice newer than a charge snapshot does not make that snapshot look stale.
 */
export type EventStream = 'charge' | 'invoice' | 'subscription' | 'profile';
export type EventClock = Partial<Record<EventStream, number>>;

export interface StoredItem<T> {
  readonly data: T;
  readonly eventClock?: EventClock;
}

export interface ItemWrite<T> {
  readonly data: T;
  readonly eventClock: EventClock;
  /** The newest event that changed the item (ISO), for people reading the table. */
  readonly updatedFromEventAt: IsoInstant;
}

/** Whether an event of `stream` created at `created` is older than what the item already holds from that stream. */
export function isStale(
  stored: StoredItem<unknown> | undefined,
  stream: EventStream,
  created: number,
): boolean {
  const seen = stored?.eventClock?.[stream];
  return seen !== undefined && created < seen;
}

function written<T>(
  data: T,
  stored: StoredItem<unknown> | undefined,
  stream: EventStream,
  created: number,
): ItemWrite<T> {
  const clock = {
    ...(stored?.eventClock ?? {}),
    [stream]: Math.max(stored?.eventClock?.[stream] ?? 0, created),
  };
  const newest = Math.max(...Object.values(clock).filter((v): v is number => typeof v === 'number'));
  return { data, eventClock: clock, updatedFromEventAt: isoFromEpoch(newest) };
}

/**
 * The charge after a charge snapshot: its facts replace the stored ones (an operator's `orderId` stays
 * when Stripe's metadata has none), the invoice's link stays, and `refundedAmount` never goes down.
 * Null: the event is older than the item's last charge snapshot (changes nothing).
 */
export function mergeChargeSnapshot(
  stored: StoredItem<Charge> | undefined,
  facts: ChargeFacts,
  created: number,
  refundedOutside?: MinorUnits,
): ItemWrite<Charge> | null {
  if (isStale(stored, 'charge', created)) return null;
  const before = stored?.data;
  const refundedAmount = Math.max(before?.refundedAmount ?? 0, refundedOutside ?? 0);
  const charge: Charge = {
    ...(before ?? {}),
    ...facts,
    ...((facts.orderId ?? before?.orderId) ? { orderId: facts.orderId ?? before?.orderId } : {}),
    ...(refundedAmount > 0 ? { refundedAmount } : {}),
  };
  return written(charge, stored, 'charge', created);
}

/**
 * The charge after a paid invoice: its subscription and billing period. A charge not stored yet is
 * created from the invoice (amount paid, paid at); a later charge snapshot replaces those facts with
 * the charge's own. Null when older than the item's last invoice event.
 */
export function mergeInvoiceLink(
  stored: StoredItem<Charge> | undefined,
  chargeId: string,
  link: InvoiceLink,
  payment: InvoicePayment,
  created: number,
): ItemWrite<Charge> | null {
  if (isStale(stored, 'invoice', created)) return null;
  const before = stored?.data;
  const charge: Charge = {
    ...(before ?? {
      id: chargeId,
      amount: payment.amount,
      currency: link.currency,
      chargedAt: link.paidAt,
      ...(payment.paymentIntentId ? { paymentIntentId: payment.paymentIntentId } : {}),
    }),
    subscriptionId: link.subscriptionId,
    ...(link.billingPeriodStart ? { billingPeriodStart: link.billingPeriodStart } : {}),
  };
  return written(charge, stored, 'invoice', created);
}

/** The subscription as Stripe has it now (it replaces the stored one); null when the event is older. */
export function mergeSubscription(
  stored: StoredItem<Subscription> | undefined,
  subscription: Subscription,
  created: number,
): ItemWrite<Subscription> | null {
  if (isStale(stored, 'subscription', created)) return null;
  return written(subscription, stored, 'subscription', created);
}

/** The profile with its Stripe customer; null when nothing changes (no write). */
export function mergeProfile(
  stored: StoredItem<CustomerProfile> | undefined,
  customerId: string,
  customer: StripeCustomerView,
  created: number,
): ItemWrite<CustomerProfile> | null {
  const next = profileWithStripe(stored?.data, customerId, customer);
  if (stored && JSON.stringify(next) === JSON.stringify(stored.data)) return null;
  return written(next, stored, 'profile', created);
}

/** What charge.refunded leaves as refunded outside Refund Hub (never below 0). */
export function refundedOutside(outside: OutsideRefunds, ledgerHeld: MinorUnits): MinorUnits {
  return outside.kind === 'listed' ? outside.amount : Math.max(0, outside.amountRefunded - ledgerHeld);
}

/** Whether a refund status change hands the case to a person: the refund failed after it was pending or paid. */
export function needsHandOff(
  applied: {
    readonly changed: boolean;
    readonly previous: RefundStatus | null;
    readonly line: { readonly status: RefundStatus } | null;
  },
  retake: boolean,
): boolean {
  const failed = applied.line?.status === 'failed' || applied.line?.status === 'canceled';
  if (!failed) return false;
  if (applied.changed) return applied.previous === 'pending' || applied.previous === 'succeeded';
  // A delivery that crashed after the ledger moved and before the hand-off: hand off now (idempotent).
  return retake;
}

/** Whether a refund status change tells the customer the refund is confirmed: it was pending and Stripe paid it. */
export function needsConfirmation(
  applied: {
    readonly changed: boolean;
    readonly previous: RefundStatus | null;
    readonly line: { readonly status: RefundStatus } | null;
  },
  retake: boolean,
): boolean {
  if (applied.line?.status !== 'succeeded') return false;
  if (applied.changed) return applied.previous === 'pending';
  // As for the hand-off: a crashed delivery's redelivery sends the (deterministically keyed) notice again.
  return retake;
}

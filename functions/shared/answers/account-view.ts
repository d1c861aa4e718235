/**
 * What the answers need from the customer's account, small enough to travel in the workflow's state (256 KB): each
 * subscription's state, the newest charges, the order in question, the order a return would be about, and the
 * unrefunded billing errors. Built once by the LoadCustomerAccount step. Pure: the account and `now` in.
 */

import { assessBilling, effectiveCancellation } from '../../compare-billing/domain.js';
import { selectOrder } from '../../load-account/domain.js';
import type { CustomerAccount } from '../accounts.js';
import { isAfter, toEpochMs } from '../instants.js';
import { type EarlierReturn, returnEligibility } from '../return-eligibility.js';
import { type IsoInstant, ORDER_STATUSES, type Order } from '../types.js';
import * as z from '../zod.js';

/** Caps that keep the view small whatever the account holds (the answers name the newest first). */
export const VIEW_LIMITS = { subscriptions: 10, charges: 12, billingErrors: 5 } as const;

const instant = z.string();
const money = { amount: z.int(), currency: z.string() };

export const orderViewSchema = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  carrier: z.nullable(z.string()),
  trackingId: z.nullable(z.string()),
  placedAt: instant,
  promisedBy: z.nullable(instant),
  deliveredAt: z.nullable(instant),
  /** `now` is past `promisedBy` and the order is neither delivered nor lost. */
  late: z.boolean(),
});

export const accountViewSchema = z.object({
  subscriptions: z.array(
    z.object({
      id: z.string(),
      plan: z.string(),
      status: z.enum(['active', 'cancelled']),
      cancelledAt: z.nullable(instant),
      /** `cancellationEffectiveAt ?? cancelledAt` (POLICY "Data"). */
      effectiveAt: z.nullable(instant),
    }),
  ),
  /** Newest first; `chargesLeftOut` says how many older ones are not listed. */
  charges: z.array(
    z.object({
      subscriptionId: z.nullable(z.string()),
      orderId: z.nullable(z.string()),
      ...money,
      chargedAt: instant,
    }),
  ),
  chargesLeftOut: z.int().check(z.nonnegative()),
  /** The order the request named, if any (it may be unknown: then `order` is null). */
  // nullish: the state machine's default view (StartCase) cannot carry a null (CDK drops it).
  requestedOrderId: z.nullish(z.string()),
  /** The order a tracking question is about: the named one, else the most recent by `placedAt`. */
  order: z.nullish(orderViewSchema),
  /** The order a return would be about: the named one, else the most recently delivered. */
  returnOrder: z.nullish(
    z.object({
      order: orderViewSchema,
      eligible: z.boolean(),
      reason: z.nullable(z.enum(['not_delivered', 'window_closed', 'final_sale', 'quantity'])),
      windowEndsAt: z.nullable(instant),
    }),
  ),
  returnWindowDays: z.int().check(z.nonnegative()),
  /** Billing errors with something left to refund, oldest first, in their charge's currency. */
  billingErrors: z.array(
    z.object({
      subscriptionId: z.string(),
      plan: z.string(),
      ...money,
      chargedAt: instant,
      kinds: z.array(z.enum(['after_cancellation', 'duplicate'])),
    }),
  ),
});

export type AccountView = z.infer<typeof accountViewSchema>;
export type OrderView = z.infer<typeof orderViewSchema>;

/** The view of an account that holds nothing (a customer unknown to the accounts table). */
export const EMPTY_ACCOUNT_VIEW: AccountView = {
  subscriptions: [],
  charges: [],
  chargesLeftOut: 0,
  requestedOrderId: null,
  order: null,
  returnOrder: null,
  returnWindowDays: 30,
  billingErrors: [],
};

export function orderView(order: Order, now: IsoInstant): OrderView {
  const late =
    order.status !== 'delivered' &&
    order.status !== 'lost' &&
    order.promisedBy !== undefined &&
    isAfter(now, order.promisedBy);
  return {
    id: order.id,
    status: order.status,
    carrier: order.carrier ?? null,
    trackingId: order.trackingId ?? null,
    placedAt: order.placedAt,
    promisedBy: order.promisedBy ?? null,
    deliveredAt: order.deliveredAt ?? null,
    late,
  };
}

/**
 * The order of the account a message names by its id ("return O-4 please", "order #112-4471"), the first one named;
 * null when it names none. Only ids the account holds count, compared as whole tokens and case-insensitively.
 */
export function orderNamedIn(message: string, orders: readonly Order[]): string | null {
  const text = message.toLowerCase();
  let first: { id: string; at: number } | null = null;
  for (const order of orders) {
    const id = order.id.toLowerCase();
    if (!id) continue;
    let from = text.indexOf(id);
    while (from >= 0) {
      const before = text[from - 1];
      const after = text[from + id.length];
      const boundary = (c: string | undefined) => c === undefined || !/[a-z0-9-]/.test(c);
      if (boundary(before) && boundary(after)) {
        if (!first || from < first.at) first = { id: order.id, at: from };
        break;
      }
      from = text.indexOf(id, from + 1);
    }
  }
  return first?.id ?? null;
}

/** The named order, else the most recently delivered one. */
function orderToReturn(orders: readonly Order[], requestedOrderId: string | null): Order | undefined {
  if (requestedOrderId) return orders.find((o) => o.id === requestedOrderId);
  return orders
    .filter((o) => o.status === 'delivered')
    .sort((a, b) => toEpochMs(b.deliveredAt ?? b.placedAt) - toEpochMs(a.deliveredAt ?? a.placedAt))[0];
}

export function accountView(
  account: CustomerAccount,
  options: {
    readonly now: IsoInstant;
    readonly orderId: string | null;
    readonly returnWindowDays: number;
    /** The customer's message: an order id of the account it names is the order a return is about. */
    readonly message?: string;
    /** Returns started earlier: what they took back is no longer returnable. */
    readonly earlierReturns?: readonly EarlierReturn[];
  },
): AccountView {
  const { now, orderId, returnWindowDays } = options;
  const returnOrderId = orderId ?? (options.message ? orderNamedIn(options.message, account.orders) : null);
  const plans = new Map(account.subscriptions.map((s) => [s.id, s.plan]));
  const charges = [...account.charges].sort((a, b) => toEpochMs(b.chargedAt) - toEpochMs(a.chargedAt));
  const tracked = selectOrder(account.orders, orderId);
  const toReturn = orderToReturn(account.orders, returnOrderId);
  const eligibility = toReturn
    ? returnEligibility(toReturn, now, { returnWindowDays, earlierReturns: options.earlierReturns ?? [] })
    : undefined;
  return {
    subscriptions: account.subscriptions.slice(0, VIEW_LIMITS.subscriptions).map((s) => ({
      id: s.id,
      plan: s.plan,
      status: s.status,
      cancelledAt: s.cancelledAt ?? null,
      effectiveAt: effectiveCancellation(s) ?? null,
    })),
    charges: charges.slice(0, VIEW_LIMITS.charges).map((c) => ({
      subscriptionId: c.subscriptionId ?? null,
      orderId: c.orderId ?? null,
      amount: c.amount,
      currency: c.currency,
      chargedAt: c.chargedAt,
    })),
    chargesLeftOut: Math.max(0, charges.length - VIEW_LIMITS.charges),
    requestedOrderId: orderId,
    order: tracked ? orderView(tracked, now) : null,
    returnOrder:
      toReturn && eligibility
        ? {
            order: orderView(toReturn, now),
            eligible: eligibility.eligible,
            reason: eligibility.eligible ? null : eligibility.reason,
            windowEndsAt: eligibility.windowEndsAt ?? null,
          }
        : null,
    returnWindowDays,
    billingErrors: assessBilling(account.subscriptions, account.charges)
      .billingErrors.filter((e) => e.refundable > 0)
      .slice(0, VIEW_LIMITS.billingErrors)
      .map((e) => ({
        subscriptionId: e.subscriptionId,
        plan: plans.get(e.subscriptionId) ?? 'subscription',
        amount: e.refundable,
        currency: e.currency,
        chargedAt: e.chargedAt,
        kinds: [...e.kinds],
      })),
  };
}

/**
 * The customer's order list (GET /v1/orders): every order newest first by `placedAt`, a page at a time, each with what
 * is still returnable of it now. Pure: the return rules are `returnEligibility`'s (the ones POST /v1/returns applies),
 * so the list never offers a return the workflow would refuse.
 */
import { toEpochMs } from '../shared/instants.js';
import {
  type EarlierReturn,
  type ReturnRejection,
  returnEligibility,
  returnedSoFar,
  returnWindowEnd,
} from '../shared/return-eligibility.js';
import type { IsoInstant, MinorUnits, Order, OrderStatus } from '../shared/types.js';

export interface OrderLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: MinorUnits;
  readonly finalSale: boolean;
  /** Taken back by earlier returns (those not rejected or expired). */
  readonly returned: number;
  /** What a return started now may take back: 0 outside the window, for a final-sale item, or when all went back. */
  readonly returnable: number;
}

export interface OrderSummary {
  readonly orderId: string;
  readonly placedAt: IsoInstant;
  readonly status: OrderStatus;
  readonly carrier: string | null;
  readonly trackingId: string | null;
  readonly deliveredAt: IsoInstant | null;
  readonly total: MinorUnits;
  readonly currency: string;
  readonly items: readonly OrderLine[];
  /** The window's last instant (a return then is still accepted); null until the order is delivered. */
  readonly returnWindowEndsAt: IsoInstant | null;
  readonly insideReturnWindow: boolean;
  /** Whether a return of at least one item can be started now, and if not, the rule that says no. */
  readonly returnable: boolean;
  readonly notReturnableReason: ReturnRejection | null;
}

/** Where a page ends: the last order listed (its place in the newest-first order). */
export interface OrderPosition {
  readonly placedAt: IsoInstant;
  readonly orderId: string;
}

export interface OrderPage {
  readonly orders: readonly OrderSummary[];
  /** The position to continue after, or null on the last page. */
  readonly next: OrderPosition | null;
}

/** Newest first by `placedAt` as an instant; the same instant by order id (as `selectOrder` breaks ties). */
function compare(a: OrderPosition, b: OrderPosition): number {
  return toEpochMs(b.placedAt) - toEpochMs(a.placedAt) || a.orderId.localeCompare(b.orderId);
}

export function orderSummary(
  order: Order,
  now: IsoInstant,
  returnWindowDays: number,
  earlierReturns: readonly EarlierReturn[],
): OrderSummary {
  const eligibility = returnEligibility(order, now, { returnWindowDays, earlierReturns });
  const left = new Map(eligibility.eligible ? eligibility.returnable.map((r) => [r.sku, r.quantity]) : []);
  return {
    orderId: order.id,
    placedAt: order.placedAt,
    status: order.status,
    carrier: order.carrier ?? null,
    trackingId: order.trackingId ?? null,
    deliveredAt: order.deliveredAt ?? null,
    total: order.total,
    currency: order.currency,
    items: (order.items ?? []).map((i) => ({
      sku: i.sku,
      name: i.name,
      quantity: i.quantity,
      unitPrice: i.unitPrice,
      finalSale: i.finalSale === true,
      returned: Math.min(i.quantity, returnedSoFar(order.id, earlierReturns, i.sku)),
      returnable: left.get(i.sku) ?? 0,
    })),
    returnWindowEndsAt: returnWindowEnd(order, returnWindowDays),
    insideReturnWindow:
      eligibility.eligible ||
      (eligibility.reason !== 'not_delivered' && eligibility.reason !== 'window_closed'),
    returnable: eligibility.eligible,
    notReturnableReason: eligibility.eligible ? null : eligibility.reason,
  };
}

/**
 * One page of the customer's orders after `after` (the previous page's `next`), at most `limit` of them. A position
 * whose order has gone still pages on from its place in the order.
 */
export function orderPage(
  orders: readonly Order[],
  earlierReturns: readonly EarlierReturn[],
  now: IsoInstant,
  options: { readonly returnWindowDays: number; readonly limit: number; readonly after?: OrderPosition },
): OrderPage {
  const { after, limit, returnWindowDays } = options;
  const sorted = orders
    .map((order) => ({ order, position: { placedAt: order.placedAt, orderId: order.id } }))
    .filter((o) => after === undefined || compare(after, o.position) < 0)
    .sort((a, b) => compare(a.position, b.position));
  const page = sorted.slice(0, limit);
  const last = page.at(-1);
  return {
    orders: page.map((o) => orderSummary(o.order, now, returnWindowDays, earlierReturns)),
    next: sorted.length > limit && last ? last.position : null,
  };
}

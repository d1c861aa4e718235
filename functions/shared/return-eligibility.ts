/**
 * Whether an order's items can be returned (POLICY.md v2 "Returns"). Pure: the answers, the suggestions and the returns
 * workflow all ask this one function, so the chat never promises a return the workflow would refuse.
 */
import { toEpochMs } from './instants.js';
import type { IsoInstant, MinorUnits, Order } from './types.js';

export const DAY_MS = 86_400_000;

export type ReturnRejection = 'not_delivered' | 'window_closed' | 'final_sale' | 'quantity';

export interface ReturnItemRequest {
  readonly sku: string;
  readonly quantity: number;
}

/** A return started earlier (replay's `returns`, or the Returns table): it counts for quantities and for the 90-day count. */
export interface EarlierReturn {
  readonly orderId: string;
  readonly at: IsoInstant;
  readonly items: readonly ReturnItemRequest[];
}

export type ReturnEligibility =
  | {
      readonly eligible: true;
      /** The window's last instant: a return at exactly this instant is still accepted. */
      readonly windowEndsAt: IsoInstant;
      /** `unitPrice × quantity` summed over the requested items, in the order's currency. */
      readonly refundAmount: MinorUnits;
      readonly currency: string;
      /** What is still returnable per sku (bought less earlier returns, final-sale items left out). */
      readonly returnable: readonly ReturnItemRequest[];
    }
  | { readonly eligible: false; readonly reason: ReturnRejection; readonly windowEndsAt?: IsoInstant };

/** The instant the return window closes, or null for an order not delivered. */
export function returnWindowEnd(order: Order, returnWindowDays: number): IsoInstant | null {
  if (order.status !== 'delivered' || order.deliveredAt === undefined) return null;
  return new Date(toEpochMs(order.deliveredAt) + returnWindowDays * DAY_MS).toISOString();
}

/** How many of `sku` on the order earlier returns took (or may still take) back. */
export function returnedSoFar(orderId: string, earlier: readonly EarlierReturn[], sku: string): number {
  return earlier
    .filter((r) => r.orderId === orderId)
    .flatMap((r) => r.items)
    .filter((i) => i.sku === sku)
    .reduce((sum, i) => sum + i.quantity, 0);
}

/**
 * The rules in POLICY's order: delivered, inside the window, no final-sale item, quantities. Without `requested`
 * (a question in the chat, a suggestion) every returnable item is assumed, and final-sale items are simply left out;
 * an order with nothing returnable left is `final_sale` or `quantity`.
 */
export function returnEligibility(
  order: Order,
  now: IsoInstant,
  options: {
    readonly returnWindowDays: number;
    readonly earlierReturns?: readonly EarlierReturn[];
    readonly requested?: readonly ReturnItemRequest[];
  },
): ReturnEligibility {
  const windowEndsAt = returnWindowEnd(order, options.returnWindowDays);
  if (windowEndsAt === null) return { eligible: false, reason: 'not_delivered' };
  if (toEpochMs(now) > toEpochMs(windowEndsAt))
    return { eligible: false, reason: 'window_closed', windowEndsAt };

  const items = order.items ?? [];
  const earlier = options.earlierReturns ?? [];
  const returnable = items
    .filter((i) => !i.finalSale)
    .map((i) => ({ sku: i.sku, quantity: i.quantity - returnedSoFar(order.id, earlier, i.sku) }))
    .filter((i) => i.quantity > 0);

  const requested = options.requested;
  if (requested === undefined) {
    if (returnable.length > 0) {
      const refundAmount = returnable.reduce((sum, r) => sum + r.quantity * unitPrice(order, r.sku), 0);
      return { eligible: true, windowEndsAt, refundAmount, currency: order.currency, returnable };
    }
    const anyRegular = items.some((i) => !i.finalSale);
    return {
      eligible: false,
      reason: anyRegular || items.length === 0 ? 'quantity' : 'final_sale',
      windowEndsAt,
    };
  }

  if (requested.some((r) => items.find((i) => i.sku === r.sku)?.finalSale === true)) {
    return { eligible: false, reason: 'final_sale', windowEndsAt };
  }
  const quantityOk = requested.every((r) => {
    const left = returnable.find((i) => i.sku === r.sku)?.quantity ?? 0;
    return Number.isInteger(r.quantity) && r.quantity > 0 && r.quantity <= left;
  });
  // The same sku named twice counts once per line: their sum must also fit.
  const perSku = new Map<string, number>();
  for (const r of requested) perSku.set(r.sku, (perSku.get(r.sku) ?? 0) + r.quantity);
  const sumsOk = [...perSku].every(
    ([sku, qty]) => qty <= (returnable.find((i) => i.sku === sku)?.quantity ?? 0),
  );
  if (requested.length === 0 || !quantityOk || !sumsOk)
    return { eligible: false, reason: 'quantity', windowEndsAt };

  const refundAmount = requested.reduce((sum, r) => sum + r.quantity * unitPrice(order, r.sku), 0);
  return { eligible: true, windowEndsAt, refundAmount, currency: order.currency, returnable };
}

function unitPrice(order: Order, sku: string): MinorUnits {
  return order.items?.find((i) => i.sku === sku)?.unitPrice ?? 0;
}

/**
 * Returns started in the 90 days (or `days`) before `now`, for `maxReturnsPer90Days`. A return exactly 90 days old no
 * longer counts, as an automatic refund exactly 30 days old no longer counts for rule 7: a boundary of a look-back count
 * falls in the customer's favour (as the return window's last instant does).
 */
export function returnsInWindow(earlier: readonly EarlierReturn[], now: IsoInstant, days = 90): number {
  const end = toEpochMs(now);
  const from = end - days * DAY_MS;
  return earlier.filter((r) => toEpochMs(r.at) > from && toEpochMs(r.at) < end).length;
}

/**
 * Which order a tracking request is about, and the facts the policy routes on
 * (POLICY.md rule 10 and "For order tracking, the order is the one the request names...").
 */
import { isAfter, toEpochMs } from '../shared/instants.js';
import type { IsoInstant, MinorUnits, Order, OrderStatus } from '../shared/types.js';

export interface OrderFacts {
  readonly found: boolean;
  readonly orderId: string | null;
  /** 0 when no order was found, so the state machine can compare it without a null check. */
  readonly total: MinorUnits;
  readonly currency: string | null;
  readonly status: OrderStatus | null;
  /** `now` is past `promisedBy` and the order is not delivered. */
  readonly late: boolean;
  /** lost, delivered (the customer is asking about it anyway) or late. */
  readonly deliveryProblem: boolean;
}

export const NO_ORDER: OrderFacts = {
  found: false,
  orderId: null,
  total: 0,
  currency: null,
  status: null,
  late: false,
  deliveryProblem: false,
};

/** The named order, else the most recent by `placedAt` (as an instant); none when the named one is unknown. */
export function selectOrder(orders: readonly Order[], requestedOrderId: string | null): Order | undefined {
  if (requestedOrderId) return orders.find((o) => o.id === requestedOrderId);
  return [...orders].sort(
    (a, b) => toEpochMs(b.placedAt) - toEpochMs(a.placedAt) || a.id.localeCompare(b.id),
  )[0];
}

export function orderFacts(order: Order | undefined, now: IsoInstant): OrderFacts {
  if (!order) return NO_ORDER;
  const late =
    order.status !== 'delivered' && order.promisedBy !== undefined && isAfter(now, order.promisedBy);
  return {
    found: true,
    orderId: order.id,
    total: order.total,
    currency: order.currency,
    status: order.status,
    late,
    deliveryProblem: order.status === 'lost' || order.status === 'delivered' || late,
  };
}

/**
 * Returns customers for the tests (browser, workflow, API): a delivered order, the charge that paid it, and the
 * account holding them, seeded on the embedded runtime. One place, so every returns test seeds the same shapes.
 */
import type { CustomerAccount } from '../functions/shared/accounts.js';
import type { Charge, IsoInstant, Order, OrderItem } from '../functions/shared/types.js';
import { seedAccount } from '../local/cases.js';
import type { LocalRuntime } from '../local/runtime.js';

const DAY_MS = 86_400_000;

/** The instant `days` days before `now` (ISO), for orders that must stay inside (or outside) a window on any day. */
export const daysBefore = (now: Date, days: number): IsoInstant =>
  new Date(now.getTime() - days * DAY_MS).toISOString();

/** A delivered order of `items` in USD; its total is what the items cost. */
export function deliveredOrder(
  id: string,
  items: readonly OrderItem[],
  when: { readonly placedAt: IsoInstant; readonly deliveredAt: IsoInstant },
  extra: Partial<Order> = {},
): Order {
  return {
    id,
    total: items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0),
    currency: 'USD',
    status: 'delivered',
    placedAt: when.placedAt,
    deliveredAt: when.deliveredAt,
    items,
    ...extra,
  };
}

/** The charge that paid for `order` (its total, its currency, a minute after it was placed). */
export function chargeFor(order: Order, extra: Partial<Charge> & { readonly id?: string } = {}): Charge {
  return {
    id: `CH-${order.id}`,
    orderId: order.id,
    amount: order.total,
    currency: order.currency,
    chargedAt: new Date(Date.parse(order.placedAt) + 60_000).toISOString(),
    ...extra,
  };
}

/** A customer with `orders` and, unless given, one charge per order. */
export function returnsAccount(
  customerId: string,
  orders: readonly Order[],
  charges: readonly Charge[] = orders.map((o) => chargeFor(o)),
): CustomerAccount {
  return { profile: { id: customerId }, subscriptions: [], charges: [...charges], orders: [...orders] };
}

export async function seedReturnsCustomer(
  runtime: LocalRuntime,
  customerId: string,
  orders: readonly Order[],
  charges?: readonly Charge[],
): Promise<string> {
  await seedAccount(runtime, returnsAccount(customerId, orders, charges));
  return customerId;
}

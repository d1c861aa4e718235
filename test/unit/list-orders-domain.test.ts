/** GET /v1/orders' listing (functions/list-orders/domain.ts): order, pages, and what is returnable now. Pure. */
import { describe, expect, it } from 'vitest';
import { orderPage, orderSummary } from '../../functions/list-orders/domain.js';
import type { EarlierReturn } from '../../functions/shared/return-eligibility.js';
import type { Order } from '../../functions/shared/types.js';

const NOW = '2026-03-20T12:00:00Z';
const WINDOW = { returnWindowDays: 30 };

const delivered = (id: string, placedAt: string, deliveredAt: string, extra: Partial<Order> = {}): Order => ({
  id,
  total: 6400,
  currency: 'USD',
  status: 'delivered',
  placedAt,
  deliveredAt,
  carrier: 'UPS',
  trackingId: `1Z-${id}`,
  items: [
    { sku: 'SKU-MUG', name: 'Mug', quantity: 2, unitPrice: 2450 },
    { sku: 'SKU-CARD', name: 'Gift card', quantity: 1, unitPrice: 1500, finalSale: true },
  ],
  ...extra,
});

describe('orderSummary', () => {
  it('lists every item with what is still returnable, final-sale items at 0, and the window it is in', () => {
    const summary = orderSummary(
      delivered('O-1', '2026-03-10T09:00:00Z', '2026-03-15T10:00:00Z'),
      NOW,
      30,
      [],
    );
    expect(summary).toMatchObject({
      orderId: 'O-1',
      status: 'delivered',
      carrier: 'UPS',
      trackingId: '1Z-O-1',
      deliveredAt: '2026-03-15T10:00:00Z',
      total: 6400,
      currency: 'USD',
      returnWindowEndsAt: '2026-04-14T10:00:00.000Z',
      insideReturnWindow: true,
      returnable: true,
      notReturnableReason: null,
    });
    expect(summary.items).toEqual([
      {
        sku: 'SKU-MUG',
        name: 'Mug',
        quantity: 2,
        unitPrice: 2450,
        finalSale: false,
        returned: 0,
        returnable: 2,
      },
      {
        sku: 'SKU-CARD',
        name: 'Gift card',
        quantity: 1,
        unitPrice: 1500,
        finalSale: true,
        returned: 0,
        returnable: 0,
      },
    ]);
  });

  it('subtracts what an earlier return of the same order took back, and ignores other orders', () => {
    const earlier: EarlierReturn[] = [
      { orderId: 'O-1', at: '2026-03-16T10:00:00Z', items: [{ sku: 'SKU-MUG', quantity: 1 }] },
      { orderId: 'O-2', at: '2026-03-16T10:00:00Z', items: [{ sku: 'SKU-MUG', quantity: 1 }] },
    ];
    const summary = orderSummary(
      delivered('O-1', '2026-03-10T09:00:00Z', '2026-03-15T10:00:00Z'),
      NOW,
      30,
      earlier,
    );
    expect(summary.returnable).toBe(true);
    expect(summary.items[0]).toMatchObject({ sku: 'SKU-MUG', returned: 1, returnable: 1 });
  });

  it('says "quantity" once everything returnable went back, still inside the window', () => {
    const earlier: EarlierReturn[] = [
      { orderId: 'O-1', at: '2026-03-16T10:00:00Z', items: [{ sku: 'SKU-MUG', quantity: 2 }] },
    ];
    const summary = orderSummary(
      delivered('O-1', '2026-03-10T09:00:00Z', '2026-03-15T10:00:00Z'),
      NOW,
      30,
      earlier,
    );
    expect(summary).toMatchObject({
      returnable: false,
      notReturnableReason: 'quantity',
      insideReturnWindow: true,
    });
    expect(summary.items.map((i) => i.returnable)).toEqual([0, 0]);
  });

  it('closes the window after its last instant (accepted at exactly that instant), with nothing returnable', () => {
    const order = delivered('O-1', '2026-02-10T09:00:00Z', '2026-02-18T12:00:00Z');
    const lastInstant = orderSummary(order, '2026-03-20T12:00:00.000Z', 30, []);
    expect(lastInstant).toMatchObject({ insideReturnWindow: true, returnable: true });
    const after = orderSummary(order, '2026-03-20T12:00:00.001Z', 30, []);
    expect(after).toMatchObject({
      insideReturnWindow: false,
      returnable: false,
      notReturnableReason: 'window_closed',
      returnWindowEndsAt: '2026-03-20T12:00:00.000Z',
    });
    expect(after.items.map((i) => i.returnable)).toEqual([0, 0]);
  });

  it('an order not delivered yet has no window and nothing returnable; a final-sale-only order says so', () => {
    const shipped = orderSummary(
      { id: 'O-3', total: 900, currency: 'EUR', status: 'shipped', placedAt: '2026-03-18T09:00:00Z' },
      NOW,
      30,
      [],
    );
    expect(shipped).toMatchObject({
      deliveredAt: null,
      carrier: null,
      trackingId: null,
      items: [],
      returnWindowEndsAt: null,
      insideReturnWindow: false,
      returnable: false,
      notReturnableReason: 'not_delivered',
    });
    const finalSale = orderSummary(
      delivered('O-4', '2026-03-10T09:00:00Z', '2026-03-15T10:00:00Z', {
        items: [{ sku: 'SKU-CARD', name: 'Gift card', quantity: 1, unitPrice: 1500, finalSale: true }],
      }),
      NOW,
      30,
      [],
    );
    expect(finalSale).toMatchObject({
      returnable: false,
      notReturnableReason: 'final_sale',
      insideReturnWindow: true,
    });
  });
});

describe('orderPage', () => {
  const orders: Order[] = [
    delivered('O-old', '2026-01-05T09:00:00Z', '2026-01-08T09:00:00Z'),
    // The same instant in another offset as O-b: ties go by order id.
    delivered('O-c', '2026-03-12T10:00:00+01:00', '2026-03-15T09:00:00Z'),
    delivered('O-new', '2026-03-18T09:00:00Z', '2026-03-19T09:00:00Z'),
    delivered('O-b', '2026-03-12T09:00:00Z', '2026-03-15T09:00:00Z'),
    { id: 'O-mid', total: 100, currency: 'USD', status: 'processing', placedAt: '2026-03-14T09:00:00Z' },
  ];

  it('lists newest first by placedAt as an instant, a page at a time, each order once', () => {
    let page = orderPage(orders, [], NOW, { ...WINDOW, limit: 2 });
    const pages = [page.orders.map((o) => o.orderId)];
    const seen = [...page.orders.map((o) => o.orderId)];
    while (page.next) {
      page = orderPage(orders, [], NOW, { ...WINDOW, limit: 2, after: page.next });
      pages.push(page.orders.map((o) => o.orderId));
      seen.push(...page.orders.map((o) => o.orderId));
    }
    expect(pages).toEqual([['O-new', 'O-mid'], ['O-b', 'O-c'], ['O-old']]);
    expect(seen).toHaveLength(orders.length);
  });

  it('has no next page when the last one is exactly full, or when there are no orders', () => {
    const page = orderPage(orders, [], NOW, { ...WINDOW, limit: 5 });
    expect(page.orders).toHaveLength(5);
    expect(page.next).toBeNull();
    expect(orderPage([], [], NOW, { ...WINDOW, limit: 5 })).toEqual({ orders: [], next: null });
  });

  it('pages on from a position whose order has gone', () => {
    const page = orderPage(orders, [], NOW, {
      ...WINDOW,
      limit: 10,
      after: { placedAt: '2026-03-13T00:00:00Z', orderId: 'O-gone' },
    });
    expect(page.orders.map((o) => o.orderId)).toEqual(['O-b', 'O-c', 'O-old']);
  });

  it('reads the window with the injected clock: the old order is outside it now, inside it in January', () => {
    const now = orderPage(orders, [], NOW, { ...WINDOW, limit: 10 }).orders.find(
      (o) => o.orderId === 'O-old',
    );
    expect(now?.notReturnableReason).toBe('window_closed');
    const then = orderPage(orders, [], '2026-01-20T00:00:00Z', { ...WINDOW, limit: 10 }).orders.find(
      (o) => o.orderId === 'O-old',
    );
    expect(then?.returnable).toBe(true);
  });
});

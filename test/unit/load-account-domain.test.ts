import { describe, expect, it } from 'vitest';
import { NO_ORDER, orderFacts, selectOrder } from '../../functions/load-account/domain.js';
import type { Order } from '../../functions/shared/types.js';

const order = (id: string, overrides: Partial<Order> = {}): Order => ({
  id,
  total: 64900,
  currency: 'USD',
  status: 'shipped',
  placedAt: '2026-02-01T10:00:00Z',
  ...overrides,
});

describe('selectOrder', () => {
  const orders = [
    order('ord-old', { placedAt: '2026-01-01T10:00:00Z' }),
    order('ord-new', { placedAt: '2026-02-10T10:00:00Z' }),
    order('ord-mid', { placedAt: '2026-02-05T10:00:00Z' }),
  ];

  it('picks the order the request names, even when it is not the most recent', () => {
    expect(selectOrder(orders, 'ord-old')?.id).toBe('ord-old');
  });

  it('finds no order when the named one is unknown (never falls back to another order)', () => {
    expect(selectOrder(orders, 'ord-unknown')).toBeUndefined();
  });

  it('picks the most recent by placedAt when the request names none', () => {
    expect(selectOrder(orders, null)?.id).toBe('ord-new');
  });

  it('compares placedAt as instants, not strings', () => {
    // Prepare: "2026-02-10T20:00:00-08:00" is 2026-02-11T04:00Z, after "2026-02-11T01:00:00Z",
    // although it sorts earlier as a string.
    const withOffsets = [
      order('ord-utc', { placedAt: '2026-02-11T01:00:00Z' }),
      order('ord-pst', { placedAt: '2026-02-10T20:00:00-08:00' }),
    ];

    // Act
    const selected = selectOrder(withOffsets, null);

    // Assess
    expect(selected?.id).toBe('ord-pst');
  });

  it('finds nothing for a customer without orders', () => {
    expect(selectOrder([], null)).toBeUndefined();
  });
});

describe('orderFacts', () => {
  const now = '2026-02-20T12:00:00Z';

  it('reports a late order when now is past promisedBy and it is not delivered', () => {
    const facts = orderFacts(order('ord-1', { status: 'shipped', promisedBy: '2026-02-18T12:00:00Z' }), now);

    expect(facts).toEqual({
      found: true,
      orderId: 'ord-1',
      total: 64900,
      currency: 'USD',
      status: 'shipped',
      late: true,
      deliveryProblem: true,
    });
  });

  it('is not late exactly at promisedBy (now must be past it)', () => {
    const facts = orderFacts(order('ord-1', { promisedBy: now }), now);

    expect(facts.late).toBe(false);
    expect(facts.deliveryProblem).toBe(false);
  });

  it('compares now and promisedBy as instants', () => {
    // promisedBy 2026-02-20T03:00:00-08:00 is 11:00Z, before now (12:00Z).
    const facts = orderFacts(order('ord-1', { promisedBy: '2026-02-20T03:00:00-08:00' }), now);

    expect(facts.late).toBe(true);
  });

  it('reports a delivered order as a delivery problem (the customer asks about it anyway), not late', () => {
    const facts = orderFacts(
      order('ord-1', {
        status: 'delivered',
        promisedBy: '2026-02-10T00:00:00Z',
        deliveredAt: '2026-02-12T00:00:00Z',
      }),
      now,
    );

    expect(facts.late).toBe(false);
    expect(facts.deliveryProblem).toBe(true);
  });

  it('reports a lost order as a delivery problem', () => {
    const facts = orderFacts(order('ord-1', { status: 'lost' }), now);

    expect(facts.status).toBe('lost');
    expect(facts.deliveryProblem).toBe(true);
  });

  it('reports no problem for an order still processing on time', () => {
    const facts = orderFacts(
      order('ord-1', { status: 'processing', promisedBy: '2026-02-25T00:00:00Z' }),
      now,
    );

    expect(facts.late).toBe(false);
    expect(facts.deliveryProblem).toBe(false);
  });

  it('reports no problem for an order without a promised date that is not lost or delivered', () => {
    const facts = orderFacts(order('ord-1', { status: 'out_for_delivery' }), now);

    expect(facts.deliveryProblem).toBe(false);
  });

  it('returns NO_ORDER (total 0, not found) when there is no order', () => {
    expect(orderFacts(undefined, now)).toEqual(NO_ORDER);
    expect(NO_ORDER).toMatchObject({ found: false, orderId: null, total: 0, deliveryProblem: false });
  });
});

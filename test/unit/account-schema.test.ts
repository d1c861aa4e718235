import { describe, expect, it } from 'vitest';
import { MAX_ENTITIES_PER_REQUEST, parseAccountRequest } from '../../functions/shared/account-schema.js';

const subscription = { id: 'SUB-1', plan: 'prime-monthly', status: 'active' };
const charge = {
  id: 'CH-1',
  subscriptionId: 'SUB-1',
  amount: 1499,
  currency: 'USD',
  chargedAt: '2026-03-15T08:00:00Z',
};
const order = {
  id: 'ORD-1',
  total: 2599,
  currency: 'EUR',
  status: 'shipped',
  placedAt: '2026-03-01T10:00:00+01:00',
};

/** The issues of a body, as `path: message`. */
function problems(body: unknown, customerId = 'C-1'): string[] {
  const parsed = parseAccountRequest(customerId, body);
  return parsed.ok ? [] : parsed.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
}

describe('account schema: a valid account', () => {
  it('accepts every field of POLICY v2 Data, with items, payment intent, name and email', () => {
    const parsed = parseAccountRequest('C-1', {
      profile: {
        id: 'C-1',
        phone: '+12065550101',
        name: 'Ada',
        email: 'ada@example.com',
        stripeCustomerId: 'cus_123',
        customerSince: '2025-06-01T09:00:00-07:00',
      },
      subscriptions: [{ ...subscription, status: 'cancelled', cancelledAt: '2026-02-14T10:00:00-08:00' }],
      charges: [
        {
          ...charge,
          refundedAmount: 499,
          billingPeriodStart: '2026-03-15T00:00:00Z',
          paymentIntentId: 'pi_1',
        },
      ],
      orders: [
        {
          ...order,
          status: 'delivered',
          deliveredAt: '2026-03-04T12:00:00Z',
          carrier: 'UPS',
          trackingId: '1Z999',
          promisedBy: '2026-03-05T00:00:00Z',
          items: [{ sku: 'SKU-1', name: 'Kettle', quantity: 1, unitPrice: 2599, finalSale: false }],
        },
      ],
    });
    expect(parsed.ok).toBe(true);
  });

  it('stores currency codes uppercase, whatever case they come in', () => {
    const parsed = parseAccountRequest('C-1', { charges: [{ ...charge, currency: 'usd' }] });
    expect(parsed.ok && parsed.value.charges?.[0]?.currency).toBe('USD');
  });

  it('lets an active subscription carry a scheduled cancellation (cancel at period end)', () => {
    const scheduled = {
      ...subscription,
      cancelledAt: '2026-03-05T10:00:00Z',
      cancellationEffectiveAt: '2026-03-14T23:59:59Z',
    };
    expect(problems({ subscriptions: [scheduled] })).toEqual([]);
  });

  it('accepts a charge naming a subscription or order that is not in the request (it may arrive later)', () => {
    expect(problems({ charges: [{ ...charge, subscriptionId: 'SUB-later', orderId: 'ORD-later' }] })).toEqual(
      [],
    );
  });
});

describe('account schema: every error names its field', () => {
  it.each([
    ['profile.id', { profile: { id: '' } }, /must be/],
    ['profile.phone', { profile: { id: 'C-1', phone: '206-555-0101' } }, /E\.164/],
    ['profile.email', { profile: { id: 'C-1', email: 'not-an-email' } }, /email/],
    ['profile.name', { profile: { id: 'C-1', name: '' } }, /must be/],
    ['profile.stripeCustomerId', { profile: { id: 'C-1', stripeCustomerId: 'acct_1' } }, /cus_/],
    [
      'profile.customerSince',
      { profile: { id: 'C-1', customerSince: '2025-06-01' } },
      /ISO-8601 instant with an offset/,
    ],
    ['profile.customerSince', { profile: { id: 'C-1', customerSince: 1717228800 } }, /ISO-8601/],
    ['subscriptions[0].id', { subscriptions: [{ ...subscription, id: 7 }] }, /must be/],
    ['subscriptions[0].plan', { subscriptions: [{ id: 'SUB-1', status: 'active' }] }, /is required/],
    [
      'subscriptions[0].status',
      { subscriptions: [{ ...subscription, status: 'paused' }] },
      /one of active, cancelled/,
    ],
    [
      'subscriptions[0].cancelledAt',
      { subscriptions: [{ ...subscription, cancelledAt: 'yesterday' }] },
      /ISO-8601/,
    ],
    [
      'subscriptions[0].cancellationEffectiveAt',
      { subscriptions: [{ ...subscription, cancellationEffectiveAt: 1 }] },
      /ISO-8601/,
    ],
    ['charges[0].amount', { charges: [{ ...charge, amount: 14.99 }] }, /whole number of minor units/],
    ['charges[0].currency', { charges: [{ ...charge, currency: 'DOLLARS' }] }, /ISO 4217/],
    ['charges[0].chargedAt', { charges: [{ ...charge, chargedAt: undefined }] }, /is required/],
    [
      'charges[0].billingPeriodStart',
      { charges: [{ ...charge, billingPeriodStart: '2026-03-15' }] },
      /ISO-8601/,
    ],
    ['charges[0].refundedAmount', { charges: [{ ...charge, refundedAmount: -1 }] }, /non-negative/],
    ['charges[0].subscriptionId', { charges: [{ ...charge, subscriptionId: '' }] }, /must be/],
    ['charges[0].orderId', { charges: [{ ...charge, orderId: 5 }] }, /must be/],
    ['charges[0].paymentIntentId', { charges: [{ ...charge, paymentIntentId: 'ch_1' }] }, /pi_/],
    ['orders[0].total', { orders: [{ ...order, total: '25.99' }] }, /minor units/],
    ['orders[0].currency', { orders: [{ ...order, currency: 'XYZ' }] }, /ISO 4217/],
    ['orders[0].status', { orders: [{ ...order, status: 'returned' }] }, /one of processing, shipped/],
    ['orders[0].placedAt', { orders: [{ ...order, placedAt: '2026-02-30T10:00:00Z' }] }, /ISO-8601/],
    ['orders[0].promisedBy', { orders: [{ ...order, promisedBy: 'soon' }] }, /ISO-8601/],
    ['orders[0].carrier', { orders: [{ ...order, carrier: '' }] }, /must be/],
    ['orders[0].trackingId', { orders: [{ ...order, trackingId: 12 }] }, /must be/],
    [
      'orders[0].items[0].sku',
      { orders: [{ ...order, items: [{ name: 'n', quantity: 1, unitPrice: 1 }] }] },
      /is required/,
    ],
    [
      'orders[0].items[0].name',
      { orders: [{ ...order, items: [{ sku: 's', quantity: 1, unitPrice: 1 }] }] },
      /is required/,
    ],
    [
      'orders[0].items[0].quantity',
      { orders: [{ ...order, items: [{ sku: 's', name: 'n', quantity: 0, unitPrice: 1 }] }] },
      /at least 1/,
    ],
    [
      'orders[0].items[0].unitPrice',
      { orders: [{ ...order, items: [{ sku: 's', name: 'n', quantity: 1, unitPrice: 1.5 }] }] },
      /minor units/,
    ],
    [
      'orders[0].items[0].finalSale',
      {
        orders: [{ ...order, items: [{ sku: 's', name: 'n', quantity: 1, unitPrice: 1, finalSale: 'no' }] }],
      },
      /true or false/,
    ],
  ])('%s', (path, body, message) => {
    const found = problems(body).find((p) => p.startsWith(`${path}: `));
    expect(found, `no issue on ${path} in ${JSON.stringify(problems(body))}`).toBeDefined();
    expect(found).toMatch(message);
  });

  it('names the array index of the entity at fault', () => {
    expect(
      problems({ charges: [charge, { ...charge, id: 'CH-2', chargedAt: '2026-03-15T08:00:00' }, charge] }),
    ).toContain(
      'charges[1].chargedAt: must be an ISO-8601 instant with an offset, e.g. 2026-02-14T23:30:00-08:00 or 2026-02-15T07:30:00Z',
    );
  });

  it('names an unknown (misspelt) field instead of dropping it', () => {
    expect(problems({ charges: [{ ...charge, refundedAmmount: 5 }] })).toEqual([
      'charges[0].refundedAmmount: is not a known field',
    ]);
    expect(problems({ customer: { id: 'C-1' } })).toEqual(['customer: is not a known field']);
  });

  it('refuses a body that is not an object', () => {
    expect(problems([charge])[0]).toMatch(/^must be a JSON object/);
  });
});

describe('account schema: instants need an offset', () => {
  it.each(['2026-03-15T08:00:00', '2026-03-15', '15/03/2026 08:00'])('refuses %s', (chargedAt) => {
    expect(problems({ charges: [{ ...charge, chargedAt }] })[0]).toMatch(
      /^charges\[0\]\.chargedAt: must be an ISO-8601 instant with an offset/,
    );
  });

  it.each(['2026-03-15T08:00:00Z', '2026-03-15T08:00:00-08:00', '2026-03-15T08:00:00.123+05:30'])(
    'accepts %s',
    (chargedAt) => {
      expect(problems({ charges: [{ ...charge, chargedAt }] })).toEqual([]);
    },
  );
});

describe('account schema: currencies are ISO 4217 codes', () => {
  it.each(['USD', 'eur', 'JPY', 'KWD'])('accepts %s', (currency) => {
    expect(problems({ charges: [{ ...charge, currency }] })).toEqual([]);
  });

  it.each(['US', 'USDX', 'ABC', '€', ''])('refuses %s', (currency) => {
    expect(problems({ charges: [{ ...charge, currency }] })).toEqual([
      'charges[0].currency: must be an ISO 4217 currency code such as USD',
    ]);
  });
});

describe('account schema: cross-field rules', () => {
  it('refuses refundedAmount above amount, and accepts it equal', () => {
    expect(problems({ charges: [{ ...charge, refundedAmount: 1500 }] })).toEqual([
      'charges[0].refundedAmount: cannot exceed amount (1499)',
    ]);
    expect(problems({ charges: [{ ...charge, refundedAmount: 1499 }] })).toEqual([]);
  });

  it('requires a cancelled subscription to say when', () => {
    expect(problems({ subscriptions: [{ ...subscription, status: 'cancelled' }] })).toEqual([
      'subscriptions[0].cancelledAt: is required on a cancelled subscription (or cancellationEffectiveAt)',
    ]);
    expect(
      problems({
        subscriptions: [
          { ...subscription, status: 'cancelled', cancellationEffectiveAt: '2026-03-01T00:00:00Z' },
        ],
      }),
    ).toEqual([]);
  });

  it('ties deliveredAt to delivered orders', () => {
    expect(problems({ orders: [{ ...order, status: 'delivered' }] })).toEqual([
      'orders[0].deliveredAt: is required on a delivered order',
    ]);
    expect(problems({ orders: [{ ...order, deliveredAt: '2026-03-04T12:00:00Z' }] })).toEqual([
      'orders[0].deliveredAt: is only for a delivered order (this one is shipped)',
    ]);
  });

  it('refuses the same sku twice in one order', () => {
    const item = { sku: 'SKU-1', name: 'Kettle', quantity: 1, unitPrice: 100 };
    expect(problems({ orders: [{ ...order, items: [item, item] }] })).toEqual([
      'orders[0].items[1].sku: appears twice in this order',
    ]);
  });

  it('refuses an id twice within one request, per kind (a charge and an order may share one)', () => {
    expect(problems({ charges: [charge, charge] })).toEqual([
      'charges[1].id: CH-1 appears more than once in charges',
    ]);
    expect(problems({ charges: [charge], orders: [{ ...order, id: 'CH-1' }] })).toEqual([]);
  });

  it("refuses a profile whose id is not the path's customer", () => {
    expect(problems({ profile: { id: 'C-2' } }, 'C-1')).toEqual([
      'profile.id: must be the customer id of the path (C-1)',
    ]);
  });

  it(`refuses more than ${MAX_ENTITIES_PER_REQUEST} entities in one request`, () => {
    const charges = Array.from({ length: 600 }, (_, i) => ({ ...charge, id: `CH-${i}` }));
    const orders = Array.from({ length: 401 }, (_, i) => ({ ...order, id: `ORD-${i}` }));
    expect(problems({ charges, orders })[0]).toMatch(/^1001 entities in one request; send at most 1000/);
    expect(problems({ charges, orders: orders.slice(1) })).toEqual([]);
  });
});

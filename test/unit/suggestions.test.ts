/** POLICY v2 "Suggestions", per kind and in the policy's order. Pure. */
import { describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { Order } from '../../functions/shared/types.js';
import { type CustomerReturn, customerDate, suggestionsFor } from '../../functions/suggestions/domain.js';

const NOW = '2026-03-20T12:00:00Z';
const empty = (): CustomerAccount => ({ profile: { id: 'C-1' }, subscriptions: [], charges: [], orders: [] });
const order = (id: string, extra: Partial<Order>): Order => ({
  id,
  total: 2599,
  currency: 'USD',
  status: 'shipped',
  placedAt: '2026-03-10T09:00:00Z',
  ...extra,
});

/** A charge after cancelling (a billing error) on one subscription, and a legitimate one before. */
function billedAfterCancelling(refundedAmount = 0): CustomerAccount {
  return {
    ...empty(),
    subscriptions: [{ id: 'SUB-1', plan: 'Prime', status: 'cancelled', cancelledAt: '2026-03-01T10:00:00Z' }],
    charges: [
      {
        id: 'CH-1',
        subscriptionId: 'SUB-1',
        amount: 1499,
        currency: 'USD',
        chargedAt: '2026-02-15T08:00:00Z',
      },
      {
        id: 'CH-2',
        subscriptionId: 'SUB-1',
        amount: 1499,
        currency: 'USD',
        chargedAt: '2026-03-15T08:00:00Z',
        refundedAmount,
      },
    ],
  };
}

describe('suggestionsFor', () => {
  it('suggests nothing for an account with nothing wrong', () => {
    expect(suggestionsFor(empty(), NOW)).toEqual([]);
  });

  it("an unrefunded billing error: amount and date in the customer's words, never the charge id, and the request that refunds it", () => {
    const [first, ...rest] = suggestionsFor(billedAfterCancelling(), NOW);
    expect(rest).toEqual([]);
    expect(first?.kind).toBe('billing_error');
    expect(first?.text).toContain('$14.99 on Mar 15, 2026');
    expect(first?.text).not.toContain('CH-2');
    expect(first?.action).toEqual({
      method: 'POST',
      path: '/v1/support-requests',
      body: { message: expect.stringContaining('Refund') },
    });
  });

  it('a billing error already refunded (outside Refund Hub or by the ledger) is not suggested', () => {
    expect(suggestionsFor(billedAfterCancelling(1499), NOW)).toEqual([]);
  });

  it('lost and late orders, most recent first, with carrier and tracking; an on-time order is not suggested', () => {
    const account: CustomerAccount = {
      ...empty(),
      orders: [
        order('O-late', {
          placedAt: '2026-03-05T09:00:00Z',
          promisedBy: '2026-03-12T23:59:00Z',
          carrier: 'UPS',
          trackingId: '1Z999',
        }),
        order('O-lost', { status: 'lost', placedAt: '2026-03-08T09:00:00Z' }),
        order('O-fine', { promisedBy: '2026-03-25T23:59:00Z' }),
      ],
    };
    const suggestions = suggestionsFor(account, NOW);
    expect(suggestions.map((s) => s.kind)).toEqual(['lost_order', 'late_order']);
    expect(suggestions[1]?.text).toContain('UPS 1Z999');
    expect(suggestions[1]?.text).toContain('Mar 12, 2026');
    expect(suggestions[1]?.action.body).toMatchObject({ orderId: 'O-late' });
  });

  it('a delivered order inside its return window, with the items that can go back; final-sale items and closed windows do not', () => {
    const items = [
      { sku: 'KTL-1', name: 'Kettle', quantity: 1, unitPrice: 2599 },
      { sku: 'GIFT', name: 'Gift card', quantity: 1, unitPrice: 1000, finalSale: true },
    ];
    const account: CustomerAccount = {
      ...empty(),
      orders: [
        order('O-open', { status: 'delivered', deliveredAt: '2026-03-04T12:00:00Z', items }),
        order('O-closed', { status: 'delivered', deliveredAt: '2026-01-04T12:00:00Z', items }),
        order('O-final', {
          status: 'delivered',
          deliveredAt: '2026-03-04T12:00:00Z',
          items: [items[1] as (typeof items)[number]],
        }),
      ],
    };
    const [only, ...rest] = suggestionsFor(account, NOW);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      kind: 'return_eligible',
      action: { path: '/v1/returns', body: { orderId: 'O-open', items: [{ sku: 'KTL-1', quantity: 1 }] } },
    });
    expect(only?.text).toContain('until Apr 3, 2026');
  });

  it('at most 3, in the policy order: billing errors, then order problems, then returns', () => {
    const account: CustomerAccount = {
      ...billedAfterCancelling(),
      orders: [
        order('O-ret', {
          status: 'delivered',
          deliveredAt: '2026-03-04T12:00:00Z',
          items: [{ sku: 'A', name: 'A', quantity: 1, unitPrice: 1 }],
        }),
        order('O-lost-1', { status: 'lost', placedAt: '2026-03-08T09:00:00Z' }),
        order('O-lost-2', { status: 'lost', placedAt: '2026-03-09T09:00:00Z' }),
      ],
    };
    expect(suggestionsFor(account, NOW).map((s) => [s.kind, s.action.body.orderId])).toEqual([
      ['billing_error', undefined],
      ['lost_order', 'O-lost-2'],
      ['lost_order', 'O-lost-1'],
    ]);
  });

  it('writes dates as dates, in UTC', () => {
    expect(customerDate('2026-02-14T23:30:00-08:00')).toBe('Feb 15, 2026');
  });
});

describe('return_in_progress', () => {
  const mugs = order('O-4', {
    status: 'delivered',
    deliveredAt: '2026-03-09T14:00:00Z',
    items: [{ sku: 'MUG-2', name: 'Mugs', quantity: 2, unitPrice: 1999 }],
  });
  const started = (
    returnId: string,
    status: CustomerReturn['status'],
    extra: Partial<CustomerReturn> = {},
  ): CustomerReturn => ({
    returnId,
    orderId: 'O-4',
    items: [{ sku: 'MUG-2', quantity: 2 }],
    status,
    refundPolicy: 'refund_at_first_scan',
    refundAmount: 3998,
    currency: 'USD',
    createdAt: '2026-03-15T10:00:00Z',
    label: {
      carrier: 'simulated',
      trackingId: 'SIM1',
      labelUrl: 'https://labels.carrier.invalid/SIM1.pdf',
      expiresAt: '2026-04-12T10:00:00Z',
    },
    ...extra,
  });
  const withMugs = (): CustomerAccount => ({ ...empty(), orders: [mugs] });

  it('a labelled return waits for its first scan: drop-off date and the refund at the first scan, and no second return offer', () => {
    const suggestions = suggestionsFor(withMugs(), NOW, 30, [started('ret-1', 'label_created')]);
    // Both mugs are on their way back: the order has nothing left to offer as return_eligible.
    expect(suggestions.map((s) => s.kind)).toEqual(['return_in_progress']);
    expect(suggestions[0]?.text).toBe(
      'Your return of order O-4 is waiting for its first carrier scan: drop it off with the prepaid label by Apr 12, 2026; ' +
        'the refund of $39.98 is issued at the first carrier scan. Questions about it?',
    );
    expect(suggestions[0]?.action).toEqual({
      method: 'POST',
      path: '/v1/support-requests',
      body: { message: 'Where is the refund for my return of order O-4?', orderId: 'O-4' },
    });
  });

  it('on its way or awaiting inspection: the refund that follows; refunded, rejected and expired returns are not in progress', () => {
    const inspect = { refundPolicy: 'inspect_then_refund' as const };
    const texts = (r: CustomerReturn) => suggestionsFor(empty(), NOW, 30, [r]).map((s) => s.text);
    expect(texts(started('a', 'in_transit'))[0]).toContain(
      'is on its way; the refund of $39.98 is being issued.',
    );
    expect(texts(started('b', 'in_transit', inspect))[0]).toContain(
      'on its way to our warehouse; the refund of $39.98 follows its inspection.',
    );
    expect(texts(started('c', 'awaiting_inspection', inspect))[0]).toContain(
      'arrived at our warehouse and is being inspected',
    );
    for (const status of ['refunded', 'rejected', 'expired'] as const)
      expect(texts(started('d', status))).toEqual([]);
  });

  it('a rejected or expired return gave nothing back: the order is offered for return again', () => {
    const [only] = suggestionsFor(withMugs(), NOW, 30, [started('ret-x', 'expired')]);
    expect(only).toMatchObject({
      kind: 'return_eligible',
      action: { body: { items: [{ sku: 'MUG-2', quantity: 2 }] } },
    });
    const partly = suggestionsFor(withMugs(), NOW, 30, [
      started('ret-y', 'refunded', { items: [{ sku: 'MUG-2', quantity: 1 }] }),
    ]);
    expect(partly[0]).toMatchObject({
      kind: 'return_eligible',
      action: { body: { items: [{ sku: 'MUG-2', quantity: 1 }] } },
    });
  });

  it('after billing errors and order problems, before return offers, most recent first, at most 3 in all', () => {
    const account: CustomerAccount = {
      ...billedAfterCancelling(),
      orders: [
        mugs,
        order('O-lost', { status: 'lost' }),
        order('O-5', { status: 'delivered', deliveredAt: '2026-03-18T10:00:00Z', items: mugs.items ?? [] }),
      ],
    };
    const returns = [
      started('ret-old', 'in_transit', {
        orderId: 'O-4',
        createdAt: '2026-03-12T10:00:00Z',
        items: [{ sku: 'MUG-2', quantity: 1 }],
      }),
      started('ret-new', 'label_created', {
        orderId: 'O-4',
        createdAt: '2026-03-16T10:00:00Z',
        items: [{ sku: 'MUG-2', quantity: 1 }],
      }),
    ];
    expect(suggestionsFor(account, NOW, 30, returns).map((s) => [s.kind, s.action.body.orderId])).toEqual([
      ['billing_error', undefined],
      ['lost_order', 'O-lost'],
      ['return_in_progress', 'O-4'],
    ]);
    const noBilling = { ...account, subscriptions: [], charges: [] };
    expect(suggestionsFor(noBilling, NOW, 30, returns).map((s) => s.kind)).toEqual([
      'lost_order',
      'return_in_progress',
      'return_in_progress',
    ]);
    expect(
      suggestionsFor({ ...noBilling, orders: [mugs, account.orders[2] as Order] }, NOW, 30, returns).map(
        (s) => s.kind,
      ),
    ).toEqual(['return_in_progress', 'return_in_progress', 'return_eligible']);
    expect(suggestionsFor(noBilling, NOW, 30, returns)[1]?.text).toContain(
      'waiting for its first carrier scan',
    );
  });
});

/** POLICY v2 "Suggestions", per kind and in the policy's order. Pure. */
import { describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { Order } from '../../functions/shared/types.js';
import { customerDate, suggestionsFor } from '../../functions/suggestions/domain.js';

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

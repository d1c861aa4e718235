/** POLICY.md v2 "Returns": the one eligibility rule, each rule and its boundary, and the refund policy. */
import { describe, expect, it } from 'vitest';
import { decideWithHistory, refundPolicyFor } from '../../functions/returns-core/domain.js';
import {
  returnEligibility,
  returnsInWindow,
  returnWindowEnd,
} from '../../functions/shared/return-eligibility.js';
import type { Order } from '../../functions/shared/types.js';

const order: Order = {
  id: 'O-4',
  total: 11497,
  currency: 'USD',
  status: 'delivered',
  placedAt: '2026-03-05T10:00:00Z',
  deliveredAt: '2026-03-09T14:00:00Z',
  items: [
    { sku: 'MUG-2', name: 'Ceramic mug, set of 2', quantity: 2, unitPrice: 1999 },
    { sku: 'KETTLE-1', name: 'Electric kettle', quantity: 1, unitPrice: 5000 },
    { sku: 'GIFT-1', name: 'Gift card', quantity: 1, unitPrice: 2500, finalSale: true },
  ],
};
const window = { returnWindowDays: 30 };
const ask = (sku: string, quantity: number) => ({ requested: [{ sku, quantity }] });

describe('returnEligibility', () => {
  it('accepts a delivered order inside the window and sums unitPrice × quantity', () => {
    expect(returnEligibility(order, '2026-03-20T12:00:00Z', { ...window, ...ask('MUG-2', 2) })).toMatchObject(
      {
        eligible: true,
        refundAmount: 3998,
        currency: 'USD',
        windowEndsAt: '2026-04-08T14:00:00.000Z',
      },
    );
  });

  it('refuses an order that is not delivered', () => {
    for (const status of ['processing', 'shipped', 'out_for_delivery', 'lost'] as const)
      expect(
        returnEligibility({ ...order, status }, '2026-03-20T12:00:00Z', { ...window, ...ask('MUG-2', 1) }),
      ).toEqual({
        eligible: false,
        reason: 'not_delivered',
      });
  });

  it("accepts at the window's last instant and refuses one millisecond later, instants compared across offsets", () => {
    expect(returnWindowEnd(order, 30)).toBe('2026-04-08T14:00:00.000Z');
    expect(returnEligibility(order, '2026-04-08T14:00:00Z', { ...window, ...ask('MUG-2', 1) }).eligible).toBe(
      true,
    );
    expect(
      returnEligibility(order, '2026-04-08T07:00:00-07:00', { ...window, ...ask('MUG-2', 1) }).eligible,
    ).toBe(true);
    expect(
      returnEligibility(order, '2026-04-08T14:00:00.001Z', { ...window, ...ask('MUG-2', 1) }),
    ).toMatchObject({
      eligible: false,
      reason: 'window_closed',
    });
    // The string sorts before the last instant, but the instant is after it.
    expect(
      returnEligibility(order, '2026-04-08T08:00:00-07:00', { ...window, ...ask('MUG-2', 1) }),
    ).toMatchObject({
      reason: 'window_closed',
    });
  });

  it('refuses a final-sale item, even beside returnable ones', () => {
    expect(
      returnEligibility(order, '2026-03-20T12:00:00Z', {
        ...window,
        requested: [
          { sku: 'MUG-2', quantity: 1 },
          { sku: 'GIFT-1', quantity: 1 },
        ],
      }),
    ).toMatchObject({ eligible: false, reason: 'final_sale' });
  });

  it('counts quantities across earlier returns of the same order only', () => {
    const earlier = [
      { orderId: 'O-4', at: '2026-03-12T10:00:00Z', items: [{ sku: 'MUG-2', quantity: 1 }] },
      { orderId: 'O-9', at: '2026-03-12T10:00:00Z', items: [{ sku: 'MUG-2', quantity: 2 }] },
    ];
    const at = '2026-03-20T12:00:00Z';
    expect(
      returnEligibility(order, at, { ...window, earlierReturns: earlier, ...ask('MUG-2', 1) }).eligible,
    ).toBe(true);
    expect(
      returnEligibility(order, at, { ...window, earlierReturns: earlier, ...ask('MUG-2', 2) }),
    ).toMatchObject({ reason: 'quantity' });
    expect(returnEligibility(order, at, { ...window, ...ask('NOT-SOLD', 1) })).toMatchObject({
      reason: 'quantity',
    });
  });

  it('the same sku named twice must fit in sum', () => {
    const requested = [
      { sku: 'MUG-2', quantity: 1 },
      { sku: 'MUG-2', quantity: 2 },
    ];
    expect(returnEligibility(order, '2026-03-20T12:00:00Z', { ...window, requested })).toMatchObject({
      reason: 'quantity',
    });
    const fits = [
      { sku: 'MUG-2', quantity: 1 },
      { sku: 'MUG-2', quantity: 1 },
    ];
    expect(returnEligibility(order, '2026-03-20T12:00:00Z', { ...window, requested: fits })).toMatchObject({
      eligible: true,
      refundAmount: 3998,
    });
  });

  it('counts the returns started in the 90 days before now (not one at now, exactly 90 days old or older)', () => {
    const at = (instant: string) => ({ orderId: 'O', at: instant, items: [] });
    const now = '2026-03-20T12:00:00Z';
    expect(
      returnsInWindow(
        [
          at('2025-12-20T12:00:00.001Z'),
          at('2025-12-20T12:00:00Z'),
          at('2025-12-20T11:59:59Z'),
          at(now),
          at('2026-03-01T00:00:00Z'),
        ],
        now,
      ),
    ).toBe(2);
    // The same instant written with an offset: one second inside the window.
    expect(returnsInWindow([at('2025-12-20T05:00:01-07:00')], now)).toBe(1);
  });
});

describe('the refund policy of an eligible return', () => {
  const config = { returnWindowDays: 30, maxReturnsPer90Days: 5, highValueThresholds: { USD: 50_000 } };
  it('inspects strictly over the threshold, or in a currency without one', () => {
    expect(refundPolicyFor(50_000, 'USD', 0, config)).toBe('refund_at_first_scan');
    expect(refundPolicyFor(50_001, 'USD', 0, config)).toBe('inspect_then_refund');
    expect(refundPolicyFor(100, 'JPY', 0, config)).toBe('inspect_then_refund');
  });

  it('inspects a customer who started maxReturnsPer90Days or more returns before', () => {
    expect(refundPolicyFor(100, 'USD', 4, config)).toBe('refund_at_first_scan');
    expect(refundPolicyFor(100, 'USD', 5, config)).toBe('inspect_then_refund');
  });

  it('counts every earlier return for the 90 days, but a rejected or expired one gave no items back', () => {
    const account = { profile: { id: 'C' }, subscriptions: [], charges: [], orders: [order] };
    const earlier = (status: 'refunded' | 'expired', n: number) =>
      Array.from({ length: n }, (_, i) => ({
        returnId: `r${status}${i}`,
        orderId: 'O-4',
        createdAt: `2026-03-1${i}T10:00:00Z`,
        items: [{ sku: 'MUG-2', quantity: 2 }],
        status,
      }));
    const request = { orderId: 'O-4', items: [{ sku: 'MUG-2', quantity: 2 }] };
    const decided = decideWithHistory(
      account,
      request,
      earlier('expired', 5),
      '2026-03-20T12:00:00Z',
      config,
    );
    expect(decided).toMatchObject({ eligible: true, refundPolicy: 'inspect_then_refund' });
    expect(
      decideWithHistory(account, request, earlier('refunded', 1), '2026-03-20T12:00:00Z', config),
    ).toMatchObject({
      eligible: false,
      rejection: 'quantity',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { assessBilling } from '../../functions/compare-billing/domain.js';
import type { Charge, Subscription } from '../../functions/shared/types.js';

const cancelled = (overrides: Partial<Subscription> = {}): Subscription => ({
  id: 'sub-1',
  plan: 'prime-monthly',
  status: 'cancelled',
  cancelledAt: '2026-02-15T07:00:00Z',
  ...overrides,
});

const charge = (id: string, overrides: Partial<Charge> = {}): Charge => ({
  id,
  subscriptionId: 'sub-1',
  amount: 1499,
  currency: 'USD',
  chargedAt: '2026-02-01T10:00:00Z',
  ...overrides,
});

const errorIds = (result: ReturnType<typeof assessBilling>) => result.billingErrors.map((e) => e.chargeId);

describe('assessBilling: charges after cancellation (POLICY billing rules 1 and 4)', () => {
  it('flags a subscription charge made after the effective cancellation instant', () => {
    // Prepare
    const subscriptions = [cancelled()];
    const charges = [charge('ch-after', { chargedAt: '2026-03-01T07:00:00Z' })];

    // Act
    const result = assessBilling(subscriptions, charges);

    // Assess
    expect(result.billingErrors).toEqual([
      expect.objectContaining({ chargeId: 'ch-after', kinds: ['after_cancellation'], refundable: 1499 }),
    ]);
    expect(result.refundableCharges).toEqual([{ chargeId: 'ch-after', amount: 1499, currency: 'USD' }]);
    expect(result.refundableTotal).toBe(1499);
    expect(result.currency).toBe('USD');
    expect(result.noRefundReason).toBeNull();
  });

  it('treats a charge exactly at the cancellation instant as an error (inclusive boundary)', () => {
    const result = assessBilling(
      [cancelled()],
      [charge('ch-boundary', { chargedAt: '2026-02-15T07:00:00Z' })],
    );

    expect(errorIds(result)).toEqual(['ch-boundary']);
  });

  it('treats the same instant written with another offset as the boundary too', () => {
    const result = assessBilling(
      [cancelled()],
      [charge('ch-boundary', { chargedAt: '2026-02-14T23:00:00-08:00' })],
    );

    expect(errorIds(result)).toEqual(['ch-boundary']);
  });

  it('keeps a charge one millisecond before cancellation as legitimate', () => {
    const result = assessBilling(
      [cancelled()],
      [charge('ch-before', { chargedAt: '2026-02-15T06:59:59.999Z' })],
    );

    expect(result.billingErrors).toEqual([]);
    expect(result.refundableTotal).toBe(0);
    expect(result.noRefundReason).toBe('no_billing_error');
  });

  it('uses cancellationEffectiveAt over cancelledAt (end of the paid period)', () => {
    // Prepare: cancelled on the 15th, effective at the end of the month.
    const subscriptions = [
      cancelled({ cancelledAt: '2026-02-15T07:00:00Z', cancellationEffectiveAt: '2026-03-01T00:00:00Z' }),
    ];
    const charges = [
      charge('ch-between', { chargedAt: '2026-02-20T00:00:00Z' }),
      charge('ch-after-effective', { chargedAt: '2026-03-01T00:00:00Z' }),
    ];

    // Act
    const result = assessBilling(subscriptions, charges);

    // Assess
    expect(errorIds(result)).toEqual(['ch-after-effective']);
  });

  it('ignores an active subscription with no cancellation', () => {
    const result = assessBilling(
      [{ id: 'sub-1', plan: 'prime-monthly', status: 'active' }],
      [charge('ch-1', { chargedAt: '2030-01-01T00:00:00Z' })],
    );

    expect(result.billingErrors).toEqual([]);
    expect(result.noRefundReason).toBe('no_billing_error');
  });
});

describe('assessBilling: instants with offsets are compared as instants, never as strings', () => {
  it('flags 2026-02-14T23:30:00-08:00 (07:30Z) as after a 2026-02-15T07:00:00Z cancellation', () => {
    // String comparison says "2026-02-14..." < "2026-02-15...", i.e. before cancellation.
    const result = assessBilling(
      [cancelled()],
      [charge('ch-pst', { chargedAt: '2026-02-14T23:30:00-08:00' })],
    );

    expect(errorIds(result)).toEqual(['ch-pst']);
    expect(result.refundableTotal).toBe(1499);
  });

  it('keeps 2026-02-15T08:30:00+02:00 (06:30Z) as before a 2026-02-15T07:00:00Z cancellation', () => {
    // String comparison says "...T08:30" > "...T07:00", i.e. after cancellation.
    const result = assessBilling(
      [cancelled()],
      [charge('ch-cet', { chargedAt: '2026-02-15T08:30:00+02:00' })],
    );

    expect(result.billingErrors).toEqual([]);
    expect(result.noRefundReason).toBe('no_billing_error');
  });

  it('compares a cancellation written with an offset against a UTC charge as instants', () => {
    const result = assessBilling(
      [cancelled({ cancelledAt: '2026-02-14T23:00:00-08:00' })],
      [
        charge('ch-before', { chargedAt: '2026-02-15T06:59:00Z' }),
        charge('ch-after', { chargedAt: '2026-02-15T07:01:00Z' }),
      ],
    );

    expect(errorIds(result)).toEqual(['ch-after']);
  });
});

describe('assessBilling: duplicates (POLICY billing rule 2)', () => {
  const active: Subscription = { id: 'sub-1', plan: 'prime-monthly', status: 'active' };

  it('flags every charge of the same billing period but the earliest by chargedAt', () => {
    // Prepare: listed out of order; the earliest is the second element.
    const charges = [
      charge('ch-b', { chargedAt: '2026-02-01T10:05:00Z', billingPeriodStart: '2026-02-01T00:00:00Z' }),
      charge('ch-a', { chargedAt: '2026-02-01T10:00:00Z', billingPeriodStart: '2026-02-01T00:00:00Z' }),
    ];

    // Act
    const result = assessBilling([active], charges);

    // Assess
    expect(result.billingErrors).toEqual([
      expect.objectContaining({ chargeId: 'ch-b', kinds: ['duplicate'] }),
    ]);
    expect(result.refundableTotal).toBe(1499);
  });

  it('recognises the same billingPeriodStart written with different offsets as one period', () => {
    const charges = [
      charge('ch-utc', { chargedAt: '2026-02-01T10:00:00Z', billingPeriodStart: '2026-02-01T08:00:00Z' }),
      charge('ch-pst', {
        chargedAt: '2026-02-01T11:00:00Z',
        billingPeriodStart: '2026-02-01T00:00:00-08:00',
      }),
    ];

    const result = assessBilling([active], charges);

    expect(errorIds(result)).toEqual(['ch-pst']);
  });

  it('keeps the earliest by instant even when its chargedAt string sorts later', () => {
    // 2026-02-01T01:00:00-08:00 is 09:00Z, earlier than 2026-02-01T09:30:00Z.
    const charges = [
      charge('ch-late', { chargedAt: '2026-02-01T09:30:00Z', billingPeriodStart: '2026-02-01T00:00:00Z' }),
      charge('ch-early', {
        chargedAt: '2026-02-01T01:00:00-08:00',
        billingPeriodStart: '2026-02-01T00:00:00Z',
      }),
    ];

    const result = assessBilling([active], charges);

    expect(errorIds(result)).toEqual(['ch-late']);
  });

  it('flags two errors when the same period was charged three times', () => {
    const charges = ['ch-1', 'ch-2', 'ch-3'].map((id, i) =>
      charge(id, { chargedAt: `2026-02-01T10:0${i}:00Z`, billingPeriodStart: '2026-02-01T00:00:00Z' }),
    );

    const result = assessBilling([active], charges);

    expect(errorIds(result)).toEqual(['ch-2', 'ch-3']);
    expect(result.refundableTotal).toBe(2 * 1499);
  });

  it('does not treat different billing periods or different subscriptions as duplicates', () => {
    const charges = [
      charge('ch-feb', { chargedAt: '2026-02-01T10:00:00Z', billingPeriodStart: '2026-02-01T00:00:00Z' }),
      charge('ch-mar', { chargedAt: '2026-03-01T10:00:00Z', billingPeriodStart: '2026-03-01T00:00:00Z' }),
      charge('ch-other-sub', {
        subscriptionId: 'sub-2',
        chargedAt: '2026-02-01T10:01:00Z',
        billingPeriodStart: '2026-02-01T00:00:00Z',
      }),
    ];

    const result = assessBilling([active, { ...active, id: 'sub-2' }], charges);

    expect(result.billingErrors).toEqual([]);
  });

  it('counts a charge that is both a duplicate and after cancellation once', () => {
    // Prepare
    const charges = [
      charge('ch-first', { chargedAt: '2026-02-16T10:00:00Z', billingPeriodStart: '2026-02-16T00:00:00Z' }),
      charge('ch-second', { chargedAt: '2026-02-16T10:05:00Z', billingPeriodStart: '2026-02-16T00:00:00Z' }),
    ];

    // Act
    const result = assessBilling([cancelled()], charges);

    // Assess: both are after cancellation; the second is also a duplicate, but is refunded once.
    expect(result.billingErrors).toEqual([
      expect.objectContaining({ chargeId: 'ch-first', kinds: ['after_cancellation'] }),
      expect.objectContaining({ chargeId: 'ch-second', kinds: ['after_cancellation', 'duplicate'] }),
    ]);
    expect(result.refundableCharges).toEqual([
      { chargeId: 'ch-first', amount: 1499, currency: 'USD' },
      { chargeId: 'ch-second', amount: 1499, currency: 'USD' },
    ]);
    expect(result.refundableTotal).toBe(2 * 1499);
  });
});

describe('assessBilling: refundable remainder (POLICY billing rule 3)', () => {
  it('counts only the remainder of a partially refunded error charge', () => {
    const result = assessBilling(
      [cancelled()],
      [charge('ch-partial', { chargedAt: '2026-03-01T00:00:00Z', amount: 1499, refundedAmount: 500 })],
    );

    expect(result.billingErrors).toEqual([
      expect.objectContaining({ chargeId: 'ch-partial', amount: 1499, refundedAmount: 500, refundable: 999 }),
    ]);
    expect(result.refundableCharges).toEqual([{ chargeId: 'ch-partial', amount: 999, currency: 'USD' }]);
    expect(result.refundableTotal).toBe(999);
  });

  it('never refunds a fully refunded error charge again and says it was already refunded', () => {
    // Prepare
    const charges = [charge('ch-done', { chargedAt: '2026-03-01T00:00:00Z', refundedAmount: 1499 })];

    // Act
    const result = assessBilling([cancelled()], charges);

    // Assess: still listed on the receipt, but nothing left to pay back.
    expect(result.billingErrors).toEqual([expect.objectContaining({ chargeId: 'ch-done', refundable: 0 })]);
    expect(result.refundableCharges).toEqual([]);
    expect(result.refundableTotal).toBe(0);
    expect(result.noRefundReason).toBe('already_refunded');
  });

  it('refunds the unrefunded errors when only some were refunded before', () => {
    const charges = [
      charge('ch-done', { chargedAt: '2026-03-01T00:00:00Z', refundedAmount: 1499 }),
      charge('ch-open', { chargedAt: '2026-04-01T00:00:00Z' }),
    ];

    const result = assessBilling([cancelled()], charges);

    expect(result.refundableCharges).toEqual([{ chargeId: 'ch-open', amount: 1499, currency: 'USD' }]);
    expect(result.noRefundReason).toBeNull();
  });

  it("says 'no_billing_error' when nothing is wrong", () => {
    const result = assessBilling([cancelled()], [charge('ch-ok', { chargedAt: '2026-02-01T00:00:00Z' })]);

    expect(result).toEqual({
      billingErrors: [],
      refundableCharges: [],
      refundableTotals: [],
      refundableCurrencies: [],
      mixedCurrency: false,
      refundableTotal: 0,
      currency: null,
      noRefundReason: 'no_billing_error',
    });
  });
});

describe('assessBilling: currencies (POLICY "Data" and rule 4)', () => {
  it('never adds a USD and a JPY charge: per-currency totals, mixed, and no single total', () => {
    // Prepare: the reproduction, USD 1499 and JPY 45000 both charged after cancellation.
    const charges = [
      charge('ch-usd', { chargedAt: '2026-03-01T00:00:00Z' }),
      charge('ch-jpy', { chargedAt: '2026-03-02T00:00:00Z', amount: 45000, currency: 'JPY' }),
    ];

    // Act
    const result = assessBilling([cancelled()], charges);

    // Assess
    expect(result.refundableTotals).toEqual([
      { currency: 'JPY', amount: 45000 },
      { currency: 'USD', amount: 1499 },
    ]);
    expect(result).toMatchObject({
      refundableCurrencies: ['JPY', 'USD'],
      mixedCurrency: true,
      refundableTotal: null,
      currency: null,
      noRefundReason: null,
    });
    expect(JSON.stringify(result)).not.toContain('46499');
  });

  it('is one currency when the other currency has nothing left to refund', () => {
    const charges = [
      charge('ch-usd', { chargedAt: '2026-03-01T00:00:00Z' }),
      charge('ch-eur', { chargedAt: '2026-03-02T00:00:00Z', currency: 'EUR', refundedAmount: 1499 }),
    ];

    const result = assessBilling([cancelled()], charges);

    expect(result).toMatchObject({
      mixedCurrency: false,
      refundableTotal: 1499,
      currency: 'USD',
      refundableCurrencies: ['USD'],
    });
    expect(result.billingErrors.map((e) => e.currency)).toEqual(['USD', 'EUR']);
  });
});

describe('assessBilling: scope and money', () => {
  it('leaves charges of other subscriptions and non-subscription charges untouched', () => {
    // Prepare: sub-1 was cancelled; sub-2 is active; one order charge has no subscription.
    const subscriptions = [cancelled(), { id: 'sub-2', plan: 'music', status: 'active' as const }];
    const charges = [
      charge('ch-sub2', { subscriptionId: 'sub-2', chargedAt: '2026-03-01T00:00:00Z' }),
      charge('ch-order', { subscriptionId: undefined, orderId: 'ord-1', chargedAt: '2026-03-01T00:00:00Z' }),
      charge('ch-unknown-sub', { subscriptionId: 'sub-gone', chargedAt: '2026-03-01T00:00:00Z' }),
      charge('ch-sub1', { chargedAt: '2026-03-01T00:00:00Z' }),
    ];

    // Act
    const result = assessBilling(subscriptions, charges);

    // Assess
    expect(errorIds(result)).toEqual(['ch-sub1']);
  });

  it('does not treat two non-subscription charges with the same period as duplicates', () => {
    const charges = [
      charge('ch-o1', { subscriptionId: undefined, billingPeriodStart: '2026-02-01T00:00:00Z' }),
      charge('ch-o2', { subscriptionId: undefined, billingPeriodStart: '2026-02-01T00:00:00Z' }),
    ];

    expect(assessBilling([], charges).billingErrors).toEqual([]);
  });

  it('adds amounts as integer minor units (no floating point drift)', () => {
    // 0.1 + 0.2 style amounts: 10 + 20 + 1999 minor units.
    const charges = [
      charge('ch-1', { chargedAt: '2026-03-01T00:00:00Z', amount: 10 }),
      charge('ch-2', { chargedAt: '2026-03-02T00:00:00Z', amount: 20 }),
      charge('ch-3', { chargedAt: '2026-03-03T00:00:00Z', amount: 1999, refundedAmount: 1 }),
    ];

    const result = assessBilling([cancelled()], charges);

    expect(result.refundableTotal).toBe(2028);
    expect(Number.isInteger(result.refundableTotal)).toBe(true);
    for (const line of result.refundableCharges) expect(Number.isInteger(line.amount)).toBe(true);
  });

  it('lists billing errors earliest first by instant', () => {
    const charges = [
      charge('ch-mar', { chargedAt: '2026-03-01T00:00:00Z' }),
      charge('ch-feb', { chargedAt: '2026-02-20T00:00:00-08:00' }),
    ];

    expect(errorIds(assessBilling([cancelled()], charges))).toEqual(['ch-feb', 'ch-mar']);
  });
});

import { describe, expect, it } from 'vitest';
import { type ReconcileLine, reconcile, refundIdsToAsk } from '../../functions/reconcile/domain.js';

const NOW = new Date('2026-03-20T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

const line = (fields: Partial<ReconcileLine> = {}): ReconcileLine => ({
  customerId: 'C-1',
  chargeId: 'ch_1',
  caseId: 'case-1',
  currency: 'USD',
  amount: 1499,
  status: 'succeeded',
  provider: 'stripe',
  providerRefundId: 're_1',
  at: minutesAgo(60),
  ...fields,
});

describe('reconcile', () => {
  it('reports nothing when the provider agrees on status, amount and currency', () => {
    // Prepare
    const lines = [line(), line({ caseId: 'case-2', providerRefundId: 're_2', status: 'pending' })];
    const answers = new Map([
      ['re_1', { status: 'succeeded' as const, amount: 1499, currency: 'usd' }],
      ['re_2', { status: 'pending' as const }],
    ]);

    // Act
    const report = reconcile(lines, 'stripe', answers, NOW);

    // Assess
    expect(report).toMatchObject({ lines: 2, checked: 2, agreed: 2, complete: true, disagreements: [] });
    expect(report.generatedAt).toBe(NOW.toISOString());
  });

  it('a status the provider sees differently (a missed webhook), with its failure reason', () => {
    const report = reconcile(
      [line({ status: 'succeeded' })],
      'stripe',
      new Map([['re_1', { status: 'failed' as const, failureReason: 'expired_or_canceled_card' }]]),
      NOW,
    );
    expect(report.agreed).toBe(0);
    expect(report.disagreements).toEqual([
      expect.objectContaining({
        kind: 'status_differs',
        caseId: 'case-1',
        chargeId: 'ch_1',
        providerRefundId: 're_1',
        ledger: { status: 'succeeded', amount: 1499, currency: 'USD' },
        provider: { status: 'failed', failureReason: 'expired_or_canceled_card' },
      }),
    ]);
    expect(report.disagreements[0]?.detail).toContain('expired_or_canceled_card');
  });

  it('a refund the provider does not know', () => {
    const report = reconcile([line()], 'stripe', new Map([['re_1', null]]), NOW);
    expect(report.disagreements.map((d) => d.kind)).toEqual(['unknown_at_provider']);
    expect(report.checked).toBe(1);
  });

  it('amounts and currencies that differ (compared within the line’s currency only)', () => {
    const amount = reconcile(
      [line()],
      'stripe',
      new Map([['re_1', { status: 'succeeded' as const, amount: 1000 }]]),
      NOW,
    );
    expect(amount.disagreements.map((d) => d.kind)).toEqual(['amount_differs']);
    const currency = reconcile(
      [line()],
      'stripe',
      new Map([['re_1', { status: 'succeeded' as const, amount: 1000, currency: 'eur' }]]),
      NOW,
    );
    expect(currency.disagreements.map((d) => d.kind)).toEqual(['currency_differs']);
  });

  it('a line pending without a provider refund id for over 15 minutes: a crash before the provider call', () => {
    const stuck = line({ providerRefundId: undefined, status: 'pending', at: minutesAgo(16) });
    const fresh = line({
      caseId: 'case-2',
      providerRefundId: undefined,
      status: 'pending',
      at: minutesAgo(5),
    });
    const declined = line({
      caseId: 'case-3',
      providerRefundId: undefined,
      status: 'failed',
      at: minutesAgo(60),
    });
    const report = reconcile([stuck, fresh, declined], 'stripe', new Map(), NOW);
    expect(report.disagreements).toEqual([
      expect.objectContaining({ kind: 'pending_without_provider_refund', caseId: 'case-1' }),
    ]);
    expect(report.checked).toBe(0);
  });

  it('a line without status is an older, recorded refund: succeeded', () => {
    const report = reconcile(
      [line({ status: undefined })],
      'stripe',
      new Map([['re_1', { status: 'succeeded' as const }]]),
      NOW,
    );
    expect(report.disagreements).toEqual([]);
  });

  it('lines of another provider are counted, not asked; ids not answered (out of time) make the report incomplete', () => {
    const lines = [
      line({ provider: 'ledger', providerRefundId: 'x' }),
      line({ caseId: 'case-2', providerRefundId: 're_2' }),
    ];
    expect(refundIdsToAsk(lines, 'stripe')).toEqual(['re_2']);
    const report = reconcile(lines, 'stripe', new Map(), NOW);
    expect(report).toMatchObject({ otherProvider: 1, checked: 0, complete: false, disagreements: [] });
  });

  it('asks about each refund id once, and only lines that carry one', () => {
    const lines = [line(), line({ chargeId: 'ch_2' }), line({ providerRefundId: undefined })];
    expect(refundIdsToAsk(lines, 'stripe')).toEqual(['re_1']);
  });
});

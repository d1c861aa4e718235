/** What each step reports to the operations dashboard: the pure mapping from a step's result to its metric points. */
import { describe, expect, it } from 'vitest';
import {
  claimMetrics,
  creditMetrics,
  decidedCaseMetrics,
  handoffMetrics,
  returnFinishedMetrics,
  returnStartedMetrics,
  sweepMetrics,
} from '../../functions/shared/metric-points.js';

const decided = {
  requestedAt: '2026-12-02T10:00:00.000Z',
  decision: { outcome: 'auto_refunded' as const, rule: 4, reason: 'duplicate_charge' },
  refund: { refundedChargeIds: ['ch_1'], refundedAmount: 1299, currency: 'eur' },
};

describe('business metrics per step', () => {
  it('reports a decided case by outcome and reason, its refund per currency and the time to decision', () => {
    const points = decidedCaseMetrics(decided, new Date('2026-12-02T10:00:02.500Z'));
    expect(points).toEqual([
      { name: 'Cases', unit: 'Count', value: 1, dimensions: { outcome: 'auto_refunded' } },
      { name: 'CasesByReason', unit: 'Count', value: 1, dimensions: { reason: 'duplicate_charge' } },
      { name: 'RefundedMinorUnits', unit: 'None', value: 1299, dimensions: { currency: 'EUR' } },
      { name: 'TimeToDecision', unit: 'Milliseconds', value: 2500, dimensions: {} },
    ]);
  });

  it('keeps a refund in two currencies as two points, never one sum, and no customer or case id anywhere', () => {
    const refund = {
      refundedChargeIds: ['a', 'b'],
      refundedAmount: null,
      refundedTotals: [
        { currency: 'USD', amount: 500 },
        { currency: 'GBP', amount: 700 },
      ],
    };
    const state = { ...decided, refund, caseId: 'case-42', customerId: 'cust-7' };
    const points = decidedCaseMetrics(state, new Date('2026-12-02T10:00:01Z'));
    expect(
      points.filter((p) => p.name === 'RefundedMinorUnits').map((p) => [p.dimensions.currency, p.value]),
    ).toEqual([
      ['USD', 500],
      ['GBP', 700],
    ]);
    expect(JSON.stringify(points)).not.toMatch(/case-42|cust-7|"a"/);
  });

  it('reports nothing new for a follow-up execution, and no money for a case without a refund', () => {
    expect(decidedCaseMetrics({ ...decided, followUp: { kind: 'callback' } }, new Date())).toEqual([]);
    const denied = {
      ...decided,
      decision: { outcome: 'no_refund_due' as const, rule: 9, reason: 'outside_window' },
      refund: null,
    };
    expect(decidedCaseMetrics(denied, new Date('2026-12-02T10:00:01Z')).map((p) => p.name)).toEqual([
      'Cases',
      'CasesByReason',
      'TimeToDecision',
    ]);
  });

  it('reports a handoff on its queue, general when the decision named none', () => {
    const handoff = {
      outcome: 'human_handoff' as const,
      rule: 7,
      reason: 'fraud_signal',
      queue: 'security' as const,
    };
    expect(handoffMetrics({ decision: handoff })).toEqual([
      { name: 'Handoffs', unit: 'Count', value: 1, dimensions: { queue: 'security' } },
    ]);
    expect(handoffMetrics({ decision: { ...handoff, queue: null } })[0]?.dimensions).toEqual({
      queue: 'general',
    });
  });

  it('reports a re-dispatch after the SLA as an escalation on its queue, not as another handoff', () => {
    const handoff = {
      outcome: 'human_handoff' as const,
      rule: 5,
      reason: 'high_value',
      queue: 'billing' as const,
    };
    expect(handoffMetrics({ decision: handoff }, 1)).toEqual([
      { name: 'SlaEscalations', unit: 'Count', value: 1, dimensions: { queue: 'billing' } },
    ]);
  });

  it('reports returns started by policy, and a final status once (a retry that changed nothing reports nothing)', () => {
    expect(returnStartedMetrics('inspect_then_refund')).toEqual([
      { name: 'ReturnsStarted', unit: 'Count', value: 1, dimensions: { policy: 'inspect_then_refund' } },
    ]);
    expect(returnFinishedMetrics('refunded', true)).toEqual([
      { name: 'ReturnsFinished', unit: 'Count', value: 1, dimensions: { status: 'refunded' } },
    ]);
    expect(returnFinishedMetrics('refunded', false)).toEqual([]);
  });

  it('reports the callback wait from dispatch to claim on its queue, and nothing without a dispatch time', () => {
    expect(claimMetrics('2026-12-02T10:00:00Z', 'billing', new Date('2026-12-02T10:03:00Z'))).toEqual([
      { name: 'CallbackWait', unit: 'Milliseconds', value: 180_000, dimensions: { queue: 'billing' } },
    ]);
    expect(claimMetrics(undefined, 'billing', new Date())).toEqual([]);
  });

  it('reports a settled goodwill credit per currency, a refused one as a failure, and no credit as nothing', () => {
    expect(creditMetrics({ status: 'succeeded', amount: 500, currency: 'gbp' })).toEqual([
      { name: 'CreditedMinorUnits', unit: 'None', value: 500, dimensions: { currency: 'GBP' } },
    ]);
    expect(creditMetrics({ status: 'failed', amount: 500, currency: 'GBP' }).map((p) => p.name)).toEqual([
      'CreditFailed',
    ]);
    expect(creditMetrics({ status: 'none', amount: 0, currency: 'USD' })).toEqual([]);
  });

  it("reports a sweep's stuck cases and restarts, and nothing for a sweep that found nothing", () => {
    expect(sweepMetrics({ needs_attention: 2, start: 1 })).toEqual([
      { name: 'StuckCasesFound', unit: 'Count', value: 2, dimensions: {} },
      { name: 'CasesRestarted', unit: 'Count', value: 1, dimensions: {} },
    ]);
    expect(sweepMetrics({ needs_attention: 0, start: 0 })).toEqual([]);
  });
});

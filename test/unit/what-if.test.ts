/** The what-if comparison: which scenarios changed, and the totals an operator reads, per currency and per queue. */
import { describe, expect, it } from 'vitest';
import {
  changedScenarios,
  chargeCurrenciesOf,
  refundedByCurrency,
  whatIfReport,
} from '../../local/what-if.js';

const refunded = (id: string, chargeId: string, amount: number) => ({
  id,
  outcome: 'auto_refunded',
  reason: 'billing_error',
  handoffQueue: null,
  refundedChargeIds: [chargeId],
  refundedAmount: amount,
});
const handoff = (id: string, reason: string, queue: string) => ({
  id,
  outcome: 'human_handoff',
  reason,
  handoffQueue: queue,
  refundedChargeIds: [],
  refundedAmount: 0,
});

const lines = [
  JSON.stringify({ id: 'a', charges: [{ id: 'c1', currency: 'USD' }] }),
  JSON.stringify({ id: 'b', charges: [{ id: 'c1', currency: 'EUR' }] }),
  JSON.stringify({ id: 'c', charges: [] }),
];
const before = [
  refunded('a', 'c1', 1299),
  refunded('b', 'c1', 4000),
  handoff('c', 'customer_request', 'general'),
];
const after = [
  handoff('a', 'approval_required', 'billing'),
  refunded('b', 'c1', 4000),
  handoff('c', 'customer_request', 'general'),
];

describe('what-if replay', () => {
  it('reports only the scenarios whose outcome, reason, queue or refund changed, without their ids twice', () => {
    expect(changedScenarios(before, after)).toEqual([
      {
        id: 'a',
        before: {
          outcome: 'auto_refunded',
          reason: 'billing_error',
          handoffQueue: null,
          refundedChargeIds: ['c1'],
          refundedAmount: 1299,
        },
        after: {
          outcome: 'human_handoff',
          reason: 'approval_required',
          handoffQueue: 'billing',
          refundedChargeIds: [],
          refundedAmount: 0,
        },
      },
    ]);
  });

  it("totals refunded money per currency from each scenario's own charges, never across currencies", () => {
    const currencies = chargeCurrenciesOf(lines);
    expect(refundedByCurrency(before, currencies)).toEqual(
      new Map([
        ['USD', 1299],
        ['EUR', 4000],
      ]),
    );
    expect(refundedByCurrency(after, currencies)).toEqual(new Map([['EUR', 4000]]));
  });

  it('prints outcomes, money and handoffs per queue before and after', () => {
    const report = whatIfReport(before, after, chargeCurrenciesOf(lines), [
      'refundHub:autoRefundMode=approve',
    ]);
    expect(report).toContain('1 of 3 scenario(s) change');
    expect(report).toContain('| auto_refunded / billing_error | 2 | 1 | -1 |');
    expect(report).toContain('| USD | $12.99 | $0.00 | -$12.99 |');
    expect(report).toContain('| EUR | €40.00 | €40.00 | €0.00 |');
    expect(report).toContain('| billing | 0 | 1 | +1 |');
  });
});

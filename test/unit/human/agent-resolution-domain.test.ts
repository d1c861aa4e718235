import { describe, expect, it } from 'vitest';
import {
  allocateRefund,
  needsSecondApproval,
  planResolution,
  type RefundableCharge,
  ResolutionRefused,
  type ResolutionRequest,
  recheckRemainders,
} from '../../../functions/agent-resolution/domain.js';

/** The case's own charges are the ones given, in order (its billing errors). */
const plan = (
  request: ResolutionRequest,
  refundable: readonly RefundableCharge[],
  goodwillCapMinor: number,
  agentId: string,
  caseCurrency: string | null = null,
) =>
  planResolution(request, {
    customerCharges: refundable,
    defaultChargeIds: refundable.map((c) => c.chargeId),
    goodwillCapMinor,
    agentId,
    caseCurrency,
  });

const charges = [
  { chargeId: 'CH-2', refundable: 1499, currency: 'USD' },
  { chargeId: 'CH-3', refundable: 500, currency: 'USD' },
];

describe('agent resolution: approve_refund', () => {
  it('refunds everything refundable when no amount is given', () => {
    const output = plan({ decision: 'approve_refund', note: 'ok' }, charges, 5000, 'agent-1');
    expect(output).toMatchObject({
      decision: 'approve_refund',
      amount: 1999,
      currency: 'USD',
      agentId: 'agent-1',
    });
    expect(output.charges).toEqual([
      { chargeId: 'CH-2', amount: 1499, currency: 'USD' },
      { chargeId: 'CH-3', amount: 500, currency: 'USD' },
    ]);
  });

  it('spreads a partial amount over the charges in order, never past a remainder', () => {
    expect(allocateRefund(charges, 1600).lines).toEqual([
      { chargeId: 'CH-2', amount: 1499, currency: 'USD' },
      { chargeId: 'CH-3', amount: 101, currency: 'USD' },
    ]);
  });

  it('refunds in one currency: the case currency, never a sum across currencies', () => {
    const mixed = [...charges, { chargeId: 'CH-9', refundable: 45000, currency: 'JPY' }];

    const output = plan({ decision: 'approve_refund', note: 'ok' }, mixed, 5000, 'a', 'USD');

    expect(output).toMatchObject({ amount: 1999, currency: 'USD' });
    expect(output.charges.map((c) => c.chargeId)).toEqual(['CH-2', 'CH-3']);
  });

  it('asks the agent to name the currency when the case has charges in several (422 currency_required)', () => {
    const mixed = [...charges, { chargeId: 'CH-9', refundable: 45000, currency: 'JPY' }];

    expect(() => plan({ decision: 'approve_refund', note: 'x' }, mixed, 5000, 'a', null)).toThrow(
      expect.objectContaining({ code: 'currency_required', message: expect.stringContaining('JPY and USD') }),
    );
    expect(
      plan({ decision: 'approve_refund', currency: 'JPY', note: 'x' }, mixed, 5000, 'a', null),
    ).toMatchObject({
      amount: 45000,
      currency: 'JPY',
      charges: [{ chargeId: 'CH-9', amount: 45000, currency: 'JPY' }],
    });
  });

  it('refuses to allocate one refund over charges of several currencies', () => {
    expect(() =>
      allocateRefund([...charges, { chargeId: 'CH-9', refundable: 1, currency: 'JPY' }], 10),
    ).toThrow(expect.objectContaining({ code: 'mixed_currency' }));
  });

  it('refuses more than the refundable remainder, with the numbers in the message', () => {
    const refuse = () => plan({ decision: 'approve_refund', amount: 2000, note: 'x' }, charges, 5000, 'a');
    expect(refuse).toThrow(ResolutionRefused);
    expect(refuse).toThrow(/2000 is more than the 1999 left/);
  });

  it('refuses when nothing is left to refund', () => {
    const spent = [{ chargeId: 'CH-2', refundable: 0, currency: 'USD' }];
    expect(() => plan({ decision: 'approve_refund', note: 'x' }, spent, 5000, 'a')).toThrow(
      expect.objectContaining({ code: 'nothing_refundable' }),
    );
  });
});

describe('agent resolution: goodwill_credit and deny', () => {
  it('allows a credit up to the cap, inclusive', () => {
    expect(plan({ decision: 'goodwill_credit', amount: 5000, note: 'sorry' }, [], 5000, 'a')).toMatchObject({
      decision: 'goodwill_credit',
      amount: 5000,
      charges: [],
    });
  });

  it('refuses a credit one cent over the cap', () => {
    expect(() => plan({ decision: 'goodwill_credit', amount: 5001, note: 'x' }, [], 5000, 'a')).toThrow(
      expect.objectContaining({ code: 'goodwill_over_cap' }),
    );
  });

  it('needs an amount for a credit', () => {
    expect(() => plan({ decision: 'goodwill_credit', note: 'x' }, [], 5000, 'a')).toThrow(
      expect.objectContaining({ code: 'amount_required', statusCode: 400 }),
    );
  });

  it('a denial moves no money: an amount on it is refused, and the customer message is required', () => {
    expect(() =>
      plan({ decision: 'deny', amount: 100, note: 'policy', customerMessage: 'No.' }, charges, 5000, 'a'),
    ).toThrow(expect.objectContaining({ code: 'no_money_in_decision' }));
    expect(() => plan({ decision: 'deny', note: 'policy' }, charges, 5000, 'a')).toThrow(
      expect.objectContaining({ code: 'customer_message_required', statusCode: 400 }),
    );
    expect(
      plan({ decision: 'deny', note: 'policy', customerMessage: 'No refund is due.' }, charges, 5000, 'a'),
    ).toMatchObject({
      decision: 'deny',
      amount: 0,
      charges: [],
      customerMessage: 'No refund is due.',
    });
  });
});

describe('agent resolution: named charges, defaults and dual approval', () => {
  const customerCharges: RefundableCharge[] = [
    { chargeId: 'CH-OLD', refundable: 1499, currency: 'USD', chargedAt: '2026-01-15T00:00:00Z' },
    { chargeId: 'CH-ORDER', refundable: 129_900, currency: 'USD', chargedAt: '2026-02-10T00:00:00Z' },
    { chargeId: 'CH-NEWEST', refundable: 2500, currency: 'USD', chargedAt: '2026-03-20T00:00:00Z' },
  ];
  const context = (defaultChargeIds: string[]) => ({
    customerCharges,
    defaultChargeIds,
    goodwillCapMinor: 5000,
    agentId: 'agent-1',
    caseCurrency: 'USD',
  });

  it('never refunds the newest charge by default: no case charges is a 422 asking for charges', () => {
    expect(() => planResolution({ decision: 'approve_refund', note: 'x' }, context([]))).toThrow(
      expect.objectContaining({ code: 'charges_required' }),
    );
  });

  it("defaults to the case's order charge, and spreads an amount over it (a partial refund)", () => {
    const output = planResolution(
      { decision: 'approve_refund', amount: 50_000, note: 'x' },
      context(['CH-ORDER']),
    );
    expect(output).toMatchObject({ amount: 50_000, charges: [{ chargeId: 'CH-ORDER', amount: 50_000 }] });
  });

  it('an amount with named charges must be their sum', () => {
    expect(() =>
      planResolution(
        { decision: 'approve_refund', amount: 10, charges: [{ chargeId: 'CH-OLD', amount: 100 }], note: 'x' },
        context([]),
      ),
    ).toThrow(expect.objectContaining({ code: 'amount_mismatch' }));
  });

  it('a charge named twice is refused', () => {
    expect(() =>
      planResolution(
        {
          decision: 'approve_refund',
          charges: [
            { chargeId: 'CH-OLD', amount: 100 },
            { chargeId: 'CH-OLD', amount: 100 },
          ],
          note: 'x',
        },
        context([]),
      ),
    ).toThrow(expect.objectContaining({ code: 'duplicate_charge' }));
  });

  it('needs a second approval only over the threshold, and only for money', () => {
    const at = (amount: number) =>
      planResolution(
        { decision: 'approve_refund', charges: [{ chargeId: 'CH-ORDER', amount }], note: 'x' },
        context([]),
      );
    expect(needsSecondApproval(at(100_000), 100_000)).toBe(false);
    expect(needsSecondApproval(at(100_001), 100_000)).toBe(true);
    const deny = planResolution({ decision: 'resolve', note: 'x', customerMessage: 'Done.' }, context([]));
    expect(needsSecondApproval(deny, 0)).toBe(false);
  });

  it('re-checks a pending refund against the remainders at confirmation time', () => {
    const output = planResolution(
      { decision: 'approve_refund', charges: [{ chargeId: 'CH-ORDER', amount: 129_900 }], note: 'x' },
      context([]),
    );
    const moved = customerCharges.map((c) => (c.chargeId === 'CH-ORDER' ? { ...c, refundable: 100 } : c));
    expect(() => recheckRemainders(output, moved)).toThrow(
      expect.objectContaining({
        code: 'amount_exceeds_remainder',
        message: expect.stringContaining('CH-ORDER'),
      }),
    );
    expect(() => recheckRemainders(output, customerCharges)).not.toThrow();
  });
});

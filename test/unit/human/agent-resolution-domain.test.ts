import { describe, expect, it } from 'vitest';
import {
  allocateRefund,
  planResolution,
  ResolutionRefused,
} from '../../../functions/agent-resolution/domain.js';

const charges = [
  { chargeId: 'CH-2', refundable: 1499, currency: 'USD' },
  { chargeId: 'CH-3', refundable: 500, currency: 'USD' },
];

describe('agent resolution: approve_refund', () => {
  it('refunds everything refundable when no amount is given', () => {
    const plan = planResolution({ decision: 'approve_refund', note: 'ok' }, charges, 5000, 'agent-1');
    expect(plan).toMatchObject({
      decision: 'approve_refund',
      amount: 1999,
      currency: 'USD',
      agentId: 'agent-1',
    });
    expect(plan.charges).toEqual([
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

    const plan = planResolution({ decision: 'approve_refund', note: 'ok' }, mixed, 5000, 'a', 'USD');

    expect(plan).toMatchObject({ amount: 1999, currency: 'USD' });
    expect(plan.charges.map((c) => c.chargeId)).toEqual(['CH-2', 'CH-3']);
  });

  it('asks the agent to name the currency when the case has charges in several (422 currency_required)', () => {
    const mixed = [...charges, { chargeId: 'CH-9', refundable: 45000, currency: 'JPY' }];

    expect(() => planResolution({ decision: 'approve_refund', note: 'x' }, mixed, 5000, 'a', null)).toThrow(
      expect.objectContaining({ code: 'currency_required', message: expect.stringContaining('JPY and USD') }),
    );
    expect(
      planResolution({ decision: 'approve_refund', currency: 'JPY', note: 'x' }, mixed, 5000, 'a', null),
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
    const refuse = () =>
      planResolution({ decision: 'approve_refund', amount: 2000, note: 'x' }, charges, 5000, 'a');
    expect(refuse).toThrow(ResolutionRefused);
    expect(refuse).toThrow(/2000 is more than the 1999 left/);
  });

  it('refuses when nothing is left to refund', () => {
    const spent = [{ chargeId: 'CH-2', refundable: 0, currency: 'USD' }];
    expect(() => planResolution({ decision: 'approve_refund', note: 'x' }, spent, 5000, 'a')).toThrow(
      expect.objectContaining({ code: 'nothing_refundable' }),
    );
  });
});

describe('agent resolution: goodwill_credit and deny', () => {
  it('allows a credit up to the cap, inclusive', () => {
    expect(
      planResolution({ decision: 'goodwill_credit', amount: 5000, note: 'sorry' }, [], 5000, 'a'),
    ).toMatchObject({
      decision: 'goodwill_credit',
      amount: 5000,
      charges: [],
    });
  });

  it('refuses a credit one cent over the cap', () => {
    expect(() =>
      planResolution({ decision: 'goodwill_credit', amount: 5001, note: 'x' }, [], 5000, 'a'),
    ).toThrow(expect.objectContaining({ code: 'goodwill_over_cap' }));
  });

  it('needs an amount for a credit', () => {
    expect(() => planResolution({ decision: 'goodwill_credit', note: 'x' }, [], 5000, 'a')).toThrow(
      expect.objectContaining({ code: 'invalid_amount' }),
    );
  });

  it('a denial moves no money', () => {
    expect(
      planResolution({ decision: 'deny', amount: 100, note: 'policy' }, charges, 5000, 'a'),
    ).toMatchObject({
      decision: 'deny',
      amount: 0,
      charges: [],
    });
  });
});

/** The evidence pack (pure), for each policy path an agent meets: what they see to decide without another tool. */
import { describe, expect, it } from 'vitest';
import { type EvidenceCase, type EvidenceInput, evidencePack } from '../../functions/agent-cases/evidence.js';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { LocatedLedgerLine } from '../../functions/shared/ledger.js';

const NOW = new Date('2026-03-20T12:10:00.000Z');
const CASE_ID = `case-${'a'.repeat(32)}`;
const NO_BILLING = { refundableTotals: [], billingErrors: [], refundableCharges: [] };
const NO_ORDER = { found: false, orderId: null, total: 0, currency: null, status: null };

function record(overrides: Partial<EvidenceCase> & { facts?: Record<string, unknown> } = {}): EvidenceCase {
  const { facts, ...rest } = overrides;
  return {
    caseId: CASE_ID,
    customerId: 'C-1',
    createdAt: '2026-03-20T11:59:00.000Z',
    updatedAt: '2026-03-20T12:00:00.000Z',
    status: 'awaiting_agent',
    message: 'You charged me after I cancelled, card [card number removed]',
    orderId: null,
    callbackPhone: null,
    requestFingerprint: 'f',
    requestedAt: '2026-03-20T11:59:00.000Z',
    intent: 'billing_refund',
    classification: {
      intent: 'billing_refund',
      confidence: 0.93,
      frustrated: true,
      urgent: false,
      humanRequested: false,
    },
    outcome: 'human_handoff',
    rule: 5,
    reason: 'high_value',
    handoffQueue: 'billing',
    priority: 'high',
    receipt: {
      rule: 5,
      reason: 'high_value',
      facts: facts ?? { billing: NO_BILLING, order: NO_ORDER },
      thresholds: { callbackSlaSeconds: 300 },
    },
    timeline: [
      { at: '2026-03-20T12:00:00.000Z', step: 'callback_dispatched' },
      { at: '2026-03-20T11:59:30.000Z', step: 'classified' },
    ],
    taskToken: 'secret-token',
    escalations: 0,
    agentQueue: 'billing',
    dispatchedAt: '2026-03-20T12:00:00.000Z',
    contact: 'call',
    ...rest,
  } as EvidenceCase;
}

function account(overrides: Partial<CustomerAccount> = {}): CustomerAccount {
  return {
    profile: { id: 'C-1', phone: '+12065550101' },
    subscriptions: [],
    charges: [],
    orders: [],
    ...overrides,
  };
}

function line(
  chargeId: string,
  caseId: string,
  amount: number,
  status: LocatedLedgerLine['status'],
  at: string,
  currency = 'USD',
) {
  return {
    customerId: 'C-1',
    chargeId,
    caseId,
    currency,
    amount,
    status,
    source: 'auto',
    at,
    provider: 'ledger',
    idempotencyKey: `${caseId}:${chargeId}`,
    attempt: 1,
  } as LocatedLedgerLine;
}

function pack(input: Partial<EvidenceInput> & { record: EvidenceCase }) {
  return evidencePack(
    { account: account(), ledger: [], customerCases: [], credit: undefined, ...input },
    NOW,
  );
}

describe('evidence pack: a billing error (after cancellation, high value)', () => {
  const subscriptions = [
    {
      id: 'SUB-1',
      plan: 'business-annual',
      status: 'cancelled' as const,
      cancelledAt: '2026-01-05T00:00:00Z',
      cancellationEffectiveAt: '2026-02-01T00:00:00Z',
    },
  ];
  const charges = [
    // Exactly at the effective instant: after the cancellation (POLICY rule 1), so the marker comes first.
    {
      id: 'CH-4',
      subscriptionId: 'SUB-1',
      amount: 69900,
      currency: 'USD',
      chargedAt: '2026-02-01T00:00:00Z',
      billingPeriodStart: '2026-02-01T00:00:00Z',
    },
    // Earlier as an instant though later as a string: -08:00.
    {
      id: 'CH-3',
      subscriptionId: 'SUB-1',
      amount: 69900,
      currency: 'USD',
      chargedAt: '2026-01-01T20:00:00-08:00',
      billingPeriodStart: '2026-01-01T00:00:00Z',
    },
    {
      id: 'CH-2',
      subscriptionId: 'SUB-1',
      amount: 69900,
      currency: 'USD',
      chargedAt: '2026-01-02T01:00:00Z',
      refundedAmount: 100,
    },
  ];
  const facts = {
    billing: {
      refundableTotals: [{ currency: 'USD', amount: 69900 }],
      billingErrors: [{ chargeId: 'CH-4', kinds: ['after_cancellation'] }],
    },
    order: NO_ORDER,
  };
  const ledger = [
    line('CH-4', `case-${'b'.repeat(32)}`, 5000, 'succeeded', '2026-02-10T00:00:00Z'),
    line('CH-4', `case-${'c'.repeat(32)}`, 7000, 'failed', '2026-02-11T00:00:00Z'),
    line('CH-4', CASE_ID, 1000, 'pending', '2026-03-20T12:00:00Z'),
  ];
  const result = pack({ record: record({ facts }), account: account({ subscriptions, charges }), ledger });

  it('puts the charges in time order (as instants) with the effective cancellation among them', () => {
    expect(
      result.charges.map((e) => (e.type === 'charge' ? e.chargeId : `${e.type}:${e.subscriptionId}`)),
    ).toEqual(['CH-2', 'CH-3', 'cancellation_effective:SUB-1', 'CH-4']);
  });

  it('marks the billing error with its kinds and its remainder after the ledger and outside refunds', () => {
    const ch4 = result.charges.find((e) => e.type === 'charge' && e.chargeId === 'CH-4');
    expect(ch4).toMatchObject({
      isBillingError: true,
      billingErrorKinds: ['after_cancellation'],
      refundedOutside: 0,
      // 69900 − 5000 paid − 1000 pending; the failed line gave its 7000 back.
      remainder: 63900,
    });
    expect(ch4?.type === 'charge' && ch4.ledger.map((l) => [l.amount, l.status])).toEqual([
      [5000, 'succeeded'],
      [7000, 'failed'],
      [1000, 'pending'],
    ]);
    const ch2 = result.charges.find((e) => e.type === 'charge' && e.chargeId === 'CH-2');
    expect(ch2).toMatchObject({ isBillingError: false, refundedOutside: 100, remainder: 69800 });
  });

  it("proposes the billing errors' remainders, and lists this case's own refunds", () => {
    expect(result.proposedRefund).toEqual({
      basis: 'billing_errors',
      charges: [{ chargeId: 'CH-4', amount: 63900, currency: 'USD' }],
      totals: [{ currency: 'USD', amount: 63900 }],
    });
    expect(result.refunds).toEqual([
      { chargeId: 'CH-4', amount: 1000, currency: 'USD', status: 'pending', source: 'auto' },
    ]);
  });

  it('shows the message, classification and markers, the rule and receipt, the wait, never the task token', () => {
    expect(result).toMatchObject({
      message: expect.stringContaining('[card number removed]'),
      intent: 'billing_refund',
      confidence: 0.93,
      markers: { frustrated: true, urgent: false, humanRequested: false, classifiedIntent: null },
      rule: 5,
      reason: 'high_value',
      queue: 'billing',
      priority: 'high',
      waitedSeconds: 600,
      contact: { callbackNumber: '+12065550101', mode: 'call' },
    });
    expect(result.receipt?.facts).toEqual(facts);
    expect(result.timeline.map((t) => t.step)).toEqual(['classified', 'callback_dispatched']);
    expect(JSON.stringify(result)).not.toContain('secret-token');
  });
});

describe('evidence pack: a duplicate charge', () => {
  const subscriptions = [{ id: 'SUB-9', plan: 'prime-monthly', status: 'active' as const }];
  const charges = [
    {
      id: 'CH-11',
      subscriptionId: 'SUB-9',
      amount: 1499,
      currency: 'USD',
      chargedAt: '2026-03-15T08:05:00Z',
      billingPeriodStart: '2026-03-15T00:00:00Z',
    },
    {
      id: 'CH-10',
      subscriptionId: 'SUB-9',
      amount: 1499,
      currency: 'USD',
      chargedAt: '2026-03-15T08:00:00Z',
      billingPeriodStart: '2026-03-15T00:00:00Z',
    },
  ];
  const facts = {
    billing: {
      refundableTotals: [{ currency: 'USD', amount: 1499 }],
      billingErrors: [{ chargeId: 'CH-11', kinds: ['duplicate'] }],
    },
    order: NO_ORDER,
  };
  const result = pack({
    record: record({ facts, reason: 'sentiment', rule: 11 }),
    account: account({ subscriptions, charges }),
  });

  it('marks the later charge of the same period a duplicate, the first legitimate, and no cancellation marker', () => {
    expect(
      result.charges.map((e) => e.type === 'charge' && [e.chargeId, e.isBillingError, e.billingErrorKinds]),
    ).toEqual([
      ['CH-10', false, []],
      ['CH-11', true, ['duplicate']],
    ]);
    expect(result.proposedRefund?.charges).toEqual([{ chargeId: 'CH-11', amount: 1499, currency: 'USD' }]);
  });
});

describe('evidence pack: a high-value delivery case with an order charge', () => {
  const orders = [
    {
      id: 'O-2',
      total: 129900,
      currency: 'USD',
      status: 'lost' as const,
      placedAt: '2026-03-10T09:00:00Z',
      promisedBy: '2026-03-14T23:59:00Z',
      carrier: 'UPS',
      trackingId: '1Z999',
      items: [{ sku: 'LAPTOP-15', name: 'Laptop 15"', quantity: 1, unitPrice: 129900 }],
    },
  ];
  const charges = [
    { id: 'CH-O2', orderId: 'O-2', amount: 129900, currency: 'USD', chargedAt: '2026-03-10T09:00:05Z' },
    { id: 'CH-O1', orderId: 'O-1', amount: 2599, currency: 'USD', chargedAt: '2026-03-01T09:00:05Z' },
  ];
  const facts = {
    billing: NO_BILLING,
    order: {
      found: true,
      orderId: 'O-2',
      total: 129900,
      currency: 'USD',
      status: 'lost',
      late: true,
      deliveryProblem: true,
    },
  };
  const result = pack({
    record: record({
      facts,
      intent: 'order_tracking',
      rule: 10,
      reason: 'high_value_delivery',
      agentQueue: 'delivery',
      callbackPhone: '+12065550199',
    }),
    account: account({ orders, charges }),
    customerCases: [
      {
        caseId: `case-${'1'.repeat(32)}`,
        createdAt: '2026-03-01T00:00:00Z',
        intent: 'order_tracking',
        outcome: 'self_service',
        reason: 'order_tracking',
      },
      { caseId: CASE_ID, createdAt: '2026-03-20T11:59:00.000Z', intent: 'order_tracking' },
      {
        caseId: `case-${'2'.repeat(32)}`,
        createdAt: '2026-03-05T00:00:00Z',
        intent: 'billing_refund',
        outcome: 'auto_refunded',
        reason: 'billing_error',
        refundedTotals: [{ currency: 'USD', amount: 1499 }],
      },
    ],
  });

  it('shows the order with its carrier, tracking, items and the charge that paid for it', () => {
    expect(result.order).toMatchObject({
      orderId: 'O-2',
      status: 'lost',
      carrier: 'UPS',
      trackingId: '1Z999',
      promisedBy: '2026-03-14T23:59:00Z',
      deliveredAt: null,
      items: [{ sku: 'LAPTOP-15', quantity: 1 }],
      charge: { chargeId: 'CH-O2', amount: 129900, remainder: 129900 },
    });
  });

  it("proposes the order charge's remainder when there is no billing error", () => {
    expect(result.proposedRefund).toEqual({
      basis: 'order_charge',
      charges: [{ chargeId: 'CH-O2', amount: 129900, currency: 'USD' }],
      totals: [{ currency: 'USD', amount: 129900 }],
    });
  });

  it("lists the customer's other cases newest first (not this one), and the request's callback number first", () => {
    expect(result.otherCases.map((c) => [c.caseId.slice(5, 6), c.outcome])).toEqual([
      ['2', 'auto_refunded'],
      ['1', 'self_service'],
    ]);
    expect(result.otherCases[0]?.refundedTotals).toEqual([{ currency: 'USD', amount: 1499 }]);
    expect(result.contact.callbackNumber).toBe('+12065550199');
    expect(result.queue).toBe('delivery');
  });

  it('shows at most 5 other cases', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      caseId: `case-${String(i).repeat(32)}`,
      createdAt: `2026-03-0${i + 1}T00:00:00Z`,
    }));
    const shown = pack({ record: record(), customerCases: many }).otherCases;
    expect(shown.map((c) => c.createdAt)).toEqual([
      '2026-03-08T00:00:00Z',
      '2026-03-07T00:00:00Z',
      '2026-03-06T00:00:00Z',
      '2026-03-05T00:00:00Z',
      '2026-03-04T00:00:00Z',
    ]);
  });
});

describe('evidence pack: a security case with no money', () => {
  const result = pack({
    record: record({
      intent: 'account_security',
      classification: {
        intent: 'account_security',
        confidence: 0.97,
        frustrated: false,
        urgent: true,
        humanRequested: false,
      },
      rule: 1,
      reason: 'account_security',
      agentQueue: 'security',
      priority: 'urgent',
      contact: 'live_chat',
    }),
    account: account({ profile: { id: 'C-1' } }),
  });

  it('has no charges, no order and no proposed refund; live chat without a number', () => {
    expect(result).toMatchObject({
      charges: [],
      order: null,
      proposedRefund: null,
      refunds: [],
      credits: [],
      contact: { callbackNumber: null, mode: 'live_chat' },
      markers: { urgent: true },
      priority: 'urgent',
    });
  });
});

describe('evidence pack: mixed currencies', () => {
  const subscriptions = [
    {
      id: 'SUB-US',
      plan: 'prime-monthly',
      status: 'cancelled' as const,
      cancelledAt: '2026-02-01T00:00:00Z',
    },
    { id: 'SUB-JP', plan: 'prime-jp', status: 'cancelled' as const, cancelledAt: '2026-02-01T00:00:00Z' },
  ];
  const charges = [
    {
      id: 'CH-US',
      subscriptionId: 'SUB-US',
      amount: 1499,
      currency: 'USD',
      chargedAt: '2026-03-01T00:00:00Z',
    },
    {
      id: 'CH-JP',
      subscriptionId: 'SUB-JP',
      amount: 45000,
      currency: 'JPY',
      chargedAt: '2026-03-02T00:00:00Z',
    },
  ];
  const facts = {
    billing: {
      refundableTotals: [
        { currency: 'JPY', amount: 45000 },
        { currency: 'USD', amount: 1499 },
      ],
      billingErrors: [{ chargeId: 'CH-US' }, { chargeId: 'CH-JP' }],
    },
    order: NO_ORDER,
  };
  const result = pack({
    record: record({ facts, rule: 4, reason: 'mixed_currency' }),
    account: account({ subscriptions, charges }),
    ledger: [line('CH-JP', `case-${'d'.repeat(32)}`, 5000, 'succeeded', '2026-03-03T00:00:00Z', 'JPY')],
    credit: { amount: 500, currency: 'USD', status: 'succeeded', providerCreditId: 'cr_1' },
  });

  it('proposes a refund per currency, never one sum across them', () => {
    expect(result.proposedRefund?.totals).toEqual([
      { currency: 'JPY', amount: 40000 },
      { currency: 'USD', amount: 1499 },
    ]);
    expect(result.charges.filter((e) => e.type === 'cancellation_effective')).toHaveLength(2);
  });

  it("shows the case's credit", () => {
    expect(result.credits).toEqual([
      { amount: 500, currency: 'USD', status: 'succeeded', providerCreditId: 'cr_1' },
    ]);
  });
});

/**
 * POLICY.md's decision table, row by row, run through the synthesized state machine on the
 * embedded runtime. The classifier is replaced by a stub returning a chosen classification, so the
 * routing under test is the definition's; every other step is its real handler.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { Classification, Intent } from '../../functions/shared/types.js';
import { type CaseRequest, runCase, seedAccount } from '../../local/cases.js';
import {
  account,
  cancelledSubscription,
  enteredStates,
  ledgerItems,
  messageCenter,
  NOW,
  newCustomerId,
  order,
  subscriptionCharge,
  timelineSteps,
  workflowRuntime,
} from './support.js';

const wf = workflowRuntime();
const { classifier } = wf;

/** Seeds the account, makes the classifier answer `classification` and runs one case at NOW. */
async function runWith(
  customer: CustomerAccount,
  classification: Partial<Classification>,
  request: Partial<CaseRequest> = {},
) {
  await seedAccount(wf.runtime, customer);
  classifier.classifyAs(classification);
  return runCase(wf.runtime, {
    customerId: customer.profile.id,
    message: 'a customer message (the classifier is stubbed)',
    now: NOW,
    ...request,
  });
}

/** A cancelled subscription with one legitimate charge and one charged after cancellation. */
function billingErrorAccount(customerId: string, afterCancellationAmount = 1499): CustomerAccount {
  return account(customerId, {
    phone: '+12065550101',
    subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
    charges: [
      subscriptionCharge('CH-1', 'SUB-1', 1499, '2026-01-15T08:00:00Z'),
      subscriptionCharge('CH-2', 'SUB-1', afterCancellationAmount, '2026-03-15T08:00:00Z'),
    ],
  });
}

const billing: Partial<Classification> = { intent: 'billing_refund', confidence: 0.97 };

describe('rule 1: account security goes to the security team, first', () => {
  it('hands off to security with urgent priority even when a person is asked for and billing errors exist', async () => {
    // Prepare
    const customerId = newCustomerId('r1');

    // Act
    const run = await runWith(billingErrorAccount(customerId), {
      intent: 'account_security',
      humanRequested: true,
      frustrated: true,
    });

    // Assess
    expect(run.waitingForAgent).toBe(true);
    expect(run.record).toMatchObject({
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'account_security',
      rule: 1,
      handoffQueue: 'security',
      priority: 'urgent',
      refundedAmount: 0,
      refundedChargeIds: [],
    });
    expect(enteredStates(run.execution)).not.toContain('CompareBillingDates');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
    const callbacks = await wf.queues.forCase(run.caseId);
    expect(callbacks.map((c) => [c.team, c.attributes.priority])).toEqual([['security', 'urgent']]);
  });
});

describe('rule 2: the customer asks for a person', () => {
  it.each<[Intent, string]>([
    ['billing_refund', 'billing'],
    ['order_tracking', 'delivery'],
    ['other', 'general'],
    ['return_request', 'delivery'],
    ['cancellation', 'general'],
    ['product_question', 'general'],
  ])('humanRequested with intent %s → customer_request on the %s queue', async (intent, queue) => {
    // Prepare: a billing error exists, and still nothing is refunded automatically.
    const customerId = newCustomerId('r2');

    // Act
    const run = await runWith(billingErrorAccount(customerId), { intent, humanRequested: true });

    // Assess
    expect(run.record).toMatchObject({
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'customer_request',
      rule: 2,
      handoffQueue: queue,
      refundedAmount: 0,
    });
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
    const callbacks = await wf.queues.forCase(run.caseId);
    expect(callbacks.map((c) => c.team)).toEqual([queue]);
  });

  it('intent human_agent without the humanRequested marker is also a customer request (general queue)', async () => {
    const customerId = newCustomerId('r2-agent');

    const run = await runWith(account(customerId), { intent: 'human_agent', humanRequested: false });

    expect(run.record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'customer_request',
      handoffQueue: 'general',
      callbackOffered: false,
    });
  });
});

describe('rule 3: no refund due', () => {
  it('a charge before the effective cancellation is legitimate: no_billing_error, callback offered', async () => {
    // Prepare
    const customerId = newCustomerId('r3-none');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-2', '2026-03-18T10:00:00Z')],
      charges: [subscriptionCharge('CH-3', 'SUB-2', 1499, '2026-03-15T08:00:00Z')],
    });

    // Act
    const run = await runWith(customer, billing);

    // Assess
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.record).toMatchObject({
      status: 'resolved',
      outcome: 'no_refund_due',
      reason: 'no_billing_error',
      rule: 3,
      handoffQueue: null,
      refundedChargeIds: [],
      refundedAmount: 0,
      callbackOffered: true,
    });
    const [message] = await messageCenter(wf.runtime, customerId);
    expect(message).toMatchObject({ caseId: run.caseId, subject: 'About your refund request' });
    expect(message?.body).toContain('Call Me Now');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });

  it('cancellationEffectiveAt wins over cancelledAt: a charge between the two is legitimate', async () => {
    const customerId = newCustomerId('r3-effective');
    const customer = account(customerId, {
      subscriptions: [
        cancelledSubscription('SUB-E', '2026-03-01T00:00:00Z', {
          cancellationEffectiveAt: '2026-03-31T00:00:00Z',
        }),
      ],
      charges: [subscriptionCharge('CH-E', 'SUB-E', 1499, '2026-03-15T08:00:00Z')],
    });

    const run = await runWith(customer, billing);

    expect(run.record).toMatchObject({ outcome: 'no_refund_due', reason: 'no_billing_error' });
  });

  it('a billing error already refunded in full: already_refunded, callback offered, nothing paid', async () => {
    // Prepare
    const customerId = newCustomerId('r3-refunded');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-03-15T08:00:00Z', { refundedAmount: 1499 })],
    });

    // Act
    const run = await runWith(customer, billing);

    // Assess
    expect(run.record).toMatchObject({
      outcome: 'no_refund_due',
      reason: 'already_refunded',
      refundedAmount: 0,
      callbackOffered: true,
    });
    const [message] = await messageCenter(wf.runtime, customerId);
    expect(message?.body).toContain('already refunded');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });
});

/** A cancelled subscription each for charges made after cancellation, one per [id, amount, currency]. */
function chargedAfterCancellation(customerId: string, charges: [string, number, string][]): CustomerAccount {
  return account(customerId, {
    phone: '+12065550101',
    subscriptions: charges.map(([id]) => cancelledSubscription(`SUB-${id}`, '2026-02-14T10:00:00Z')),
    charges: charges.map(([id, amount, currency], i) =>
      subscriptionCharge(id, `SUB-${id}`, amount, `2026-03-1${i}T08:00:00Z`, { currency }),
    ),
  });
}

describe('rule 4: billing errors in more than one currency go to the billing team', () => {
  it('a USD 1499 and a JPY 45000 error are never added (not "46499"): mixed_currency, nothing refunded', async () => {
    // Prepare: the reproduction.
    const customerId = newCustomerId('r4-mixed');
    const customer = chargedAfterCancellation(customerId, [
      ['CH-USD', 1499, 'USD'],
      ['CH-JPY', 45_000, 'JPY'],
    ]);

    // Act
    const run = await runWith(customer, billing);

    // Assess
    expect(run.record).toMatchObject({
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'mixed_currency',
      rule: 4,
      handoffQueue: 'billing',
      refundedAmount: 0,
      refundedChargeIds: [],
    });
    expect(run.record.receipt?.facts.billing).toMatchObject({
      mixedCurrency: true,
      refundableCurrencies: ['JPY', 'USD'],
      refundableTotals: [
        { currency: 'JPY', amount: 45_000 },
        { currency: 'USD', amount: 1499 },
      ],
    });
    expect(JSON.stringify(run.record)).not.toContain('46499');
    expect(enteredStates(run.execution)).toContain('Rule4HandoffMixedCurrency');
    expect(enteredStates(run.execution)).not.toContain('IssueRefund');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
    expect((await wf.queues.forCase(run.caseId)).map((c) => c.team)).toEqual(['billing']);
  });

  it('a currency whose errors were all refunded already does not count: the other is auto-refunded', async () => {
    const customerId = newCustomerId('r4-one-left');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [
        subscriptionCharge('CH-USD', 'SUB-1', 1499, '2026-03-15T08:00:00Z'),
        subscriptionCharge('CH-EUR', 'SUB-1', 999, '2026-03-16T08:00:00Z', {
          currency: 'EUR',
          refundedAmount: 999,
        }),
      ],
    });

    const run = await runWith(customer, billing);

    expect(run.record).toMatchObject({
      outcome: 'auto_refunded',
      rule: 9,
      refundedChargeIds: ['CH-USD'],
      refundedAmount: 1499,
      currency: 'USD',
    });
  });
});

describe('rule 5: a refund over the threshold of its currency goes to the billing team', () => {
  it.each<[string, number, string, string]>([
    ['EUR', 50_001, 'high_value', 'one cent over the EUR threshold'],
    ['EUR', 50_000, 'billing_error', 'exactly the EUR threshold'],
    ['GBP', 64_900, 'high_value', 'over the GBP threshold'],
    ['JPY', 980, 'high_value', 'a currency without a configured threshold, however small'],
  ])('%s %d → %s (%s)', async (currency, amount, reason) => {
    const customerId = newCustomerId('r5-currency');

    const run = await runWith(chargedAfterCancellation(customerId, [['CH-1', amount, currency]]), billing);

    expect(run.record).toMatchObject({ reason, rule: reason === 'high_value' ? 5 : 9 });
    if (reason === 'high_value') {
      expect(run.record).toMatchObject({
        outcome: 'human_handoff',
        handoffQueue: 'billing',
        refundedAmount: 0,
      });
      expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
    } else {
      expect(run.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: amount, currency });
      const [message] = await messageCenter(wf.runtime, customerId);
      expect(message?.body).toContain('€500.00');
    }
    expect(run.record.receipt?.thresholds).toMatchObject({
      highValueThresholds: { AUD: 50_000, CAD: 50_000, EUR: 50_000, GBP: 50_000, USD: 50_000 },
    });
  });

  it('a refundable total of 50001 (strictly over the threshold) is handed off as high_value', async () => {
    const customerId = newCustomerId('r5-over');

    const run = await runWith(billingErrorAccount(customerId, 50_001), billing);

    expect(run.record).toMatchObject({
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'high_value',
      rule: 5,
      handoffQueue: 'billing',
      priority: 'high',
      refundedAmount: 0,
    });
    expect(enteredStates(run.execution)).not.toContain('IssueRefund');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });

  it('the total is what counts: two errors of 25000 and 25001 are handed off', async () => {
    const customerId = newCustomerId('r5-sum');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [
        subscriptionCharge('CH-A', 'SUB-1', 25_000, '2026-02-15T08:00:00Z'),
        subscriptionCharge('CH-B', 'SUB-1', 25_001, '2026-03-15T08:00:00Z'),
      ],
    });

    const run = await runWith(customer, billing);

    expect(run.record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'high_value',
      handoffQueue: 'billing',
    });
  });

  it('exactly 50000 is not over the threshold: auto_refunded (boundary)', async () => {
    const customerId = newCustomerId('r5-boundary');

    const run = await runWith(billingErrorAccount(customerId, 50_000), billing);

    expect(run.record).toMatchObject({
      outcome: 'auto_refunded',
      refundedChargeIds: ['CH-2'],
      refundedAmount: 50_000,
    });
  });

  it('only the refundable remainder counts: 60000 with 10000 already refunded auto-refunds 50000', async () => {
    const customerId = newCustomerId('r5-remainder');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [
        subscriptionCharge('CH-9', 'SUB-1', 60_000, '2026-03-15T08:00:00Z', { refundedAmount: 10_000 }),
      ],
    });

    const run = await runWith(customer, billing);

    expect(run.record).toMatchObject({
      outcome: 'auto_refunded',
      refundedChargeIds: ['CH-9'],
      refundedAmount: 50_000,
    });
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([
      expect.objectContaining({ chargeId: 'CH-9', refundedTotal: 50_000 }),
    ]);
  });
});

describe('rule 9: automatic refund of billing errors', () => {
  it('refunds the charge made after cancellation, once, and tells the customer', async () => {
    // Prepare
    const customerId = newCustomerId('r9');

    // Act
    const run = await runWith(billingErrorAccount(customerId), billing);

    // Assess
    expect(run.waitingForAgent).toBe(false);
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.record).toMatchObject({
      status: 'resolved',
      outcome: 'auto_refunded',
      reason: 'billing_error',
      rule: 9,
      handoffQueue: null,
      refundedChargeIds: ['CH-2'],
      refundedAmount: 1499,
      currency: 'USD',
      callbackOffered: false,
    });
    expect(run.record.taskToken).toBeUndefined();
    const steps = timelineSteps(run.record);
    expect(steps[0]).toBe('received');
    expect(steps.filter((s) => s === 'refund_issued')).toHaveLength(1);
    expect(steps).toEqual(expect.arrayContaining(['classified', 'decided', 'customer_notified']));
    const messages = await messageCenter(wf.runtime, customerId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ caseId: run.caseId, subject: 'Your refund is on its way' });
    expect(messages[0]?.body).toContain('$14.99');
    expect(messages[0]?.body).not.toContain('Call Me Now');
    const ledger = await ledgerItems(wf.runtime, customerId);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ chargeId: 'CH-2', refundedTotal: 1499, autoRefundCaseId: run.caseId });
    expect(await wf.queues.forCase(run.caseId)).toEqual([]);
  });

  it.each<[string, Partial<Classification>]>([
    ['frustrated', { frustrated: true }],
    ['urgent', { urgent: true }],
  ])('a %s customer is refunded and offered a callback', async (_label, marker) => {
    const customerId = newCustomerId('r9-upset');

    const run = await runWith(billingErrorAccount(customerId), { ...billing, ...marker });

    expect(run.record).toMatchObject({
      outcome: 'auto_refunded',
      reason: 'billing_error',
      refundedAmount: 1499,
      callbackOffered: true,
    });
    const [message] = await messageCenter(wf.runtime, customerId);
    expect(message?.body).toContain('Call Me Now');
  });
});

describe('rule 10: high value delivery problems go to the delivery team', () => {
  it.each([
    ['delivered', { status: 'delivered', deliveredAt: '2026-03-14T15:02:00Z' }],
    ['lost', { status: 'lost' }],
    ['late (now is past promisedBy)', { status: 'shipped', promisedBy: '2026-03-19T23:59:00Z' }],
  ] as const)(
    'a 129900 order that is %s → high_value_delivery on the delivery queue',
    async (_label, facts) => {
      const customerId = newCustomerId('r10');
      const customer = account(customerId, { orders: [order('O-2', 129_900, facts)] });

      const run = await runWith(customer, { intent: 'order_tracking' });

      expect(run.record).toMatchObject({
        status: 'awaiting_agent',
        outcome: 'human_handoff',
        reason: 'high_value_delivery',
        rule: 10,
        handoffQueue: 'delivery',
        priority: 'high',
      });
      expect((await wf.queues.forCase(run.caseId)).map((c) => c.team)).toEqual(['delivery']);
    },
  );

  it.each([
    ['a low value delivered order', order('O-1', 2599, { status: 'delivered' })],
    ['a high value order on time', order('O-1', 129_900, { status: 'shipped' })],
    ['a delivered order of exactly 50000', order('O-1', 50_000, { status: 'delivered' })],
    ['a lost EUR order of exactly 50000', order('O-1', 50_000, { status: 'lost', currency: 'EUR' })],
  ])('%s is self service', async (_label, theOrder) => {
    const customerId = newCustomerId('r10-self');

    const run = await runWith(account(customerId, { orders: [theOrder] }), { intent: 'order_tracking' });

    expect(run.record).toMatchObject({
      status: 'resolved',
      outcome: 'self_service',
      reason: 'order_tracking',
      handoffQueue: null,
    });
  });

  it('"late" is judged at the case\'s own clock (CaseRequest.now), not the wall clock', async () => {
    const customerId = newCustomerId('r10-clock');
    const customer = account(customerId, {
      orders: [order('O-3', 129_900, { status: 'shipped', promisedBy: '2026-03-19T23:59:00Z' })],
    });

    const before = await runWith(
      customer,
      { intent: 'order_tracking' },
      { now: new Date('2026-03-19T12:00:00Z') },
    );
    const after = await runWith(
      customer,
      { intent: 'order_tracking' },
      { now: new Date('2026-03-20T00:30:00Z') },
    );

    expect(before.record).toMatchObject({ outcome: 'self_service', reason: 'order_tracking' });
    expect(after.record).toMatchObject({ outcome: 'human_handoff', reason: 'high_value_delivery' });
  });

  it('the order named by orderId is used over the most recent one', async () => {
    // Prepare: the most recent order is cheap and on time; an older one is expensive and lost.
    const customerId = newCustomerId('r10-named');
    const customer = account(customerId, {
      orders: [
        order('O-OLD', 129_900, { status: 'lost', placedAt: '2026-03-01T09:00:00Z' }),
        order('O-NEW', 2599, { status: 'shipped', placedAt: '2026-03-18T09:00:00Z' }),
      ],
    });

    // Act
    const named = await runWith(customer, { intent: 'order_tracking' }, { orderId: 'O-OLD' });
    const latest = await runWith(customer, { intent: 'order_tracking' });

    // Assess
    expect(named.record).toMatchObject({ outcome: 'human_handoff', reason: 'high_value_delivery' });
    expect(named.record.receipt?.facts.order).toMatchObject({ orderId: 'O-OLD', status: 'lost' });
    expect(latest.record).toMatchObject({ outcome: 'self_service', reason: 'order_tracking' });
    expect(latest.record.receipt?.facts.order).toMatchObject({ orderId: 'O-NEW' });
  });

  it('the most recent order is chosen by placedAt as an instant, not as a string', async () => {
    // "2026-03-18T01:00:00+09:00" sorts after "2026-03-17T20:00:00Z" as text but is 4 hours earlier.
    const customerId = newCustomerId('r10-instant');
    const customer = account(customerId, {
      orders: [
        order('O-TOKYO', 2599, { status: 'shipped', placedAt: '2026-03-18T01:00:00+09:00' }),
        order('O-UTC', 129_900, { status: 'lost', placedAt: '2026-03-17T20:00:00Z' }),
      ],
    });

    const run = await runWith(customer, { intent: 'order_tracking' });

    expect(run.record.receipt?.facts.order).toMatchObject({ orderId: 'O-UTC' });
    expect(run.record).toMatchObject({ outcome: 'human_handoff', reason: 'high_value_delivery' });
  });

  it('no order at all: self service', async () => {
    const customerId = newCustomerId('r10-none');

    const run = await runWith(account(customerId), { intent: 'order_tracking' });

    expect(run.record).toMatchObject({ outcome: 'self_service', reason: 'order_tracking' });
    expect(run.record.receipt?.facts.order).toMatchObject({ found: false });
  });

  it('an orderId the customer does not have: no order found, self service', async () => {
    const customerId = newCustomerId('r10-unknown');
    const customer = account(customerId, { orders: [order('O-1', 129_900, { status: 'lost' })] });

    const run = await runWith(customer, { intent: 'order_tracking' }, { orderId: 'O-NOT-MINE' });

    expect(run.record).toMatchObject({ outcome: 'self_service', reason: 'order_tracking' });
  });

  it.each([
    [
      'a lost EUR order of 50001 (over the EUR threshold)',
      order('O-1', 50_001, { status: 'lost', currency: 'EUR' }),
    ],
    [
      'a lost JPY order of 3980 (JPY has no configured threshold)',
      order('O-1', 3980, { status: 'lost', currency: 'JPY' }),
    ],
  ])('%s → high_value_delivery', async (_label, theOrder) => {
    const customerId = newCustomerId('r10-currency');

    const run = await runWith(account(customerId, { orders: [theOrder] }), { intent: 'order_tracking' });

    expect(run.record).toMatchObject({ outcome: 'human_handoff', reason: 'high_value_delivery', rule: 10 });
  });

  it('rule 10 wins over rule 11: an upset customer with a high value lost order goes to delivery as high_value_delivery', async () => {
    const customerId = newCustomerId('r10-upset');
    const customer = account(customerId, { orders: [order('O-1', 129_900, { status: 'lost' })] });

    const run = await runWith(customer, { intent: 'order_tracking', frustrated: true, urgent: true });

    expect(run.record).toMatchObject({ reason: 'high_value_delivery', handoffQueue: 'delivery' });
  });
});

describe('rule 11: upset customers on a non-billing intent go to a person', () => {
  it.each<[Intent, Partial<Classification>, string]>([
    ['order_tracking', { frustrated: true }, 'delivery'],
    ['return_request', { urgent: true }, 'delivery'],
    ['cancellation', { frustrated: true }, 'general'],
    ['product_question', { urgent: true }, 'general'],
    ['other', { frustrated: true, urgent: true }, 'general'],
  ])('%s with %o → sentiment handoff on the %s queue', async (intent, markers, queue) => {
    const customerId = newCustomerId('r11');
    const customer = account(customerId, { orders: [order('O-1', 2599)] });

    const run = await runWith(customer, { intent, ...markers });

    expect(run.record).toMatchObject({
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'sentiment',
      rule: 11,
      handoffQueue: queue,
      priority: 'high',
    });
    expect((await wf.queues.forCase(run.caseId)).map((c) => c.team)).toEqual([queue]);
  });
});

describe('rule 12: self service', () => {
  it.each<Intent>(['return_request', 'cancellation', 'product_question', 'other', 'order_tracking'])(
    '%s → self_service with reason %s',
    async (intent) => {
      const customerId = newCustomerId('r12');

      const run = await runWith(account(customerId), { intent });

      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.record).toMatchObject({
        status: 'resolved',
        outcome: 'self_service',
        reason: intent,
        rule: 12,
        handoffQueue: null,
        refundedAmount: 0,
        callbackOffered: false,
      });
      // The case shows the very message the customer got (answers per intent: test/unit/answers-messages.test.ts).
      const [message] = await messageCenter(wf.runtime, customerId);
      expect(message).toMatchObject({ caseId: run.caseId });
      expect(run.record.answer).toEqual({ subject: message?.subject, body: message?.body });
    },
  );
});

describe('an unsure classifier never refunds', () => {
  it('billing_refund at confidence 0.49 with nothing on the account to support it is treated as other', async () => {
    const customerId = newCustomerId('low');

    const run = await runWith(account(customerId), { intent: 'billing_refund', confidence: 0.49 });

    expect(run.record).toMatchObject({
      outcome: 'self_service',
      reason: 'other',
      intent: 'other',
      refundedAmount: 0,
    });
    expect(enteredStates(run.execution)).toContain('TreatUncertainAsOtherWithoutAlternatives');
    expect(enteredStates(run.execution)).not.toContain('IssueRefund');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });

  it("the unsure classification keeps the model's alternatives on its way to the policy", async () => {
    const customerId = newCustomerId('low-alternatives');
    const alternatives = [
      { intent: 'billing_refund', confidence: 0.49 },
      { intent: 'cancellation', confidence: 0.3 },
      { intent: 'other', confidence: 0.1 },
    ] as const;

    const run = await runWith(account(customerId), {
      intent: 'billing_refund',
      confidence: 0.49,
      alternatives,
    });

    expect(run.record).toMatchObject({ outcome: 'self_service', intent: 'other', refundedAmount: 0 });
    const exited = run.execution.events.find(
      (e) => e.type === 'StateExited' && e.state?.name === 'TreatUncertainAsOther',
    );
    expect((exited?.state?.output as { classification?: unknown } | undefined)?.classification).toEqual({
      intent: 'other',
      classifiedIntent: 'billing_refund',
      confidence: 0.49,
      frustrated: false,
      urgent: false,
      humanRequested: false,
      alternatives,
    });
    expect(enteredStates(run.execution)).not.toContain('TreatUncertainAsOtherWithoutAlternatives');
  });

  it('billing_refund at 0.49 on an account with a billing error: the error is named, nothing is refunded', async () => {
    const customerId = newCustomerId('low-account');

    const run = await runWith(billingErrorAccount(customerId), {
      intent: 'billing_refund',
      confidence: 0.49,
    });

    expect(run.record).toMatchObject({
      outcome: 'self_service',
      reason: 'billing_refund',
      intent: 'billing_refund',
      refundedAmount: 0,
    });
    expect(run.record.receipt?.facts.intentDecidedBy).toMatchObject({
      by: 'account',
      to: 'billing_refund',
      unsure: true,
    });
    expect(run.record.answer?.body).toContain('prime-monthly charge of $14.99 on Mar 15, 2026');
    expect(run.record.answer?.body).toContain('We have not refunded it');
    expect(enteredStates(run.execution)).not.toContain('IssueRefund');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });

  it('an upset customer with an unsure billing_refund is handed off on sentiment, not refunded', async () => {
    const customerId = newCustomerId('low-upset');

    const run = await runWith(billingErrorAccount(customerId), {
      intent: 'billing_refund',
      confidence: 0.3,
      frustrated: true,
    });

    // The account shows the billing error, so the billing team takes it (test/unit/answers-intent.test.ts).
    expect(run.record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'sentiment',
      handoffQueue: 'billing',
      refundedAmount: 0,
    });
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });

  it('the markers still apply: an unsure billing_refund asking for a person is a customer request', async () => {
    const customerId = newCustomerId('low-human');

    const run = await runWith(billingErrorAccount(customerId), {
      intent: 'billing_refund',
      confidence: 0.2,
      humanRequested: true,
    });

    expect(run.record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'customer_request',
      handoffQueue: 'billing',
    });
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });

  it('confidence exactly at the threshold (0.5) is confident enough: auto refunded', async () => {
    const customerId = newCustomerId('at-threshold');

    const run = await runWith(billingErrorAccount(customerId), { intent: 'billing_refund', confidence: 0.5 });

    expect(run.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 1499 });
  });
});

import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { Charge } from '../../functions/shared/types.js';
import {
  actionFor,
  claimDecision,
  type EventClaim,
  eventExpiresAt,
  type InvoiceLink,
  invoicePaymentsFrom,
  mergeChargeSnapshot,
  mergeInvoiceLink,
  mergeProfile,
  mergeSubscription,
  needsConfirmation,
  needsHandOff,
  refundedOutside,
  refundHubCustomerIdOf,
  subscriptionFrom,
  type WebhookAction,
} from '../../functions/stripe-webhook/domain.js';
import {
  invoiceLine,
  invoicePayment,
  stripeCharge,
  stripeEvent,
  stripeInvoice,
  stripeRefund,
  stripeSubscription,
  subscriptionItem,
  T0,
} from './stripe-fixtures.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const DAY = 86_400;

function expectKind<K extends WebhookAction['kind']>(
  action: WebhookAction,
  kind: K,
): Extract<WebhookAction, { kind: K }> {
  expect(action.kind, action.kind === 'ignore' ? action.reason : '').toBe(kind);
  return action as Extract<WebhookAction, { kind: K }>;
}

describe('event claims', () => {
  const now = new Date('2026-03-15T12:00:00Z');
  const claim = (status: EventClaim['status'], ageMs: number): EventClaim => ({
    eventId: 'evt_1',
    status,
    claimedAt: new Date(now.getTime() - ageMs).toISOString(),
    attempts: 1,
  });

  it('claims a new event, answers a done one as a duplicate and leaves a fresh claim to its delivery', () => {
    expect(claimDecision(undefined, now)).toBe('claim');
    expect(claimDecision(claim('done', 5_000), now)).toBe('duplicate');
    expect(claimDecision(claim('processing', 10_000), now)).toBe('in_progress');
  });

  it('retakes a claim left processing over a minute (a crashed delivery) and a failed one at once', () => {
    expect(claimDecision(claim('processing', 61_000), now)).toBe('retake');
    expect(claimDecision(claim('failed', 1_000), now)).toBe('retake');
  });

  it('remembers an event id for 30 days (TTL in epoch seconds)', () => {
    expect(eventExpiresAt(now)).toBe(Math.floor(now.getTime() / 1000) + 30 * DAY);
  });
});

describe('refund events', () => {
  const ours = { caseId: 'case-0123', refundHubCustomerId: 'C-1', chargeId: 'CH-our-1' };

  it.each(['refund.updated', 'refund.failed', 'charge.refund.updated'])(
    '%s: a refund with our metadata moves its ledger line, with the failure reason',
    (type) => {
      // Prepare
      const refund = stripeRefund({
        status: 'failed',
        failure_reason: 'expired_or_canceled_card',
        metadata: ours,
      });

      // Act
      const action = expectKind(actionFor(stripeEvent(type, refund, T0 + 120)), 'refund_status');

      // Assess
      expect(action.change).toEqual({
        customerId: 'C-1',
        chargeId: 'CH-our-1',
        caseId: 'case-0123',
        providerRefundId: refund.id,
        status: 'failed',
        failureReason: 'expired_or_canceled_card',
        at: iso(T0 + 120),
        amount: 1499,
        currency: 'USD',
      });
    },
  );

  it('takes the charge from refund.charge when the metadata has no chargeId; requires_action waits as pending', () => {
    const refund = stripeRefund({
      status: 'requires_action',
      charge: 'ch_stripe_9',
      metadata: { caseId: 'case-1', refundHubCustomerId: 'C-1' },
    });
    const action = expectKind(actionFor(stripeEvent('refund.updated', refund)), 'refund_status');
    expect(action.change.chargeId).toBe('ch_stripe_9');
    expect(action.change.status).toBe('pending');
    expect(action.change.failureReason).toBeUndefined();
  });

  it('ignores a refund without our metadata: made outside Refund Hub (charge.refunded counts it)', () => {
    expectKind(actionFor(stripeEvent('refund.updated', stripeRefund({ metadata: {} }))), 'ignore');
    expectKind(
      actionFor(stripeEvent('refund.updated', stripeRefund({ metadata: { caseId: 'case-1' } }))),
      'ignore',
    );
  });
});

describe('charge events', () => {
  it('charge.succeeded: the charge in POLICY terms (currency uppercase, chargedAt an instant, payment intent, order)', () => {
    const charge = stripeCharge({ currency: 'eur', metadata: { orderId: 'ORD-7' }, payment_intent: 'pi_77' });
    const action = expectKind(actionFor(stripeEvent('charge.succeeded', charge)), 'charge');
    expect(action.stripeCustomerId).toBe('cus_1');
    expect(action.charge).toEqual({
      id: charge.id,
      amount: 1499,
      currency: 'EUR',
      chargedAt: '2026-03-15T12:00:00.000Z',
      paymentIntentId: 'pi_77',
      orderId: 'ORD-7',
    });
    expect(action.outside).toBeUndefined();
  });

  it('reads an expanded customer and payment intent as their ids', () => {
    const charge = stripeCharge({
      customer: { id: 'cus_x', object: 'customer' },
      payment_intent: { id: 'pi_x' },
    });
    const action = expectKind(actionFor(stripeEvent('charge.succeeded', charge)), 'charge');
    expect(action.stripeCustomerId).toBe('cus_x');
    expect(action.charge.paymentIntentId).toBe('pi_x');
  });

  it('ignores a guest charge (no customer) and one that did not succeed', () => {
    expectKind(actionFor(stripeEvent('charge.succeeded', stripeCharge({ customer: null }))), 'ignore');
    expectKind(actionFor(stripeEvent('charge.succeeded', stripeCharge({ status: 'failed' }))), 'ignore');
  });

  it('charge.refunded: refunds listed in full count outside Refund Hub when they carry no caseId and hold money', () => {
    const charge = stripeCharge({
      amount_refunded: 1200,
      refunds: {
        object: 'list',
        has_more: false,
        data: [
          stripeRefund({ amount: 500, metadata: {} }),
          stripeRefund({ amount: 700, metadata: { caseId: 'case-1', refundHubCustomerId: 'C-1' } }),
          stripeRefund({ amount: 300, status: 'failed', metadata: {} }),
        ],
      },
    });
    const action = expectKind(actionFor(stripeEvent('charge.refunded', charge)), 'charge');
    expect(action.outside).toEqual({ kind: 'listed', amount: 500 });
  });

  it('charge.refunded without the full list (has_more, or none): outside = amount_refunded minus the ledger, never below 0', () => {
    const partial = stripeCharge({
      amount_refunded: 1200,
      refunds: { object: 'list', has_more: true, data: [] },
    });
    const action = expectKind(actionFor(stripeEvent('charge.refunded', partial)), 'charge');
    expect(action.outside).toEqual({ kind: 'total', amountRefunded: 1200 });
    expect(refundedOutside({ kind: 'total', amountRefunded: 1200 }, 700)).toBe(500);
    expect(refundedOutside({ kind: 'total', amountRefunded: 700 }, 1000)).toBe(0);
    const { refunds: _, ...withoutList } = stripeCharge({ amount_refunded: 300 });
    expect(expectKind(actionFor(stripeEvent('charge.refunded', withoutList)), 'charge').outside).toEqual({
      kind: 'total',
      amountRefunded: 300,
    });
  });
});

describe('subscriptions', () => {
  const asSubscription = (fields: Record<string, unknown>, items?: ReturnType<typeof subscriptionItem>[]) =>
    subscriptionFrom(stripeSubscription(fields, items) as unknown as Stripe.Subscription);

  it('an active subscription: plan from the price nickname', () => {
    const sub = stripeSubscription();
    const action = expectKind(actionFor(stripeEvent('customer.subscription.created', sub)), 'subscription');
    expect(action.subscription).toEqual({ id: sub.id, plan: 'prime-monthly', status: 'active' });
  });

  it('canceled: cancelledAt = canceled_at, effective at ended_at', () => {
    const s = asSubscription({ status: 'canceled', canceled_at: T0 + DAY, ended_at: T0 + 2 * DAY });
    expect(s).toMatchObject({
      status: 'cancelled',
      cancelledAt: iso(T0 + DAY),
      cancellationEffectiveAt: iso(T0 + 2 * DAY),
    });
  });

  it('set to cancel at the period end: cancelled now, effective at the items’ current period end', () => {
    const s = asSubscription({ status: 'active', cancel_at_period_end: true, canceled_at: T0 + DAY }, [
      subscriptionItem({ current_period_end: T0 + 31 * DAY }),
    ]);
    expect(s).toMatchObject({
      status: 'cancelled',
      cancelledAt: iso(T0 + DAY),
      cancellationEffectiveAt: iso(T0 + 31 * DAY),
    });
  });

  it('set to cancel at a date: effective then; without canceled_at there is no cancelledAt', () => {
    const s = asSubscription({ status: 'active', cancel_at: T0 + 10 * DAY });
    expect(s).toEqual({
      id: s.id,
      plan: 'prime-monthly',
      status: 'cancelled',
      cancellationEffectiveAt: iso(T0 + 10 * DAY),
    });
  });

  it('plan falls back to the lookup key, then the product', () => {
    expect(
      asSubscription({}, [subscriptionItem({}, { nickname: null, lookup_key: 'prime_yearly' })]).plan,
    ).toBe('prime_yearly');
    expect(
      asSubscription({}, [
        subscriptionItem({}, { nickname: null, lookup_key: null, product: { id: 'prod_9' } }),
      ]).plan,
    ).toBe('prod_9');
  });

  it('older API shape: current_period_end and plan on the subscription itself', () => {
    const legacy = {
      ...stripeSubscription(
        { cancel_at_period_end: true, canceled_at: T0, current_period_end: T0 + 30 * DAY },
        [],
      ),
      plan: { id: 'plan_1', nickname: 'legacy-monthly', product: 'prod_1' },
    };
    expect(subscriptionFrom(legacy as unknown as Stripe.Subscription)).toMatchObject({
      plan: 'legacy-monthly',
      status: 'cancelled',
      cancellationEffectiveAt: iso(T0 + 30 * DAY),
    });
  });

  it('customer.subscription.deleted is a cancelled subscription', () => {
    const sub = stripeSubscription({ status: 'canceled', canceled_at: T0, ended_at: T0 });
    const action = expectKind(actionFor(stripeEvent('customer.subscription.deleted', sub)), 'subscription');
    expect(action.subscription.status).toBe('cancelled');
  });
});

describe('invoice.paid', () => {
  it('links the paying charge to its subscription; billingPeriodStart is the line’s period, not the invoice’s', () => {
    // Prepare: a renewal whose invoice period is the month before, its line the new month.
    const invoice = stripeInvoice(
      {},
      { subscription: 'sub_9', payments: [invoicePayment({ charge: 'ch_9' })] },
    );

    // Act
    const action = expectKind(actionFor(stripeEvent('invoice.paid', invoice, T0 + 90)), 'invoice');

    // Assess
    expect(action.link).toEqual({
      invoiceId: invoice.id,
      subscriptionId: 'sub_9',
      billingPeriodStart: iso(T0),
      currency: 'USD',
      paidAt: iso(T0 + 60),
      payments: [{ chargeId: 'ch_9', amount: 1499 }],
    });
    expect(action.link.billingPeriodStart).not.toBe(iso(invoice.period_start));
  });

  it('a payment that names only its payment intent (the usual case since basil) is kept for a lookup', () => {
    const action = expectKind(actionFor(stripeEvent('invoice.paid', stripeInvoice())), 'invoice');
    expect(action.link.payments).toEqual([{ paymentIntentId: 'pi_1', amount: 1499 }]);
  });

  it('prefers the non-proration subscription line for the period', () => {
    const proration = invoiceLine(
      { start: T0 - 5 * DAY, end: T0 },
      {
        parent: {
          type: 'subscription_item_details',
          subscription_item_details: { proration: true, subscription: 'sub_1', subscription_item: 'si_1' },
        },
      },
    );
    const invoice = stripeInvoice({}, { lines: [proration, invoiceLine({ start: T0, end: T0 + 30 * DAY })] });
    expect(
      expectKind(actionFor(stripeEvent('invoice.paid', invoice)), 'invoice').link.billingPeriodStart,
    ).toBe(iso(T0));
  });

  it('older API shape: invoice.subscription, invoice.charge and a line of type subscription', () => {
    const { parent: _p, payments: _pay, ...rest } = stripeInvoice();
    const legacy = {
      ...rest,
      subscription: 'sub_old',
      charge: 'ch_old',
      payment_intent: 'pi_old',
      lines: {
        object: 'list',
        has_more: false,
        data: [{ ...invoiceLine({ start: T0, end: T0 + DAY }), parent: null, type: 'subscription' }],
      },
    };
    const action = expectKind(actionFor(stripeEvent('invoice.paid', legacy)), 'invoice');
    expect(action.link).toMatchObject({
      subscriptionId: 'sub_old',
      billingPeriodStart: iso(T0),
      payments: [{ chargeId: 'ch_old', paymentIntentId: 'pi_old', amount: 1499 }],
    });
  });

  it('ignores a one-off invoice (no subscription)', () => {
    const oneOff = { ...stripeInvoice(), parent: null, lines: { object: 'list', has_more: false, data: [] } };
    expectKind(actionFor(stripeEvent('invoice.paid', oneOff)), 'ignore');
  });

  it('a payload without payments (webhooks leave the includable field out): the payments are to be listed', () => {
    const { payments: _, ...withoutPayments } = stripeInvoice();
    const action = expectKind(actionFor(stripeEvent('invoice.paid', withoutPayments)), 'invoice');
    expect(action.link.payments).toEqual([]);
    expect(action.link.subscriptionId).toBe('sub_1');
    const listed = [
      invoicePayment({ payment_intent: 'pi_7' }),
      invoicePayment({ payment_intent: 'pi_8' }, { status: 'canceled' }),
    ];
    expect(invoicePaymentsFrom(listed as unknown as Stripe.InvoicePayment[])).toEqual([
      { paymentIntentId: 'pi_7', amount: 1499 },
    ]);
  });
});

describe('unknown events', () => {
  it('are ignored (Stripe still gets a 2xx)', () => {
    expectKind(actionFor(stripeEvent('payout.paid', { id: 'po_1' })), 'ignore');
  });
});

describe('customers', () => {
  it('our customer is the Stripe customer’s metadata.refundHubCustomerId; none, or a deleted customer, is not ours', () => {
    expect(refundHubCustomerIdOf({ id: 'cus_1', metadata: { refundHubCustomerId: 'C-1' } })).toBe('C-1');
    expect(refundHubCustomerIdOf({ id: 'cus_1', metadata: {} })).toBeNull();
    expect(refundHubCustomerIdOf({ id: 'cus_1', deleted: true })).toBeNull();
    expect(refundHubCustomerIdOf(null)).toBeNull();
  });

  it('the profile gains the Stripe customer id, keeps its own fields, and is not rewritten when nothing changes', () => {
    const stored = { data: { id: 'C-1', phone: '+12065550100' } };
    const first = mergeProfile(stored, 'C-1', { id: 'cus_1', email: 'a@example.com' }, T0);
    expect(first?.data).toEqual({
      id: 'C-1',
      phone: '+12065550100',
      stripeCustomerId: 'cus_1',
      email: 'a@example.com',
    });
    expect(
      mergeProfile(
        { data: first?.data as never },
        'C-1',
        { id: 'cus_1', email: 'other@example.com' },
        T0 + 5,
      ),
    ).toBeNull();
  });
});

describe('upserts in event order', () => {
  const facts = { id: 'ch_1', amount: 1499, currency: 'USD', chargedAt: iso(T0), paymentIntentId: 'pi_1' };
  const link: InvoiceLink = {
    invoiceId: 'in_1',
    subscriptionId: 'sub_1',
    billingPeriodStart: iso(T0),
    currency: 'USD',
    paidAt: iso(T0 + 60),
    payments: [{ paymentIntentId: 'pi_1', amount: 1499 }],
  };
  const payment = { paymentIntentId: 'pi_1', amount: 1499 };

  it('a charge snapshot keeps the invoice’s link and an operator’s orderId, and never lowers refundedAmount', () => {
    const stored = {
      data: {
        ...facts,
        subscriptionId: 'sub_1',
        billingPeriodStart: iso(T0),
        orderId: 'ORD-1',
        refundedAmount: 400,
      } as Charge,
      eventClock: { invoice: T0 + 60 },
    };
    const next = mergeChargeSnapshot(stored, facts, T0 + 10, 100);
    expect(next?.data).toEqual({ ...stored.data, refundedAmount: 400 });
    expect(mergeChargeSnapshot(stored, facts, T0 + 10, 900)?.data.refundedAmount).toBe(900);
  });

  it('an older charge snapshot than the stored one changes nothing; the same event again gives the same state', () => {
    const first = mergeChargeSnapshot(undefined, facts, T0 + 100, 300);
    expect(first).not.toBeNull();
    const stored = { data: first?.data as Charge, eventClock: first?.eventClock as never };
    expect(mergeChargeSnapshot(stored, { ...facts, amount: 1 }, T0 + 99)).toBeNull();
    expect(mergeChargeSnapshot(stored, facts, T0 + 100, 300)).toEqual(first);
  });

  it('invoice first, then an older charge.succeeded: the invoice creates the charge, the snapshot still fills in its facts', () => {
    const fromInvoice = mergeInvoiceLink(undefined, 'ch_1', link, payment, T0 + 60);
    expect(fromInvoice?.data).toEqual({
      id: 'ch_1',
      amount: 1499,
      currency: 'USD',
      chargedAt: iso(T0 + 60),
      paymentIntentId: 'pi_1',
      subscriptionId: 'sub_1',
      billingPeriodStart: iso(T0),
    });
    const stored = { data: fromInvoice?.data as Charge, eventClock: fromInvoice?.eventClock as never };
    const after = mergeChargeSnapshot(stored, facts, T0 + 1);
    expect(after?.data).toEqual({ ...facts, subscriptionId: 'sub_1', billingPeriodStart: iso(T0) });
    expect(after?.eventClock).toEqual({ invoice: T0 + 60, charge: T0 + 1 });
    expect(after?.updatedFromEventAt).toBe(iso(T0 + 60));
  });

  it('an older invoice event than the stored one changes nothing', () => {
    const stored = { data: facts as Charge, eventClock: { invoice: T0 + 60 } };
    expect(
      mergeInvoiceLink(stored, 'ch_1', { ...link, subscriptionId: 'sub_old' }, payment, T0 + 59),
    ).toBeNull();
  });

  it('subscriptions: a newer event replaces the stored one (a reactivation drops the cancellation); an older one is ignored', () => {
    const cancelled = mergeSubscription(
      undefined,
      {
        id: 'sub_1',
        plan: 'p',
        status: 'cancelled',
        cancelledAt: iso(T0),
        cancellationEffectiveAt: iso(T0 + DAY),
      },
      T0 + 10,
    );
    const stored = { data: cancelled?.data as never, eventClock: cancelled?.eventClock as never };
    expect(mergeSubscription(stored, { id: 'sub_1', plan: 'p', status: 'active' }, T0 + 5)).toBeNull();
    expect(mergeSubscription(stored, { id: 'sub_1', plan: 'p', status: 'active' }, T0 + 20)?.data).toEqual({
      id: 'sub_1',
      plan: 'p',
      status: 'active',
    });
  });
});

describe('hand-off of a failed refund', () => {
  const line = (status: 'pending' | 'succeeded' | 'failed' | 'canceled') => ({ status });

  it('when the line went to failed or canceled from pending or succeeded', () => {
    expect(needsHandOff({ changed: true, previous: 'succeeded', line: line('failed') }, false)).toBe(true);
    expect(needsHandOff({ changed: true, previous: 'pending', line: line('canceled') }, false)).toBe(true);
  });

  it('not again for a second event about the same failure, nor for a refund that succeeded', () => {
    expect(needsHandOff({ changed: false, previous: 'failed', line: line('failed') }, false)).toBe(false);
    expect(needsHandOff({ changed: true, previous: 'pending', line: line('succeeded') }, false)).toBe(false);
    expect(needsHandOff({ changed: false, previous: null, line: null }, true)).toBe(false);
  });

  it('on the redelivery of an event whose first delivery crashed after the ledger moved', () => {
    expect(needsHandOff({ changed: false, previous: 'failed', line: line('failed') }, true)).toBe(true);
  });
});

describe('confirmation of a refund', () => {
  it('when a pending refund succeeded; not for a line that was already succeeded or failed', () => {
    expect(
      needsConfirmation({ changed: true, previous: 'pending', line: { status: 'succeeded' } }, false),
    ).toBe(true);
    expect(
      needsConfirmation({ changed: false, previous: 'succeeded', line: { status: 'succeeded' } }, false),
    ).toBe(false);
    expect(
      needsConfirmation({ changed: true, previous: 'succeeded', line: { status: 'failed' } }, false),
    ).toBe(false);
  });
});

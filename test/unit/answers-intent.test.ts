/** The account decides short or ambiguous messages (issue #15): each rule, the account_security guard, the unsure guard. */
import { describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import { type AccountView, accountView } from '../../functions/shared/answers/account-view.js';
import { intentFromAccount, wordCount } from '../../functions/shared/answers/intent-from-account.js';
import type { Classification, Intent, Order } from '../../functions/shared/types.js';

const NOW = '2026-03-25T12:00:00Z';
const THRESHOLD = 0.5;

const lateOrder: Order = {
  id: 'O-LATE',
  total: 2599,
  currency: 'USD',
  status: 'shipped',
  placedAt: '2026-03-17T09:00:00Z',
  promisedBy: '2026-03-22T23:59:00Z',
  carrier: 'UPS',
  trackingId: '1Z999',
};
const deliveredOrder: Order = {
  id: 'O-DEL',
  total: 2599,
  currency: 'USD',
  status: 'delivered',
  placedAt: '2026-03-10T09:00:00Z',
  deliveredAt: '2026-03-14T15:00:00Z',
  items: [{ sku: 'K', name: 'Kettle', quantity: 1, unitPrice: 2599 }],
};
const billingError: Partial<CustomerAccount> = {
  subscriptions: [{ id: 'SUB-1', plan: 'Prime', status: 'cancelled', cancelledAt: '2026-03-01T00:00:00Z' }],
  charges: [
    { id: 'CH-2', subscriptionId: 'SUB-1', amount: 1499, currency: 'USD', chargedAt: '2026-03-15T08:00:00Z' },
  ],
};

function view(parts: Partial<CustomerAccount> = {}): AccountView {
  return accountView(
    { profile: { id: 'C' }, subscriptions: [], charges: [], orders: [], ...parts },
    { now: NOW, orderId: null, returnWindowDays: 30 },
  );
}

function classified(intent: Intent, confidence: number, alternatives?: [Intent, number][]): Classification {
  return {
    intent,
    confidence,
    frustrated: false,
    urgent: false,
    humanRequested: false,
    ...(alternatives ? { alternatives: alternatives.map(([i, c]) => ({ intent: i, confidence: c })) } : {}),
  };
}

const decide = (classification: Classification, message: string, account: AccountView) =>
  intentFromAccount({ classification, message, confidenceThreshold: THRESHOLD, view: account });

describe('the account picks the one topic its state supports', () => {
  it('"refund" with an unrefunded charge after cancellation -> billing_refund', () => {
    const result = decide(
      classified('return_request', 0.55, [
        ['return_request', 0.55],
        ['billing_refund', 0.4],
        ['other', 0.05],
      ]),
      'refund',
      view(billingError),
    );

    expect(result.classification.intent).toBe('billing_refund');
    expect(result.decision).toMatchObject({
      decided: true,
      unsure: false,
      by: 'account',
      from: 'return_request',
      to: 'billing_refund',
    });
    expect(result.decision.why).toMatch(/charge after cancellation/);
  });

  it('"it never came" with a late order -> order_tracking; the markers stay as classified', () => {
    const classification = {
      ...classified('return_request', 0.5, [
        ['return_request', 0.5],
        ['order_tracking', 0.42],
        ['other', 0.08],
      ]),
      frustrated: true,
    };
    const result = decide(classification, 'it never came', view({ orders: [lateOrder] }));

    expect(result.classification).toMatchObject({ intent: 'order_tracking', frustrated: true });
    expect(result.decision.why).toBe('order O-LATE is late (promised by 2026-03-22T23:59:00Z)');
  });

  it('a lost order keeps order_tracking; a delivered order inside its window turns it into return_request', () => {
    const ambiguous = classified('order_tracking', 0.6, [
      ['order_tracking', 0.6],
      ['return_request', 0.3],
      ['other', 0.1],
    ]);
    expect(
      decide(ambiguous, 'my parcel', view({ orders: [{ ...lateOrder, status: 'lost' }] })).decision,
    ).toMatchObject({
      decided: false,
    });
    const toReturn = decide(ambiguous, 'my parcel', view({ orders: [deliveredOrder] }));
    expect(toReturn.decision).toMatchObject({ decided: true, from: 'order_tracking', to: 'return_request' });
  });

  it('a confident classification the account agrees with is left alone', () => {
    const result = decide(
      classified('billing_refund', 0.6, [
        ['billing_refund', 0.6],
        ['order_tracking', 0.3],
        ['other', 0.1],
      ]),
      'refund',
      view(billingError),
    );
    expect(result.decision.decided).toBe(false);
    expect(result.classification.intent).toBe('billing_refund');
  });

  it('two supported topics, or none: nothing changes', () => {
    const ambiguous = classified('other', 0.4, [
      ['other', 0.4],
      ['billing_refund', 0.3],
      ['order_tracking', 0.3],
    ]);
    expect(decide(ambiguous, 'help', view({ ...billingError, orders: [lateOrder] })).decision.decided).toBe(
      false,
    );
    expect(decide(ambiguous, 'help', view()).decision.decided).toBe(false);
  });
});

describe('when it applies', () => {
  it('a long message whose top two intents are far apart is not the account’s to decide', () => {
    const message = 'I would like to know where my package is, it has been a while since I ordered it';
    expect(wordCount(message)).toBeGreaterThan(6);
    const result = decide(
      classified('return_request', 0.7, [
        ['return_request', 0.7],
        ['order_tracking', 0.2],
        ['other', 0.1],
      ]),
      message,
      view({ orders: [lateOrder] }),
    );
    expect(result.decision.decided).toBe(false);
  });

  it('a long message whose top two intents are close is', () => {
    const message = 'I would like to know what is going on with the thing I bought from you';
    const result = decide(
      classified('return_request', 0.45, [
        ['return_request', 0.45],
        ['order_tracking', 0.4],
        ['other', 0.15],
      ]),
      message,
      view({ orders: [lateOrder] }),
    );
    expect(result.decision).toMatchObject({ decided: true, to: 'order_tracking', unsure: true });
  });

  it('only one plausible topic (the others under 0.15): nothing changes', () => {
    const result = decide(
      classified('cancellation', 0.9, [
        ['cancellation', 0.9],
        ['order_tracking', 0.06],
        ['other', 0.04],
      ]),
      'cancel',
      view({ orders: [lateOrder] }),
    );
    expect(result.decision.decided).toBe(false);
  });

  it('without alternatives only the confidence rule applies: an unsure guess the account supports', () => {
    const late = view({ orders: [lateOrder] });
    expect(decide(classified('order_tracking', 0.3), 'it never came', late).decision).toMatchObject({
      decided: true,
      unsure: true,
      from: 'order_tracking',
      to: 'order_tracking',
    });
    // The guess is the one plausible topic: gibberish (other, 0) stays other, whatever the account shows.
    expect(decide(classified('other', 0), 'qwrtzp xkcd vbnm', view(billingError)).decision.decided).toBe(
      false,
    );
    expect(decide(classified('return_request', 0.3), 'hm', late).decision.decided).toBe(false);
    expect(decide(classified('order_tracking', 0.8), 'hm', late).decision.decided).toBe(false);
  });
});

describe('account_security is never overridden nor produced', () => {
  it('an account_security classification is left alone, whatever the account shows', () => {
    const result = decide(
      classified('account_security', 0.3, [
        ['account_security', 0.3],
        ['billing_refund', 0.3],
        ['other', 0.2],
      ]),
      'charge?',
      view(billingError),
    );
    expect(result.decision.decided).toBe(false);
    expect(result.classification.intent).toBe('account_security');
    // Without alternatives too, and after the confidence gate turned it into other.
    expect(decide(classified('account_security', 0.2), 'charge?', view(billingError)).decision.decided).toBe(
      false,
    );
    const gated = { ...classified('other', 0.2), classifiedIntent: 'account_security' as const };
    expect(
      intentFromAccount({
        classification: gated,
        message: 'x',
        confidenceThreshold: THRESHOLD,
        view: view(billingError),
      }).decision.decided,
    ).toBe(false);
  });

  it('account_security plausible among the alternatives (>= 0.15) blocks the step', () => {
    const result = decide(
      classified('billing_refund', 0.45, [
        ['billing_refund', 0.45],
        ['account_security', 0.15],
        ['order_tracking', 0.4],
      ]),
      'a charge I do not know',
      view({ orders: [lateOrder] }),
    );
    expect(result.decision.decided).toBe(false);
  });
});

describe('an unsure classifier never leads to an automatic refund', () => {
  it('an unsure message decided billing_refund is marked unsure, so the policy names the error instead of refunding', () => {
    const result = decide(
      classified('other', 0.35, [
        ['other', 0.35],
        ['billing_refund', 0.33],
        ['product_question', 0.32],
      ]),
      'money',
      view(billingError),
    );
    expect(result.decision).toMatchObject({ decided: true, unsure: true, to: 'billing_refund' });
  });

  it('a confident but ambiguous message decided billing_refund is not marked unsure (it may refund as usual)', () => {
    const result = decide(
      classified('order_tracking', 0.52, [
        ['order_tracking', 0.52],
        ['billing_refund', 0.44],
        ['other', 0.04],
      ]),
      'refund',
      view(billingError),
    );
    expect(result.decision).toMatchObject({ decided: true, unsure: false, to: 'billing_refund' });
  });
});

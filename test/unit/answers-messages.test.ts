/** Every outcome's message from what the account holds (POLICY.md v2 "Answers from the customer's own data"). Pure. */
import { describe, expect, it } from 'vitest';
import { outcomeRecord } from '../../functions/record-outcome/domain.js';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import { type AccountView, accountView } from '../../functions/shared/answers/account-view.js';
import {
  cancellationAnswer,
  noRefundAnswer,
  returnAnswer,
  trackingAnswer,
} from '../../functions/shared/answers/outcome-messages.js';
import { estimatedWaitMinutes } from '../../functions/shared/answers/wait.js';
import { customerDate, maskedPhone } from '../../functions/shared/answers/words.js';
import type { EarlierReturn } from '../../functions/shared/return-eligibility.js';
import type { Order } from '../../functions/shared/types.js';
import { caseState } from './case-state-fixtures.js';

const NOW = '2026-03-25T12:00:00Z';

function view(parts: Partial<CustomerAccount> = {}, orderId: string | null = null, now = NOW): AccountView {
  return accountView(
    { profile: { id: 'C-1' }, subscriptions: [], charges: [], orders: [], ...parts },
    { now, orderId, returnWindowDays: 30 },
  );
}

const upsOrder: Order = {
  id: '112-4471',
  total: 2599,
  currency: 'USD',
  status: 'shipped',
  placedAt: '2026-03-17T09:00:00Z',
  promisedBy: '2026-03-22T23:59:00Z',
  carrier: 'UPS',
  trackingId: '1Z999',
};

const premiumCancelled = {
  subscriptions: [
    {
      id: 'SUB-1',
      plan: 'Premium',
      status: 'cancelled' as const,
      cancelledAt: '2026-03-10T09:00:00Z',
      cancellationEffectiveAt: '2026-03-15T00:00:00Z',
    },
  ],
  charges: [
    {
      id: 'CH-feb',
      subscriptionId: 'SUB-1',
      amount: 1499,
      currency: 'USD',
      chargedAt: '2026-02-01T08:00:00Z',
    },
    {
      id: 'CH-mar',
      subscriptionId: 'SUB-1',
      amount: 1499,
      currency: 'USD',
      chargedAt: '2026-03-01T08:00:00Z',
    },
  ],
};

describe('words', () => {
  it('one customer date format, in UTC: Mar 15, 2026', () => {
    expect(customerDate('2026-03-15T23:30:00-05:00')).toBe('Mar 16, 2026');
  });

  it('masks every digit of a phone number but the last 4, keeping the country code', () => {
    expect(maskedPhone('+12065550101')).toBe('+1 ••• ••• 0101');
    expect(maskedPhone('+442071838750')).toBe('+44 ••• ••• 8750');
    expect(maskedPhone('+4915123456789')).toBe('+49 • ••• ••• 6789');
    expect(maskedPhone('not a number')).toBeNull();
  });

  it('estimates the wait from the queue and priority: security urgent 2 minutes, others 5', () => {
    expect(estimatedWaitMinutes('security', 'urgent')).toBe(2);
    expect(estimatedWaitMinutes('billing', 'high')).toBe(5);
    expect(
      estimatedWaitMinutes('general', 'urgent', { default: 7, byQueue: { general: { urgent: 3 } } }),
    ).toBe(3);
  });
});

describe('order_tracking', () => {
  it('names the order, carrier, tracking id and promised date, and calls a late order late', () => {
    const answer = trackingAnswer(view({ orders: [upsOrder] }));

    expect(answer.subject).toBe('Your order 112-4471 is late');
    expect(answer.body).toContain('Your order 112-4471 has shipped with UPS (tracking 1Z999).');
    expect(answer.body).toContain('It was due by Mar 22, 2026 and is late');
    expect(answer.body).toContain('Call Me Now');
  });

  it('an order on time gets its due date, and is not called late', () => {
    const answer = trackingAnswer(view({ orders: [upsOrder] }, null, '2026-03-20T12:00:00Z'));

    expect(answer.body).toBe(
      'Your order 112-4471 has shipped with UPS (tracking 1Z999). It is due by Mar 22, 2026.',
    );
    expect(answer.body).not.toMatch(/late/);
  });

  it('takes the named order, else the most recent by placedAt', () => {
    const older: Order = {
      ...upsOrder,
      id: 'O-OLD',
      placedAt: '2026-01-02T00:00:00Z',
      status: 'delivered',
      deliveredAt: '2026-01-05T15:00:00Z',
    };
    expect(trackingAnswer(view({ orders: [older, upsOrder] })).body).toContain('112-4471');
    const named = trackingAnswer(view({ orders: [older, upsOrder] }, 'O-OLD'));
    expect(named.body).toBe(
      'Your order O-OLD was delivered on Jan 5, 2026 by UPS (tracking 1Z999). If you cannot find it, choose "Call Me Now" and a person will help.',
    );
  });

  it('a lost order is called lost and a person is offered', () => {
    const answer = trackingAnswer(view({ orders: [{ ...upsOrder, status: 'lost' }] }));

    expect(answer.subject).toBe('Your order 112-4471 was reported lost');
    expect(answer.body).toMatch(/UPS \(tracking 1Z999\) was reported lost.*Call Me Now/);
  });

  it('no order found: says so and offers a person', () => {
    expect(trackingAnswer(view()).body).toMatch(/^We could not find an order on your account\..*Call Me Now/);
    expect(trackingAnswer(view({ orders: [upsOrder] }, 'O-NOPE')).body).toContain(
      'We could not find order O-NOPE',
    );
  });
});

describe('cancellation', () => {
  it('names each subscription and its state, and how to cancel an active one', () => {
    const answer = cancellationAnswer(
      view({
        subscriptions: [{ id: 'S-A', plan: 'Prime', status: 'active' }, ...premiumCancelled.subscriptions],
      }),
    );

    expect(answer.body).toContain('Your Prime subscription is active.');
    expect(answer.body).toContain(
      'Your Premium subscription was cancelled on Mar 10, 2026, effective Mar 15, 2026.',
    );
    expect(answer.body).toContain('Your Account > Memberships & subscriptions');
  });

  it('a customer without subscriptions is told there is nothing to cancel', () => {
    expect(cancellationAnswer(view()).body).toMatch(/no subscription with us, so there is nothing to cancel/);
  });
});

describe('return_request', () => {
  const delivered: Order = {
    ...upsOrder,
    id: 'O-RET',
    status: 'delivered',
    deliveredAt: '2026-03-14T15:02:00Z',
    items: [{ sku: 'SKU-1', name: 'Kettle', quantity: 1, unitPrice: 2599 }],
  };

  it('the most recent delivered order can be returned until the end of its window, and how to start it', () => {
    const answer = returnAnswer(view({ orders: [delivered, upsOrder] }));

    expect(answer.body).toBe(
      'Order O-RET, delivered on Mar 14, 2026, can be returned until Apr 13, 2026. Start a return from the chat or Your Orders; the return label is prepaid.',
    );
  });

  it('a closed window, a final-sale order and an order not delivered each say why', () => {
    expect(returnAnswer(view({ orders: [delivered] }, null, '2026-05-01T00:00:00Z')).body).toContain(
      'its 30-day return window closed on Apr 13, 2026',
    );
    const finalSale = {
      ...delivered,
      items: [{ sku: 'S', name: 'Gift card', quantity: 1, unitPrice: 500, finalSale: true }],
    };
    expect(returnAnswer(view({ orders: [finalSale] })).body).toContain('final sale');
    expect(returnAnswer(view({ orders: [upsOrder] }, '112-4471')).body).toContain(
      'has not been delivered yet',
    );
    expect(returnAnswer(view()).body).toContain('no delivered order');
  });

  const older: Order = { ...delivered, id: 'O-OLD', deliveredAt: '2026-03-01T10:00:00Z' };
  const withMessage = (message: string, earlierReturns: EarlierReturn[] = []) =>
    accountView(
      { profile: { id: 'C-1' }, subscriptions: [], charges: [], orders: [older, delivered] },
      { now: NOW, orderId: null, returnWindowDays: 30, message, earlierReturns },
    );

  it('an order id the message names (and the account holds) is the order answered about, not the most recent', () => {
    expect(returnAnswer(withMessage('I want to return order o-old, it is broken')).body).toBe(
      'Order O-OLD, delivered on Mar 1, 2026, can be returned until Mar 31, 2026. Start a return from the chat or Your Orders; the return label is prepaid.',
    );
    // An id the account does not hold, or part of a longer token, names nothing: the most recent delivered order.
    expect(returnAnswer(withMessage('return O-9 or O-OLDER please')).subject).toBe(
      'You can return order O-RET',
    );
  });

  it('an order whose items earlier returns took back has nothing left to return', () => {
    const taken = [{ orderId: 'O-RET', at: '2026-03-20T10:00:00Z', items: [{ sku: 'SKU-1', quantity: 1 }] }];
    expect(returnAnswer(withMessage('return please', taken)).body).toBe(
      'Nothing from order O-RET is left to return: it was returned already.',
    );
  });
});

describe('no_refund_due', () => {
  it('names the charges compared and why none is an error, in dates and amounts', () => {
    const answer = noRefundAnswer('no_billing_error', view(premiumCancelled), null, true);

    expect(answer.body).toContain(
      'Your Premium charges of $14.99 on Mar 1, 2026 and Feb 1, 2026 were made before your cancellation took effect on Mar 15, 2026.',
    );
    expect(answer.body).toContain('Call Me Now');
    expect(answer.body).not.toMatch(/CH-/);
  });

  it('a customer with no cancelled subscription is never told about a cancellation date', () => {
    const active = noRefundAnswer(
      'no_billing_error',
      view({
        subscriptions: [{ id: 'S', plan: 'Prime', status: 'active' }],
        charges: [{ ...premiumCancelled.charges[0], subscriptionId: 'S' } as never],
      }),
      null,
      true,
    );
    expect(active.body).toContain(
      'Your Prime subscription is active, so its charge of $14.99 on Feb 1, 2026 is a regular renewal.',
    );
    expect(active.body).not.toMatch(/cancell/);

    const none = noRefundAnswer(
      'no_billing_error',
      view({
        charges: [
          { id: 'CH-O', orderId: 'O-9', amount: 2599, currency: 'GBP', chargedAt: '2026-03-17T09:00:00Z' },
        ],
      }),
      null,
      true,
    );
    expect(none.body).toContain('You have no subscription with us');
    expect(none.body).toContain('£25.99 on Mar 17, 2026 for order O-9');
    expect(none.body).not.toMatch(/cancellation/);
  });

  it('already_refunded names what was already refunded', () => {
    const answer = noRefundAnswer(
      'already_refunded',
      view(premiumCancelled),
      {
        billingErrors: [
          {
            chargeId: 'CH-X',
            subscriptionId: 'SUB-1',
            kinds: ['after_cancellation'],
            amount: 999,
            refundedAmount: 999,
            currency: 'EUR',
            chargedAt: '2026-03-15T08:00:00Z',
          },
        ],
      },
      true,
    );
    expect(answer.body).toMatch(/^Your Premium charge of €9.99 on Mar 15, 2026 was already refunded/);
    expect(answer.body).not.toContain('CH-X');
  });
});

describe('auto_refunded and human_handoff through outcomeRecord', () => {
  const billingFacts = {
    billingErrors: [
      {
        chargeId: 'ch-1',
        subscriptionId: 'SUB-1',
        kinds: ['after_cancellation'],
        amount: 1499,
        refundedAmount: 0,
        currency: 'USD',
        chargedAt: '2026-03-15T08:00:00Z',
      },
    ],
    refundableTotals: [{ currency: 'USD', amount: 1499 }],
    currency: 'USD',
  };

  it('auto_refunded: the amount in its currency and the charge by its date, never its id; pending wording kept', () => {
    const record = outcomeRecord(
      caseState({
        facts: { billing: billingFacts },
        answers: view(premiumCancelled),
        refund: {
          refundedChargeIds: ['ch-1'],
          refundedAmount: 1499,
          currency: 'USD',
          refunds: [{ chargeId: 'ch-1', amount: 1499, currency: 'USD', status: 'pending' }],
        },
      }),
    );

    expect(record.message.subject).toBe('Your refund has been issued');
    expect(record.message.body).toContain(
      'issued a refund of $14.99 for your Premium charge of Mar 15, 2026',
    );
    expect(record.message.body).toContain('we will tell you here when it is confirmed');
    expect(record.message.body).not.toContain('ch-1');
    expect(record.fields.answer).toEqual(record.message);
  });

  it('human_handoff: which team, the masked number and the wait; the why of the reason', () => {
    const record = outcomeRecord(
      caseState({
        decision: {
          outcome: 'human_handoff',
          rule: 5,
          reason: 'high_value',
          queue: 'billing',
          priority: 'high',
        },
        facts: { billing: { ...billingFacts, refundableTotals: [{ currency: 'USD', amount: 69900 }] } },
        refund: null,
      }),
      { phoneNumber: '+12065550101', estimatedWaitMinutes: 5 },
    );

    expect(record.message.subject).toBe('A billing specialist will contact you');
    expect(record.message.body).toBe(
      'The refund of $699.00 is more than we refund automatically, so a billing specialist will check it and pay it. ' +
        'A billing specialist will call you on +1 ••• ••• 0101 in about 5 minutes.',
    );
    expect(record.message.body).not.toContain('2065550101');
  });

  it.each([
    [
      'account_security',
      'security',
      /security team will call you on \+44 ••• ••• 8750 in about 2 minutes/,
      '+442071838750',
      2,
    ],
    [
      'mixed_currency',
      'billing',
      /more than one currency.*A billing specialist will open a live chat with you here in about 5 minutes/,
      null,
      5,
    ],
    ['customer_request', 'general', /As you asked.*Our support team will open a live chat/, 'not-e164', 5],
    [
      'high_value_delivery',
      'delivery',
      /Order 112-4471 is a high-value order.*Our delivery team will call you/,
      '+12065550107',
      5,
    ],
  ] as const)('%s: the %s team, the number or live chat', (reason, queue, pattern, phone, wait) => {
    const record = outcomeRecord(
      caseState({
        decision: { outcome: 'human_handoff', rule: 1, reason, queue, priority: 'urgent' },
        facts: {
          billing: {
            refundableTotals: [
              { currency: 'EUR', amount: 100 },
              { currency: 'USD', amount: 200 },
            ],
          },
        },
        answers: view({ orders: [upsOrder] }),
        refund: null,
      }),
      { phoneNumber: phone, estimatedWaitMinutes: wait },
    );
    expect(record.message.body).toMatch(pattern);
  });

  it('refund_failed: what failed, in words, and who pays it another way', () => {
    const record = outcomeRecord(
      caseState({
        decision: {
          outcome: 'human_handoff',
          rule: 9,
          reason: 'refund_failed',
          queue: 'billing',
          priority: 'high',
        },
        refund: {
          refundedChargeIds: [],
          refundedAmount: 0,
          refunds: [
            {
              chargeId: 'ch-1',
              amount: 1499,
              currency: 'USD',
              status: 'failed',
              failureReason: 'expired_or_canceled_card',
            },
          ],
        },
      }),
      { phoneNumber: '+12065550101', estimatedWaitMinutes: 5 },
    );
    expect(record.message.subject).toBe('Your refund could not be completed');
    expect(record.message.body).toContain('We tried to refund $14.99');
    expect(record.message.body).toContain('closed or has expired');
    expect(record.message.body).toContain('+1 ••• ••• 0101');
  });
});

describe('product_question / other: short, honest, and what the account shows as likely', () => {
  it('other, with a late order on the account: asks whether it is about that order', () => {
    const record = outcomeRecord(
      caseState({
        classification: { intent: 'other' },
        decision: { outcome: 'self_service', rule: 12, reason: 'other' },
        answers: view({ orders: [upsOrder] }),
        refund: null,
      }),
    );
    expect(record.message.body).toContain(
      'Is this about your order 112-4471, which is late (it was due by Mar 22, 2026)?',
    );
  });

  it('product_question, with a billing error on the account: names the charge', () => {
    const record = outcomeRecord(
      caseState({
        classification: { intent: 'product_question' },
        decision: { outcome: 'self_service', rule: 12, reason: 'product_question' },
        answers: view({
          ...premiumCancelled,
          charges: [
            ...premiumCancelled.charges,
            {
              id: 'CH-apr',
              subscriptionId: 'SUB-1',
              amount: 1499,
              currency: 'USD',
              chargedAt: '2026-03-20T08:00:00Z',
            },
          ],
        }),
        refund: null,
      }),
    );
    expect(record.message.body).toContain('We cannot answer product questions in this chat yet');
    expect(record.message.body).toContain(
      'Is this about your Premium charge of $14.99 on Mar 20, 2026, made after your cancellation took effect on Mar 15, 2026?',
    );
  });

  it('other, with nothing on the account: asks for a little more and offers a person', () => {
    const record = outcomeRecord(
      caseState({
        decision: { outcome: 'self_service', rule: 12, reason: 'other' },
        answers: view(),
        refund: null,
      }),
    );
    expect(record.message.body).toMatch(/could not tell what you need.*Call Me Now/);
  });
});

describe('the account view stays small, whatever the account holds', () => {
  it('500 charges and 40 subscriptions: the newest 12 charges and 10 subscriptions, a few KB in the state', () => {
    const subscriptions = Array.from({ length: 40 }, (_, i) => ({
      id: `S-${i}`,
      plan: `Plan ${i}`,
      status: 'active' as const,
    }));
    const charges = Array.from({ length: 500 }, (_, i) => ({
      id: `CH-${i}`,
      subscriptionId: `S-${i % 40}`,
      amount: 999,
      currency: 'USD',
      chargedAt: new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString(),
    }));

    const big = view({ subscriptions, charges });

    expect(big.subscriptions).toHaveLength(10);
    expect(big.charges).toHaveLength(12);
    expect(big.charges[0]?.chargedAt).toBe(charges[499]?.chargedAt);
    expect(big.chargesLeftOut).toBe(488);
    expect(JSON.stringify(big).length).toBeLessThan(8_000);
    expect(JSON.stringify(big)).not.toContain('CH-');
  });
});

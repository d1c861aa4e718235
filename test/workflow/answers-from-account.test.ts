/**
 * Through the synthesized definition with the real handlers (only the classifier is stubbed): the account decides a
 * short or ambiguous message (ResolveIntentFromAccount in LoadCustomerAccount + UseIntentDecidedByAccount), the
 * receipt says so, and the customer's message is built from the account.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { Classification } from '../../functions/shared/types.js';
import { runCase, seedAccount } from '../../local/cases.js';
import { startReturn } from '../../local/returns.js';
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
  workflowRuntime,
} from './support.js';

const wf = workflowRuntime();
const { classifier } = wf;

async function runWith(customer: CustomerAccount, classification: Partial<Classification>, message: string) {
  await seedAccount(wf.runtime, customer);
  classifier.classifyAs(classification);
  return runCase(wf.runtime, { customerId: customer.profile.id, message, now: NOW });
}

const lateUpsOrder = order('112-5550', 2599, {
  status: 'shipped',
  placedAt: '2026-03-12T09:00:00Z',
  promisedBy: '2026-03-18T23:59:00Z',
  carrier: 'UPS',
  trackingId: '1Z999',
});

const billingErrorAccount = (customerId: string) =>
  account(customerId, {
    phone: '+12065550101',
    subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
    charges: [subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-03-15T08:00:00Z')],
  });

describe('the account decides a short message', () => {
  it('"it never came", split between return and tracking, with a late UPS order: order_tracking, and the receipt says so', async () => {
    const customerId = newCustomerId('decide-late');

    const run = await runWith(
      account(customerId, { orders: [lateUpsOrder] }),
      {
        intent: 'return_request',
        confidence: 0.52,
        alternatives: [
          { intent: 'return_request', confidence: 0.52 },
          { intent: 'order_tracking', confidence: 0.41 },
          { intent: 'other', confidence: 0.07 },
        ],
      },
      'it never came',
    );

    expect(run.record).toMatchObject({
      outcome: 'self_service',
      reason: 'order_tracking',
      intent: 'order_tracking',
    });
    expect(run.record.receipt?.facts.intentDecidedBy).toEqual({
      by: 'account',
      from: 'return_request',
      to: 'order_tracking',
      why: 'order 112-5550 is late (promised by 2026-03-18T23:59:00Z)',
      unsure: false,
    });
    expect(enteredStates(run.execution)).toContain('UseIntentDecidedByAccount');
    expect(enteredStates(run.execution)).not.toContain('IsClassificationConfident');
    const [message] = await messageCenter(wf.runtime, customerId);
    expect(message?.body).toContain('Going by your account, this is about your order 112-5550.');
    expect(message?.body).toContain('has shipped with UPS (tracking 1Z999)');
    expect(message?.body).toContain('It was due by Mar 18, 2026 and is late');
    expect(run.record.answer).toEqual({ subject: message?.subject, body: message?.body });
  });

  it('a return_request naming an older order answers about that order, the same text on the case and in the message center', async () => {
    const customerId = newCustomerId('return-named');
    const item = [{ sku: 'MUG-2', name: 'Mug', quantity: 1, unitPrice: 1999 }];
    const run = await runWith(
      account(customerId, {
        orders: [
          order('O-OLD', 1999, {
            status: 'delivered',
            placedAt: '2026-02-20T09:00:00Z',
            deliveredAt: '2026-02-25T10:00:00Z',
            items: item,
          }),
          order('O-NEW', 1999, {
            status: 'delivered',
            placedAt: '2026-03-10T09:00:00Z',
            deliveredAt: '2026-03-14T10:00:00Z',
            items: item,
          }),
        ],
      }),
      { intent: 'return_request', confidence: 0.93 },
      'I would like to return O-OLD, the mug is chipped',
    );
    expect(run.record).toMatchObject({ outcome: 'self_service', reason: 'return_request' });
    const [message] = await messageCenter(wf.runtime, customerId);
    expect(message?.body).toContain(
      'Order O-OLD, delivered on Feb 25, 2026, can be returned until Mar 27, 2026.',
    );
    expect(run.record.answer).toEqual({ subject: message?.subject, body: message?.body });
  });

  it('a return_request about an order already returned in full says nothing is left to return (the Returns table is read)', async () => {
    const customerId = newCustomerId('return-done');
    const customer = account(customerId, {
      orders: [
        order('O-DONE', 1999, {
          status: 'delivered',
          placedAt: '2026-03-10T09:00:00Z',
          deliveredAt: '2026-03-14T10:00:00Z',
          items: [{ sku: 'MUG-2', name: 'Mug', quantity: 1, unitPrice: 1999 }],
        }),
      ],
    });
    await seedAccount(wf.runtime, customer);
    const started = await startReturn(
      wf.runtime,
      customerId,
      { orderId: 'O-DONE', items: [{ sku: 'MUG-2', quantity: 1 }], reason: 'damaged' },
      new Date('2026-03-18T09:00:00Z'),
    );
    expect(started.rejection).toBeNull();
    const run = await runWith(
      customer,
      { intent: 'return_request', confidence: 0.93 },
      'can I return O-DONE?',
    );
    const [message] = await messageCenter(wf.runtime, customerId);
    expect(message?.body).toContain('Nothing from order O-DONE is left to return: it was returned already.');
    expect(run.record.answer).toEqual({ subject: message?.subject, body: message?.body });
  });

  it('a confident but ambiguous "refund" with a charge after cancellation: refunded as usual', async () => {
    const customerId = newCustomerId('decide-refund');

    const run = await runWith(
      billingErrorAccount(customerId),
      {
        intent: 'order_tracking',
        confidence: 0.55,
        alternatives: [
          { intent: 'order_tracking', confidence: 0.55 },
          { intent: 'billing_refund', confidence: 0.4 },
          { intent: 'other', confidence: 0.05 },
        ],
      },
      'refund',
    );

    expect(run.record).toMatchObject({
      outcome: 'auto_refunded',
      intent: 'billing_refund',
      refundedAmount: 1499,
    });
    expect(run.record.receipt?.facts.intentDecidedBy).toMatchObject({
      from: 'order_tracking',
      to: 'billing_refund',
    });
    expect(run.record.answer?.body).toContain('$14.99 for your prime-monthly charge of Mar 15, 2026');
    expect(run.record.answer?.body).not.toContain('CH-2');
  });

  it('an unsure "money" pointed at the same billing error: named with the one tap, never refunded', async () => {
    const customerId = newCustomerId('decide-unsure');

    const run = await runWith(
      billingErrorAccount(customerId),
      {
        intent: 'other',
        confidence: 0.34,
        alternatives: [
          { intent: 'other', confidence: 0.34 },
          { intent: 'billing_refund', confidence: 0.33 },
          { intent: 'product_question', confidence: 0.33 },
        ],
      },
      'money',
    );

    expect(run.record).toMatchObject({
      outcome: 'self_service',
      reason: 'billing_refund',
      refundedAmount: 0,
    });
    expect(run.record.receipt?.facts.intentDecidedBy).toMatchObject({
      from: 'other',
      to: 'billing_refund',
      unsure: true,
    });
    expect(run.record.answer?.body).toContain('Refund the prime-monthly charge I should not have paid');
    expect(enteredStates(run.execution)).toContain('Rule12SelfServiceNameTheBillingError');
    expect(enteredStates(run.execution)).not.toContain('IssueRefund');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });

  it('never decides over account_security: a plausible security reading goes to the security team', async () => {
    const customerId = newCustomerId('decide-security');

    const run = await runWith(
      billingErrorAccount(customerId),
      {
        intent: 'account_security',
        confidence: 0.5,
        alternatives: [
          { intent: 'account_security', confidence: 0.5 },
          { intent: 'billing_refund', confidence: 0.45 },
          { intent: 'other', confidence: 0.05 },
        ],
      },
      'strange charge',
    );

    expect(run.record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'account_security',
      handoffQueue: 'security',
    });
    expect(run.record.receipt?.facts.intentDecidedBy).toBeUndefined();
    const [callback] = await wf.queues.forCase(run.caseId);
    expect(callback?.request).toMatchObject({ queue: 'security', estimatedWaitMinutes: 2, contact: 'call' });
    expect(run.record).toMatchObject({ estimatedWaitMinutes: 2 });
    expect(run.record.answer?.body).toContain(
      'Our security team will call you on +1 ••• ••• 0101 in about 2 minutes.',
    );
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });
});

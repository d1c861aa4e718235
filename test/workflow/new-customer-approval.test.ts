/**
 * Rule 6 for new customers (issue #18) through the synthesized definition: a runtime synthesized with CDK context
 * `refundHub:approvalForCustomersNewerThanDays = 90` (as `-c` gives it, a string) sends the refund of a customer newer
 * than 90 days to the billing team as `approval_required`, with the proposed refund and the tenure on the dispatch and
 * the receipt; an older customer is refunded at once. The classifier is stubbed; every other step is real.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { Order } from '../../functions/shared/types.js';
import { runCase, seedAccount } from '../../local/cases.js';
import {
  account,
  cancelledSubscription,
  ledgerItems,
  NOW,
  newCustomerId,
  order,
  subscriptionCharge,
  workflowRuntime,
} from './support.js';

const wf = workflowRuntime({ 'refundHub:approvalForCustomersNewerThanDays': '90' });
const { classifier } = wf;

const DAY_MS = 86_400_000;
const daysBeforeNow = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();

/** A charge after the subscription's cancellation (a billing error of 1499), and whatever else the test adds. */
function billedAfterCancelling(
  customerId: string,
  extra: { customerSince?: string; orders?: Order[] } = {},
): CustomerAccount {
  const base = account(customerId, {
    phone: '+12065550142',
    subscriptions: [cancelledSubscription('SUB-1', '2026-03-01T10:00:00Z')],
    charges: [subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-03-15T08:00:00Z')],
    orders: extra.orders ?? [],
  });
  return extra.customerSince
    ? { ...base, profile: { ...base.profile, customerSince: extra.customerSince } }
    : base;
}

async function askForRefund(customer: CustomerAccount) {
  await seedAccount(wf.runtime, customer);
  classifier.classifyAs({ intent: 'billing_refund', confidence: 0.97 });
  return runCase(wf.runtime, {
    customerId: customer.profile.id,
    message: 'I was charged after I cancelled, refund please',
    now: NOW,
  });
}

describe('approvalForCustomersNewerThanDays = 90', () => {
  it('the synthesized topology carries the setting', () => {
    expect(wf.runtime.topology.config).toMatchObject({
      approvalForCustomersNewerThanDays: 90,
      autoRefundMode: 'auto',
    });
  });

  it('a customer since 30 days: approval_required to billing, nothing refunded, the tenure on the receipt and the dispatch', async () => {
    const customerId = newCustomerId('new-30');

    const run = await askForRefund(billedAfterCancelling(customerId, { customerSince: daysBeforeNow(30) }));

    expect(run.waitingForAgent).toBe(true);
    expect(run.record).toMatchObject({
      outcome: 'human_handoff',
      rule: 6,
      reason: 'approval_required',
      handoffQueue: 'billing',
      refundedAmount: 0,
    });
    expect(run.record.receipt?.facts.newCustomer).toMatchObject({
      required: true,
      days: 30,
      from: 'customerSince',
      since: daysBeforeNow(30),
      approvalForCustomersNewerThanDays: 90,
      why: expect.stringMatching(/30 day\(s\).*under approvalForCustomersNewerThanDays 90/),
    });
    expect(run.record.receipt?.thresholds).toMatchObject({ approvalForCustomersNewerThanDays: 90 });
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
    // The agent gets the refund the assistant would have made, as in mode approve.
    const [callback] = await wf.queues.forCase(run.caseId);
    expect(callback?.team).toBe('billing');
    expect(callback?.request).toMatchObject({
      reason: 'approval_required',
      facts: {
        billing: {
          refundableTotal: 1499,
          refundableCharges: [expect.objectContaining({ chargeId: 'CH-2' })],
        },
        newCustomer: { required: true, days: 30 },
      },
    });
  });

  it('a customer since 200 days is refunded at once, and the receipt says the rule did not apply', async () => {
    const customerId = newCustomerId('old-200');

    const run = await askForRefund(billedAfterCancelling(customerId, { customerSince: daysBeforeNow(200) }));

    expect(run.record).toMatchObject({ outcome: 'auto_refunded', rule: 9, refundedAmount: 1499 });
    expect(run.record.receipt?.facts.newCustomer).toMatchObject({ required: false, days: 200, why: null });
    expect((await ledgerItems(wf.runtime, customerId)).map((l) => l.refundedTotal)).toEqual([1499]);
  });

  it('without customerSince, the earliest history counts: an order of 120 days ago makes an established customer', async () => {
    const established = await askForRefund(
      billedAfterCancelling(newCustomerId('hist-120'), {
        orders: [order('O-OLD', 2599, { status: 'lost', placedAt: daysBeforeNow(120) })],
      }),
    );
    // Only the charges of this month and a cancellation of March: 19 days of history, a new customer.
    const recent = await askForRefund(billedAfterCancelling(newCustomerId('hist-19')));

    expect(established.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 1499 });
    expect(established.record.receipt?.facts.newCustomer).toMatchObject({
      from: 'earliest_history',
      days: 120,
    });
    expect(recent.record).toMatchObject({ outcome: 'human_handoff', reason: 'approval_required', rule: 6 });
    expect(recent.record.receipt?.facts.newCustomer).toMatchObject({
      required: true,
      from: 'earliest_history',
      since: '2026-03-01T10:00:00Z',
      days: 19,
    });
  });

  it('leaves the other intents alone: a new customer asking where an order is gets self service', async () => {
    const customer = account(newCustomerId('new-track'), { orders: [order('O-1', 2599)] });
    await seedAccount(wf.runtime, customer);
    classifier.classifyAs({ intent: 'order_tracking' });

    const run = await runCase(wf.runtime, {
      customerId: customer.profile.id,
      message: 'where is it',
      now: NOW,
    });

    expect(run.record).toMatchObject({ outcome: 'self_service', reason: 'order_tracking' });
  });
});

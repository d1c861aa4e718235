/**
 * The workflow with `paymentProvider=stripe`: the synthesized definition on the embedded runtime, the real
 * handlers, the real `stripe` SDK, and the Stripe emulator on 127.0.0.1. Money moves once per charge whatever
 * fails (a 5xx, a lost answer), a refusal goes to billing as refund_failed, and a goodwill credit is a balance credit.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { Classification } from '../../functions/shared/types.js';
import { type CaseRequest, readCase, runCase, seedAccount } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  accountWithStripe,
  type StripeEmulator,
  stripeClientFor,
} from '../../local/stripe-emulator/index.js';
import {
  account,
  cancelledSubscription,
  controllableClassifier,
  FAST_RETRIES,
  ledgerItem,
  messageCenter,
  NOW,
  newCustomerId,
  RUNTIME_HOOK_TIMEOUT,
  subscriptionCharge,
  TeamQueues,
  timelineSteps,
} from './support.js';

const classifier = controllableClassifier();
let runtime: LocalRuntime;
let emulator: StripeEmulator;
let stripe: Stripe;
let queues: TeamQueues;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    context: { 'refundHub:paymentProvider': 'stripe' },
    wrapHandler: classifier.wrapHandler,
    retryIntervalOverrides: FAST_RETRIES,
  });
  if (!runtime.stripe) throw new Error('paymentProvider=stripe did not start the Stripe emulator');
  emulator = runtime.stripe;
  stripe = stripeClientFor(emulator);
  queues = new TeamQueues(runtime);
}, RUNTIME_HOOK_TIMEOUT);

afterAll(async () => {
  queues?.destroy();
  await runtime?.stop();
});

const billing: Partial<Classification> = { intent: 'billing_refund', confidence: 0.95 };

/** A customer billed $14.99 (their own charge id) after cancelling: one billing error, refunded automatically. */
function billedAfterCancelling(customerId: string, extra: Partial<CustomerAccount> = {}): CustomerAccount {
  const chargeId = `CH-${customerId}`;
  return {
    ...account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-03-01T10:00:00Z')],
      charges: [
        subscriptionCharge(chargeId, 'SUB-1', 1499, '2026-03-15T08:00:00Z', {
          paymentIntentId: `pi_${customerId}`,
        }),
      ],
    }),
    ...extra,
  };
}

async function run(
  customer: CustomerAccount,
  classification: Partial<Classification>,
  request: Partial<CaseRequest> = {},
) {
  const stored = accountWithStripe(emulator, customer);
  await seedAccount(runtime, stored);
  classifier.classifyAs(classification);
  const result = await runCase(runtime, {
    customerId: customer.profile.id,
    message: 'a customer message (the classifier is stubbed)',
    now: NOW,
    ...request,
  });
  return { ...result, stripeCustomerId: stored.profile.stripeCustomerId as string };
}

const refundsAtStripe = async (customerId: string) =>
  (await stripe.refunds.list({ payment_intent: `pi_${customerId}`, limit: 100 })).data;

describe('an automatic refund through Stripe', () => {
  it('refunds the payment intent once, with the case in its metadata, and the case shows the provider refund', async () => {
    const customerId = newCustomerId('stripe-ok');
    const result = await run(billedAfterCancelling(customerId), billing);

    expect(result.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 1499, currency: 'USD' });
    const refunds = await refundsAtStripe(customerId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      amount: 1499,
      status: 'succeeded',
      metadata: { caseId: result.caseId, refundHubCustomerId: customerId, chargeId: `CH-${customerId}` },
    });
    const item = await ledgerItem(runtime, customerId, `CH-${customerId}`);
    expect(item?.[`case:${result.caseId}`]).toMatchObject({
      status: 'succeeded',
      provider: 'stripe',
      providerRefundId: refunds[0]?.id,
      idempotencyKey: `refund-hub:refund:${result.caseId}:CH-${customerId}:1499`,
    });
  });

  it('five 500s from Stripe (more than the SDK retries): the state machine retries with the same key, one refund', async () => {
    emulator.injectFault({ pathPrefix: '/v1/refunds', method: 'POST', status: 500, count: 5 });
    const customerId = newCustomerId('stripe-500');
    const result = await run(billedAfterCancelling(customerId), billing);
    emulator.clearFaults();

    expect(result.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 1499 });
    expect(await refundsAtStripe(customerId)).toHaveLength(1);
  });

  it('Stripe refunds and the answer is lost (a dropped connection), twice: still one refund', async () => {
    emulator.injectFault({ pathPrefix: '/v1/refunds', method: 'POST', status: 'drop_after', count: 2 });
    const customerId = newCustomerId('stripe-drop');
    const result = await run(billedAfterCancelling(customerId), billing);
    emulator.clearFaults();

    expect(result.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 1499 });
    expect(await refundsAtStripe(customerId)).toHaveLength(1);
  });

  it('a refund Stripe has not settled is "issued" to the customer and pending on the case', async () => {
    emulator.setAccount({ refundsStartPending: true });
    const customerId = newCustomerId('stripe-pending');
    const result = await run(billedAfterCancelling(customerId), billing);
    emulator.setAccount({ refundsStartPending: false });

    expect(result.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 1499 });
    const item = await ledgerItem(runtime, customerId, `CH-${customerId}`);
    expect(item?.[`case:${result.caseId}`]).toMatchObject({ status: 'pending' });
    const [outcome] = (await messageCenter(runtime, customerId)).filter((m) =>
      m.messageKey.endsWith('#outcome'),
    );
    expect(outcome?.subject).toBe('Your refund has been issued');
  });
});

describe('a refund Stripe refuses goes to billing as refund_failed, and the customer is told', () => {
  it.each([
    ['a disputed charge', 'charge_disputed', 'disputed with your bank'],
    ['an account balance too low', 'balance_insufficient', 'could not cover it'],
  ])('%s', async (_label, code, words) => {
    const customerId = newCustomerId('stripe-refused');
    const customer = billedAfterCancelling(customerId);
    if (code === 'charge_disputed') {
      accountWithStripe(emulator, customer);
      emulator.setChargeBehaviours(`CH-${customerId}`, { disputed: true });
    } else emulator.setAccount({ insufficientBalance: true });
    const result = await run(customer, billing);
    emulator.setAccount({ insufficientBalance: false });

    expect(result.waitingForAgent).toBe(true);
    expect(result.record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'refund_failed',
      handoffQueue: 'billing',
    });
    expect(await refundsAtStripe(customerId)).toHaveLength(0);
    const item = await ledgerItem(runtime, customerId, `CH-${customerId}`);
    expect(item).toMatchObject({ refundedTotal: 0 });
    expect(item?.[`case:${result.caseId}`]).toMatchObject({ status: 'failed', failureReason: code });
    const [callback] = await queues.forCase(result.caseId);
    expect(callback).toMatchObject({ team: 'billing', request: { reason: 'refund_failed' } });
    const handoff = (await messageCenter(runtime, customerId)).find((m) => m.messageKey.endsWith('#handoff'));
    expect(handoff?.subject).toBe('Your refund could not be completed');
    expect(handoff?.body).toContain(words);
    expect(handoff?.body).not.toContain(code);
  });

  it('an agent approves it once the balance is topped up: a new attempt, a new key, one refund', async () => {
    const customerId = newCustomerId('stripe-retry');
    emulator.setAccount({ insufficientBalance: true });
    const result = await run(billedAfterCancelling(customerId), billing);
    emulator.setAccount({ insufficientBalance: false });
    expect(result.record.reason).toBe('refund_failed');

    const waiting = await readCase(runtime, result.caseId);
    runtime.executor.sendTaskSuccess(waiting.taskToken as string, {
      decision: 'approve_refund',
      amount: 1499,
      currency: 'USD',
      note: 'Dispute closed in our favour; refunding as promised',
      agentId: 'agent-1',
      charges: [{ chargeId: `CH-${customerId}`, amount: 1499, currency: 'USD' }],
    });
    await result.execution.done;

    expect(result.execution.status).toBe('SUCCEEDED');
    const refunds = await refundsAtStripe(customerId);
    expect(refunds).toHaveLength(1);
    const item = await ledgerItem(runtime, customerId, `CH-${customerId}`);
    expect(item?.[`case:${result.caseId}`]).toMatchObject({
      status: 'succeeded',
      attempt: 2,
      idempotencyKey: `refund-hub:refund:${result.caseId}:CH-${customerId}:1499:2`,
    });
    expect(item?.refundedTotal).toBe(1499);
  });
});

describe('a goodwill credit through Stripe', () => {
  it('is a customer balance credit booked once, shown on the case', async () => {
    const customerId = newCustomerId('stripe-credit');
    const result = await run(account(customerId), { intent: 'other', humanRequested: true });
    expect(result.waitingForAgent).toBe(true);

    const waiting = await readCase(runtime, result.caseId);
    runtime.executor.sendTaskSuccess(waiting.taskToken as string, {
      decision: 'goodwill_credit',
      amount: 2500,
      currency: 'USD',
      note: 'Sorry for the wait',
      agentId: 'agent-1',
    });
    await result.execution.done;

    expect(result.execution.status).toBe('SUCCEEDED');
    const customer = (await stripe.customers.retrieve(result.stripeCustomerId)) as Stripe.Customer;
    expect(customer.balance).toBe(-2500);
    const transactions = await stripe.customers.listBalanceTransactions(result.stripeCustomerId);
    expect(transactions.data).toHaveLength(1);
    expect(transactions.data[0]?.metadata).toMatchObject({ caseId: result.caseId });
    expect(timelineSteps(await readCase(runtime, result.caseId))).toContain('credit_booked');
  });
});

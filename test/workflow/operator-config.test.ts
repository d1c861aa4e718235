/**
 * Operator configuration reaches the definition: a runtime synthesized with CDK context
 * `refundHub:highValueThresholds = {"EUR":20000,"JPY":100000}`, the USD shorthand
 * `refundHub:highValueThresholdMinor = 100000` and `refundHub:confidenceThreshold = 0.8` routes by
 * those numbers, and the receipts show them. The classifier is stubbed; every other step is real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { Classification } from '../../functions/shared/types.js';
import { runCase, seedAccount } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  account,
  cancelledSubscription,
  controllableClassifier,
  FAST_RETRIES,
  ledgerItems,
  NOW,
  newCustomerId,
  order,
  RUNTIME_HOOK_TIMEOUT,
  subscriptionCharge,
} from './support.js';

const classifier = controllableClassifier();
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    context: {
      'refundHub:highValueThresholds': '{"EUR":20000,"JPY":100000}',
      'refundHub:highValueThresholdMinor': 100_000,
      'refundHub:confidenceThreshold': 0.8,
    },
    wrapHandler: classifier.wrapHandler,
    retryIntervalOverrides: FAST_RETRIES,
  });
}, RUNTIME_HOOK_TIMEOUT);

afterAll(async () => {
  await runtime?.stop();
});

function renewedAfterCancel(customerId: string, amount: number, currency = 'USD'): CustomerAccount {
  return account(customerId, {
    subscriptions: [cancelledSubscription('SUB-3', '2026-01-05T00:00:00Z', { plan: 'business-annual' })],
    charges: [subscriptionCharge('CH-4', 'SUB-3', amount, '2026-02-01T00:00:00Z', { currency })],
  });
}

async function runWith(customer: CustomerAccount, classification: Partial<Classification>, orderId?: string) {
  await seedAccount(runtime, customer);
  classifier.classifyAs(classification);
  return runCase(runtime, {
    customerId: customer.profile.id,
    message: 'a customer message (the classifier is stubbed)',
    now: NOW,
    ...(orderId ? { orderId } : {}),
  });
}

const billing: Partial<Classification> = { intent: 'billing_refund', confidence: 0.95 };

describe('highValueThresholds = {"EUR":20000,"JPY":100000} with the USD shorthand 100000', () => {
  it('the synthesized topology carries the operator configuration', () => {
    expect(runtime.topology.config).toMatchObject({
      highValueThresholds: { EUR: 20_000, JPY: 100_000, USD: 100_000 },
      confidenceThreshold: 0.8,
    });
  });

  it.each<[string, number, string]>([
    ['EUR', 20_000, 'auto_refunded'],
    ['EUR', 20_001, 'human_handoff'],
    ['JPY', 100_000, 'auto_refunded'],
    ['JPY', 100_001, 'human_handoff'],
    // The map replaced the defaults: GBP has no threshold now, so it counts as high value.
    ['GBP', 100, 'human_handoff'],
  ])('%s %d → %s', async (currency, amount, outcome) => {
    const run = await runWith(renewedAfterCancel(newCustomerId('cfg-cur'), amount, currency), billing);

    expect(run.record).toMatchObject({ outcome, refundedAmount: outcome === 'auto_refunded' ? amount : 0 });
    if (outcome === 'human_handoff') expect(run.record).toMatchObject({ reason: 'high_value', rule: 5 });
  });

  it('auto-refunds 69900 instead of handing it off, and the receipt shows the threshold in force', async () => {
    const customerId = newCustomerId('cfg-699');

    const run = await runWith(renewedAfterCancel(customerId, 69_900), billing);

    expect(run.record).toMatchObject({
      outcome: 'auto_refunded',
      reason: 'billing_error',
      refundedChargeIds: ['CH-4'],
      refundedAmount: 69_900,
    });
    expect(run.record.receipt?.thresholds).toMatchObject({
      highValueThresholds: { EUR: 20_000, JPY: 100_000, USD: 100_000 },
    });
    expect((await ledgerItems(runtime, customerId)).map((l) => l.refundedTotal)).toEqual([69_900]);
  });

  it('exactly 100000 is auto-refunded; 100001 goes to the billing team', async () => {
    const at = await runWith(renewedAfterCancel(newCustomerId('cfg-at'), 100_000), billing);
    const over = await runWith(renewedAfterCancel(newCustomerId('cfg-over'), 100_001), billing);

    expect(at.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 100_000 });
    expect(over.record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'high_value',
      handoffQueue: 'billing',
    });
  });

  it('applies to delivery problems too: a lost 99000 order is self service, a lost 129900 one is not', async () => {
    const customerId = newCustomerId('cfg-order');
    const customer = account(customerId, {
      orders: [order('O-MID', 99_000, { status: 'lost' }), order('O-BIG', 129_900, { status: 'lost' })],
    });

    const mid = await runWith(customer, { intent: 'order_tracking' }, 'O-MID');
    const big = await runWith(customer, { intent: 'order_tracking' }, 'O-BIG');

    expect(mid.record).toMatchObject({ outcome: 'self_service', reason: 'order_tracking' });
    expect(big.record).toMatchObject({ outcome: 'human_handoff', reason: 'high_value_delivery' });
  });
});

describe('confidenceThreshold = 0.8', () => {
  it('a billing_refund at 0.75 is unsure: nothing refunded (the account names the billing error instead)', async () => {
    const customerId = newCustomerId('cfg-unsure');

    const run = await runWith(renewedAfterCancel(customerId, 1499), {
      intent: 'billing_refund',
      confidence: 0.75,
    });

    // Unsure under the configured 0.8: the account's billing error is named with the one-tap request, never refunded.
    expect(run.record).toMatchObject({
      outcome: 'self_service',
      reason: 'billing_refund',
      refundedAmount: 0,
    });
    expect(run.record.receipt?.facts.intentDecidedBy).toMatchObject({ by: 'account', unsure: true });
    expect(run.record.receipt?.thresholds).toMatchObject({ confidenceThreshold: 0.8 });
    expect(await ledgerItems(runtime, customerId)).toEqual([]);
  });

  it('a billing_refund at 0.8 is confident enough', async () => {
    const run = await runWith(renewedAfterCancel(newCustomerId('cfg-sure'), 1499), {
      intent: 'billing_refund',
      confidence: 0.8,
    });

    expect(run.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 1499 });
  });
});

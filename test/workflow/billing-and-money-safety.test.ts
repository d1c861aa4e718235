/**
 * POLICY.md "Billing-date comparison" and "exactly once per charge, ever", on the embedded runtime
 * with the real classifier (messages it classifies clearly as billing_refund, confidence ~1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import { readCase, runCase, seedAccount, settle, startCase } from '../../local/cases.js';
import type { LambdaHandler } from '../../local/executor.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  account,
  cancelledSubscription,
  enteredStates,
  FAST_RETRIES,
  ISSUE_REFUND_ENTRY,
  ledgerItem,
  ledgerItems,
  messageCenter,
  NOW,
  newCustomerId,
  RUNTIME_HOOK_TIMEOUT,
  subscriptionCharge,
} from './support.js';

const REFUND_MESSAGE = 'I was charged after I cancelled, refund me';

let runtime: LocalRuntime;

/**
 * When set, IssueRefund calls wait until `size` of them have arrived, then all proceed together:
 * two cases are then guaranteed to race on the ledger (not merely on who loads the account first).
 */
let refundBarrier: { size: number; waiting: (() => void)[] } | undefined;

function wrapHandler(entry: string, real: LambdaHandler): LambdaHandler {
  if (entry !== ISSUE_REFUND_ENTRY) return real;
  return async (event, context) => {
    const barrier = refundBarrier;
    if (barrier) {
      await new Promise<void>((resolve) => {
        barrier.waiting.push(resolve);
        if (barrier.waiting.length >= barrier.size) for (const release of barrier.waiting) release();
      });
    }
    return real(event, context);
  };
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ retryIntervalOverrides: FAST_RETRIES, wrapHandler });
}, RUNTIME_HOOK_TIMEOUT);

afterAll(async () => {
  await runtime?.stop();
});

async function refundCase(customer: CustomerAccount, message = REFUND_MESSAGE) {
  await seedAccount(runtime, customer);
  return runCase(runtime, { customerId: customer.profile.id, message, now: NOW });
}

describe('billing-date comparison', () => {
  it('of two charges for the same subscription and billing period, the later one is refunded', async () => {
    // Prepare: an active subscription charged twice for March; the later charge listed first.
    const customerId = newCustomerId('dup');
    const customer = account(customerId, {
      subscriptions: [{ id: 'SUB-D', plan: 'prime-monthly', status: 'active' }],
      charges: [
        subscriptionCharge('CH-LATER', 'SUB-D', 1499, '2026-03-15T08:05:00Z', {
          billingPeriodStart: '2026-03-15T00:00:00Z',
        }),
        subscriptionCharge('CH-FIRST', 'SUB-D', 1499, '2026-03-15T08:00:00Z', {
          billingPeriodStart: '2026-03-15T00:00:00Z',
        }),
        subscriptionCharge('CH-FEB', 'SUB-D', 1499, '2026-02-15T08:00:00Z', {
          billingPeriodStart: '2026-02-15T00:00:00Z',
        }),
      ],
    });

    // Act
    const run = await refundCase(
      customer,
      'I was charged twice for my subscription this month, refund the duplicate',
    );

    // Assess
    expect(run.record).toMatchObject({
      outcome: 'auto_refunded',
      reason: 'billing_error',
      refundedChargeIds: ['CH-LATER'],
      refundedAmount: 1499,
    });
    expect(run.record.receipt?.facts.billing).toMatchObject({
      billingErrors: [expect.objectContaining({ chargeId: 'CH-LATER', kinds: ['duplicate'] })],
    });
    expect((await ledgerItems(runtime, customerId)).map((l) => l.chargeId)).toEqual(['CH-LATER']);
  });

  it('billing periods written with different offsets are the same period (instants, not strings)', async () => {
    const customerId = newCustomerId('dup-offset');
    const customer = account(customerId, {
      subscriptions: [{ id: 'SUB-O', plan: 'prime-monthly', status: 'active' }],
      charges: [
        subscriptionCharge('CH-A', 'SUB-O', 1499, '2026-03-15T08:00:00Z', {
          billingPeriodStart: '2026-03-15T00:00:00Z',
        }),
        subscriptionCharge('CH-B', 'SUB-O', 1499, '2026-03-15T09:00:00Z', {
          billingPeriodStart: '2026-03-14T16:00:00-08:00',
        }),
      ],
    });

    const run = await refundCase(customer);

    expect(run.record).toMatchObject({ outcome: 'auto_refunded', refundedChargeIds: ['CH-B'] });
  });

  it('the earliest duplicate is chosen by instant: 23:30-08:00 is after 07:00Z the next day', async () => {
    // "2026-02-14T23:30:00-08:00" (= 2026-02-15T07:30Z) sorts before "2026-02-15T07:00:00Z" as text.
    const customerId = newCustomerId('dup-order');
    const customer = account(customerId, {
      subscriptions: [{ id: 'SUB-T', plan: 'prime-monthly', status: 'active' }],
      charges: [
        subscriptionCharge('CH-PST', 'SUB-T', 1499, '2026-02-14T23:30:00-08:00', {
          billingPeriodStart: '2026-02-15T00:00:00Z',
        }),
        subscriptionCharge('CH-UTC', 'SUB-T', 1499, '2026-02-15T07:00:00Z', {
          billingPeriodStart: '2026-02-15T00:00:00Z',
        }),
      ],
    });

    const run = await refundCase(customer);

    expect(run.record).toMatchObject({ outcome: 'auto_refunded', refundedChargeIds: ['CH-PST'] });
  });

  it('a charge at 2026-02-14T23:30:00-08:00 is after a cancellation at 2026-02-15T07:00:00Z', async () => {
    // Prepare
    const customerId = newCustomerId('offset');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-15T07:00:00Z')],
      charges: [subscriptionCharge('CH-PST', 'SUB-1', 1499, '2026-02-14T23:30:00-08:00')],
    });

    // Act
    const run = await refundCase(customer);

    // Assess
    expect(run.record).toMatchObject({
      outcome: 'auto_refunded',
      refundedChargeIds: ['CH-PST'],
      refundedAmount: 1499,
    });
  });

  it('a charge at 2026-02-15T06:30:00Z is before a cancellation at 2026-02-14T23:30:00-08:00', async () => {
    const customerId = newCustomerId('offset-before');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T23:30:00-08:00')],
      charges: [subscriptionCharge('CH-UTC', 'SUB-1', 1499, '2026-02-15T06:30:00Z')],
    });

    const run = await refundCase(customer);

    expect(run.record).toMatchObject({ outcome: 'no_refund_due', reason: 'no_billing_error' });
  });

  it('a charge at the very instant of cancellation is a billing error (chargedAt >= cancellation)', async () => {
    const customerId = newCustomerId('same-instant');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-03-15T08:00:00Z')],
      charges: [subscriptionCharge('CH-EQ', 'SUB-1', 1499, '2026-03-15T09:00:00+01:00')],
    });

    const run = await refundCase(customer);

    expect(run.record).toMatchObject({ outcome: 'auto_refunded', refundedChargeIds: ['CH-EQ'] });
  });

  it('charges of another subscription and order charges are never billing errors', async () => {
    const customerId = newCustomerId('other-sub');
    const customer = account(customerId, {
      subscriptions: [
        cancelledSubscription('SUB-X', '2026-02-14T10:00:00Z'),
        { id: 'SUB-Y', plan: 'music', status: 'active' },
      ],
      charges: [
        subscriptionCharge('CH-Y', 'SUB-Y', 999, '2026-03-15T08:00:00Z'),
        { id: 'CH-ORDER', orderId: 'O-1', amount: 2599, currency: 'USD', chargedAt: '2026-03-16T08:00:00Z' },
      ],
    });

    const run = await refundCase(customer);

    expect(run.record).toMatchObject({
      outcome: 'no_refund_due',
      reason: 'no_billing_error',
      refundedAmount: 0,
    });
  });
});

describe('money safety: every charge is refunded at most once, ever', () => {
  function oneErrorAccount(customerId: string): CustomerAccount {
    return account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-03-15T08:00:00Z')],
    });
  }

  it('the same refund asked for twice (two cases, one after the other) refunds once', async () => {
    // Prepare
    const customerId = newCustomerId('twice');
    await seedAccount(runtime, oneErrorAccount(customerId));

    // Act
    const first = await runCase(runtime, { customerId, message: REFUND_MESSAGE, now: NOW });
    const second = await runCase(runtime, { customerId, message: 'Subscription refund', now: NOW });

    // Assess
    expect(first.record).toMatchObject({
      outcome: 'auto_refunded',
      refundedChargeIds: ['CH-2'],
      refundedAmount: 1499,
    });
    expect(second.record).toMatchObject({
      outcome: 'no_refund_due',
      reason: 'already_refunded',
      refundedAmount: 0,
      callbackOffered: true,
    });
    const ledger = await ledgerItem(runtime, customerId, 'CH-2');
    expect(ledger).toMatchObject({ refundedTotal: 1499, autoRefundCaseId: first.caseId });
    expect(ledger?.[`case:${second.caseId}`]).toBeUndefined();
    const messages = await messageCenter(runtime, customerId);
    expect(messages.find((m) => m.caseId === second.caseId)?.body).toContain('already refunded');
  });

  it('two cases started concurrently for the same charge refund it exactly once in total', async () => {
    // Prepare: several customers, each with two concurrent cases, to give the race a real chance.
    const customerIds = [1, 2, 3, 4, 5].map(() => newCustomerId('race'));
    for (const customerId of customerIds) await seedAccount(runtime, oneErrorAccount(customerId));

    // Act
    const runs = await Promise.all(
      customerIds.flatMap((customerId) =>
        [REFUND_MESSAGE, 'Subscription refund'].map(async (message) => {
          const { caseId, execution } = await startCase(runtime, { customerId, message, now: NOW });
          await settle(runtime, execution);
          return { customerId, execution, record: await readCase(runtime, caseId) };
        }),
      ),
    );

    // Assess
    for (const customerId of customerIds) {
      const mine = runs.filter((r) => r.customerId === customerId);
      expect(mine.map((r) => r.execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(mine.reduce((sum, r) => sum + (r.record.refundedAmount ?? 0), 0)).toBe(1499);
      expect(mine.map((r) => r.record.outcome).sort()).toEqual(['auto_refunded', 'no_refund_due']);
      expect(mine.find((r) => r.record.outcome === 'no_refund_due')?.record.reason).toBe('already_refunded');
      expect((await ledgerItem(runtime, customerId, 'CH-2'))?.refundedTotal).toBe(1499);
    }
  });

  it('two cases that both reach IssueRefund for the same charge at the same moment refund it once', async () => {
    // Prepare: hold both cases at IssueRefund until both have arrived.
    const customerId = newCustomerId('barrier');
    await seedAccount(runtime, oneErrorAccount(customerId));
    refundBarrier = { size: 2, waiting: [] };

    // Act
    const runs = await Promise.all(
      [REFUND_MESSAGE, 'Subscription refund'].map(async (message) => {
        const { caseId, execution } = await startCase(runtime, { customerId, message, now: NOW });
        await settle(runtime, execution);
        return { execution, record: await readCase(runtime, caseId) };
      }),
    ).finally(() => {
      refundBarrier = undefined;
    });

    // Assess: both asked the ledger; exactly one was paid.
    for (const run of runs) expect(enteredStates(run.execution)).toContain('IssueRefund');
    expect(runs.reduce((sum, r) => sum + (r.record.refundedAmount ?? 0), 0)).toBe(1499);
    const loser = runs.find((r) => r.record.outcome !== 'auto_refunded');
    expect(loser?.record).toMatchObject({
      outcome: 'no_refund_due',
      reason: 'already_refunded',
      callbackOffered: true,
    });
    expect(loser && enteredStates(loser.execution)).toContain('Rule3AlreadyRefundedElsewhere');
    const ledger = await ledgerItem(runtime, customerId, 'CH-2');
    expect(ledger?.refundedTotal).toBe(1499);
    expect(Object.keys(ledger ?? {}).filter((k) => k.startsWith('case:'))).toHaveLength(1);
  });

  it('a refund made outside Refund Hub (refundedAmount on the charge) is never paid again', async () => {
    const customerId = newCustomerId('outside');
    const customer = account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-03-15T08:00:00Z', { refundedAmount: 499 })],
    });

    const first = await refundCase(customer);
    const second = await refundCase(customer, 'Subscription refund');

    expect(first.record).toMatchObject({ outcome: 'auto_refunded', refundedAmount: 1000 });
    expect(second.record).toMatchObject({ outcome: 'no_refund_due', reason: 'already_refunded' });
    expect((await ledgerItem(runtime, customerId, 'CH-2'))?.refundedTotal).toBe(1000);
  });
});

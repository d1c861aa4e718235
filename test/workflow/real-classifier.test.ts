/**
 * End to end with the REAL trained classifier: the shared example scenarios and a few clear
 * messages, each through the synthesized definition with every handler real. Also proves the
 * Tasks do not trip over `Promise.withResolvers` on Node 20.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Charge, Order, Subscription } from '../../functions/shared/types.js';
import { runCase, seedAccount } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  account,
  cancelledSubscription,
  FAST_RETRIES,
  ledgerItems,
  messageCenter,
  NOW,
  newCustomerId,
  RUNTIME_HOOK_TIMEOUT,
  subscriptionCharge,
  TeamQueues,
} from './support.js';

interface Scenario {
  readonly id: string;
  readonly now?: string;
  readonly customer: { readonly id: string; readonly phone?: string };
  readonly subscriptions?: Subscription[];
  readonly charges?: Charge[];
  readonly orders?: Order[];
  readonly message: string;
  readonly orderId?: string;
  readonly callbackPhone?: string;
  readonly expect: Record<string, unknown>;
}

const EXAMPLES = '/work/shared/scenarios/examples.jsonl';
const scenarios: Scenario[] = readFileSync(EXAMPLES, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Scenario);

let runtime: LocalRuntime;
let queues: TeamQueues;

beforeAll(async () => {
  runtime = await startLocalRuntime({ retryIntervalOverrides: FAST_RETRIES });
  queues = new TeamQueues(runtime);
}, RUNTIME_HOOK_TIMEOUT);

afterAll(async () => {
  queues?.destroy();
  await runtime?.stop();
});

describe('the shared example scenarios (examples.jsonl)', () => {
  it.each(scenarios.map((s) => [s.id, s] as const))('%s', async (_id, scenario) => {
    // Prepare: a per-run customer id, so the scenario's data is all this case sees.
    const customerId = newCustomerId(scenario.customer.id);
    await seedAccount(
      runtime,
      account(customerId, {
        ...(scenario.customer.phone ? { phone: scenario.customer.phone } : {}),
        subscriptions: scenario.subscriptions ?? [],
        charges: scenario.charges ?? [],
        orders: scenario.orders ?? [],
      }),
    );

    // Act
    const run = await runCase(runtime, {
      customerId,
      message: scenario.message,
      ...(scenario.now ? { now: new Date(scenario.now) } : {}),
      ...(scenario.orderId ? { orderId: scenario.orderId } : {}),
      ...(scenario.callbackPhone ? { callbackPhone: scenario.callbackPhone } : {}),
    });

    // Assess: the replay view of the case, only the fields the scenario expects.
    const outcome = {
      outcome: run.record.outcome,
      reason: run.record.reason,
      refundedChargeIds: run.record.refundedChargeIds ?? [],
      refundedAmount: run.record.refundedAmount ?? 0,
      handoffQueue: run.record.outcome === 'human_handoff' ? run.record.handoffQueue : null,
      callbackOffered: run.record.callbackOffered ?? false,
    };
    expect(outcome).toMatchObject(scenario.expect);
    expect(run.waitingForAgent).toBe(run.record.outcome === 'human_handoff');
    if (run.record.outcome === 'human_handoff') {
      const callbacks = await queues.forCase(run.caseId);
      expect(callbacks.map((c) => c.team)).toEqual([scenario.expect.handoffQueue]);
    } else {
      expect(run.execution.status).toBe('SUCCEEDED');
    }
    const ledgerTotal = (await ledgerItems(runtime, customerId)).reduce((sum, l) => sum + l.refundedTotal, 0);
    expect(ledgerTotal).toBe(outcome.refundedAmount);
    expect((await messageCenter(runtime, customerId)).map((m) => m.caseId)).toContain(run.caseId);
  });
});

describe('clear messages, real model', () => {
  const refundable = (customerId: string) =>
    account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-03-15T08:00:00Z')],
    });

  it.each([
    ['I was charged after I cancelled, refund me', { outcome: 'auto_refunded', callbackOffered: false }],
    [
      'I was charged after I cancelled, refund me now, this is urgent',
      { outcome: 'auto_refunded', callbackOffered: true },
    ],
    [
      'I was charged after I cancelled, this is ridiculous, refund me',
      { outcome: 'auto_refunded', callbackOffered: true },
    ],
    [
      'Refund my subscription, I want to talk to a person',
      { outcome: 'human_handoff', reason: 'customer_request', handoffQueue: 'billing', refundedAmount: 0 },
    ],
    [
      'Someone logged into my account and changed my email address',
      { outcome: 'human_handoff', reason: 'account_security', handoffQueue: 'security', refundedAmount: 0 },
    ],
    [
      'how do I cancel my subscription',
      { outcome: 'self_service', reason: 'cancellation', refundedAmount: 0 },
    ],
    [
      'where is my package? this is ridiculous, I am furious',
      { outcome: 'human_handoff', reason: 'sentiment', handoffQueue: 'delivery' },
    ],
    ['hmm', { outcome: 'self_service', reason: 'other', refundedAmount: 0 }],
  ])('"%s"', async (message, expected) => {
    const customerId = newCustomerId('real');
    await seedAccount(runtime, refundable(customerId));

    const run = await runCase(runtime, { customerId, message, now: NOW });

    expect(run.record).toMatchObject(expected);
  });
});

describe('Promise.withResolvers on Node 20', () => {
  it('is available once the runtime is loaded, and no Task fails on it', async () => {
    // Prepare
    const customerId = newCustomerId('resolvers');
    await seedAccount(runtime, account(customerId));

    // Act
    const run = await runCase(runtime, { customerId, message: 'where is my package?', now: NOW });

    // Assess
    expect(typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers).toBe('function');
    const events = run.execution.events;
    expect(events.some((e) => e.type === 'StateExited' && e.state?.name === 'ClassifyMessage')).toBe(true);
    const failures = events.filter((e) => e.type === 'StateFailed' || e.type === 'StateRetried');
    expect(failures).toEqual([]);
    expect(JSON.stringify(events)).not.toMatch(/withResolvers/);
    expect(run.record).toMatchObject({ outcome: 'self_service', reason: 'order_tracking' });
  });
});

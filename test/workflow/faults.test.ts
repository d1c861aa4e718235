/**
 * Faults, injected from outside the production code through the runtime's `wrapHandler`: a step that
 * fails once is retried and the case completes; a step that keeps failing sends the case to a person
 * with reason system_error, and never refunds. Retry pauses are overridden to 0 ms.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCase, runCase, seedAccount } from '../../local/cases.js';
import type { LambdaHandler, LocalExecution } from '../../local/executor.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  account,
  cancelledSubscription,
  enteredStates,
  FAST_RETRIES,
  ISSUE_REFUND_ENTRY,
  LOAD_ACCOUNT_ENTRY,
  ledgerItems,
  messageCenter,
  NOW,
  namedError,
  newCustomerId,
  RUNTIME_HOOK_TIMEOUT,
  subscriptionCharge,
  TeamQueues,
  timelineSteps,
} from './support.js';

const RECORD_OUTCOME_ENTRY = 'functions/record-outcome/handler.ts';
const CLASSIFY_ENTRY = 'functions/classify/handler.ts';

interface Fault {
  /** Which calls fail: the first `n`, or every one. */
  readonly fail: number | 'always';
  /** Throw after the real handler ran (its side effects happened), instead of before. */
  readonly afterRealCall?: boolean;
  /** With afterRealCall: the real handler only gets the first of the event's `charges` (a fault part-way). */
  readonly firstChargeOnly?: boolean;
  readonly errorName?: string;
  /** Only calls whose event matches fail (and count); all calls when absent. */
  readonly when?: (event: unknown) => boolean;
}

const faults = new Map<string, Fault>();
const calls = new Map<string, number>();

function wrapHandler(entry: string, real: LambdaHandler): LambdaHandler {
  return async (event, context) => {
    const configured = faults.get(entry);
    const fault = configured && (!configured.when || configured.when(event)) ? configured : undefined;
    const call = (calls.get(entry) ?? 0) + 1;
    calls.set(entry, call);
    const failing = fault !== undefined && (fault.fail === 'always' || call <= fault.fail);
    const error = () =>
      namedError(fault?.errorName ?? 'TransientDependencyError', `injected fault on call ${call}`);
    if (failing && !fault.afterRealCall) throw error();
    const partial = failing && fault.firstChargeOnly;
    const input = partial
      ? { ...(event as object), charges: (event as { charges: unknown[] }).charges.slice(0, 1) }
      : event;
    const result = await real(input, context);
    if (failing) throw error();
    return result;
  };
}

let runtime: LocalRuntime;
let queues: TeamQueues;

beforeAll(async () => {
  runtime = await startLocalRuntime({ wrapHandler, retryIntervalOverrides: FAST_RETRIES });
  queues = new TeamQueues(runtime);
}, RUNTIME_HOOK_TIMEOUT);

afterEach(() => {
  faults.clear();
  calls.clear();
});

afterAll(async () => {
  queues?.destroy();
  await runtime?.stop();
});

async function refundCase() {
  const customerId = newCustomerId('fault');
  await seedAccount(
    runtime,
    account(customerId, {
      phone: '+12065550101',
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [
        subscriptionCharge('CH-1', 'SUB-1', 1499, '2026-01-15T08:00:00Z'),
        subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-03-15T08:00:00Z'),
      ],
    }),
  );
  const run = await runCase(runtime, { customerId, message: 'Subscription refund', now: NOW });
  return { customerId, ...run };
}

function retriesOf(execution: LocalExecution, stateName: string): number {
  return execution.events.filter((e) => e.type === 'StateRetried' && e.state?.name === stateName).length;
}

describe('a transient fault is retried', () => {
  it('LoadCustomerAccount failing once: the case still completes with the right refund', async () => {
    // Prepare
    faults.set(LOAD_ACCOUNT_ENTRY, { fail: 1 });

    // Act
    const { customerId, execution, record } = await refundCase();

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(retriesOf(execution, 'LoadCustomerAccount')).toBe(1);
    expect(calls.get(LOAD_ACCOUNT_ENTRY)).toBe(2);
    expect(record).toMatchObject({
      status: 'resolved',
      outcome: 'auto_refunded',
      reason: 'billing_error',
      refundedChargeIds: ['CH-2'],
      refundedAmount: 1499,
    });
    expect((await ledgerItems(runtime, customerId)).map((l) => [l.chargeId, l.refundedTotal])).toEqual([
      ['CH-2', 1499],
    ]);
  });

  it('IssueRefund failing after the ledger write: the retry reports the same refund, paid once', async () => {
    // Prepare: the refund is written, then the step "crashes" before answering.
    faults.set(ISSUE_REFUND_ENTRY, { fail: 1, afterRealCall: true });

    // Act
    const { customerId, execution, record } = await refundCase();

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(retriesOf(execution, 'IssueRefund')).toBe(1);
    expect(record).toMatchObject({
      outcome: 'auto_refunded',
      refundedChargeIds: ['CH-2'],
      refundedAmount: 1499,
    });
    const ledger = await ledgerItems(runtime, customerId);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]?.refundedTotal).toBe(1499);
  });

  it('RecordOutcome failing once after writing: one message in the message center, not two', async () => {
    faults.set(RECORD_OUTCOME_ENTRY, { fail: 1, afterRealCall: true });

    const { customerId, caseId, execution, record } = await refundCase();

    expect(execution.status).toBe('SUCCEEDED');
    expect(record).toMatchObject({ status: 'resolved', outcome: 'auto_refunded', refundedAmount: 1499 });
    const messages = await messageCenter(runtime, customerId);
    expect(messages.filter((m) => m.caseId === caseId)).toHaveLength(1);
    expect((await ledgerItems(runtime, customerId)).map((l) => l.refundedTotal)).toEqual([1499]);
  });
});

describe('a step that keeps failing goes to a person, and nothing is refunded', () => {
  it('LoadCustomerAccount always failing → human_handoff system_error, awaiting an agent', async () => {
    // Prepare
    faults.set(LOAD_ACCOUNT_ENTRY, { fail: 'always' });

    // Act
    const { customerId, caseId, execution, record, waitingForAgent } = await refundCase();

    // Assess
    expect(waitingForAgent).toBe(true);
    expect(execution.status).toBe('RUNNING');
    expect(retriesOf(execution, 'LoadCustomerAccount')).toBe(3);
    expect(enteredStates(execution)).toContain('HandoffSystemError');
    expect(enteredStates(execution)).not.toContain('IssueRefund');
    expect(record).toMatchObject({
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'system_error',
      rule: 0,
      handoffQueue: 'billing',
      refundedChargeIds: [],
      refundedAmount: 0,
    });
    expect(record.taskToken).toEqual(expect.any(String));
    expect(await ledgerItems(runtime, customerId)).toEqual([]);
    const callbacks = await queues.forCase(caseId);
    expect(callbacks.map((c) => [c.team, c.request.reason])).toEqual([['billing', 'system_error']]);
  });

  it('IssueRefund always failing → system_error handoff and the ledger is untouched', async () => {
    faults.set(ISSUE_REFUND_ENTRY, { fail: 'always' });

    const { customerId, caseId, execution, record } = await refundCase();

    expect(execution.status).toBe('RUNNING');
    expect(calls.get(ISSUE_REFUND_ENTRY)).toBe(4);
    expect(record).toMatchObject({
      status: 'awaiting_agent',
      outcome: 'human_handoff',
      reason: 'system_error',
      handoffQueue: 'billing',
      refundedAmount: 0,
    });
    expect(timelineSteps(record)).not.toContain('refund_issued');
    expect(await ledgerItems(runtime, customerId)).toEqual([]);
    const messages = await messageCenter(runtime, customerId);
    expect(messages.filter((m) => m.caseId === caseId).map((m) => m.subject)).toEqual([
      'A billing specialist will contact you',
    ]);
  });

  it('the classifier always failing → system_error handoff on the general queue', async () => {
    faults.set(CLASSIFY_ENTRY, { fail: 'always', errorName: 'ModelUnavailableError' });

    const { customerId, caseId, record } = await refundCase();

    expect(record).toMatchObject({
      outcome: 'human_handoff',
      reason: 'system_error',
      handoffQueue: 'general',
      refundedAmount: 0,
    });
    expect(await ledgerItems(runtime, customerId)).toEqual([]);
    expect((await queues.forCase(caseId)).map((c) => c.team)).toEqual(['general']);
  });

  it('an agent can still resolve a system_error case', async () => {
    faults.set(LOAD_ACCOUNT_ENTRY, { fail: 'always' });
    const { execution, record } = await refundCase();
    faults.clear();

    runtime.executor.sendTaskSuccess(record.taskToken ?? '', { decision: 'deny', note: 'checked by hand' });
    await execution.done;

    expect(execution.status).toBe('SUCCEEDED');
  });

  // BUG (refund paid but not shown): when IssueRefund fails part-way (one charge refunded in the
  // ledger, then a persistent fault), the Catch → HandoffSystemError path (lib/constructs/
  // refund-workflow.ts, `refund.addCatch(systemError, ...)` with resultPath $.lastError) keeps the
  // default `$.refund` ({ refundedAmount: 0 }), so the case record and the agent's callback request
  // say nothing was refunded while the ledger paid CH-2.
  it('IssueRefund failing part-way: the handoff shows the refund that was already paid', async () => {
    // Prepare: two billing errors; the first is refunded, then the step keeps failing.
    faults.set(ISSUE_REFUND_ENTRY, { fail: 'always', afterRealCall: true, firstChargeOnly: true });
    const customerId = newCustomerId('partial');
    await seedAccount(
      runtime,
      account(customerId, {
        subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
        charges: [
          subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-02-15T08:00:00Z'),
          subscriptionCharge('CH-3', 'SUB-1', 1499, '2026-03-15T08:00:00Z'),
        ],
      }),
    );

    // Act
    const { caseId, record } = await runCase(runtime, {
      customerId,
      message: 'Subscription refund',
      now: NOW,
    });

    // Assess: money left (the ledger), and the person handling the case must be able to see it.
    expect(record).toMatchObject({ outcome: 'human_handoff', reason: 'system_error' });
    expect((await ledgerItems(runtime, customerId)).map((l) => [l.chargeId, l.refundedTotal])).toEqual([
      ['CH-2', 1499],
    ]);
    const [callback] = await queues.forCase(caseId);
    expect(callback?.request.facts).toMatchObject({
      refund: { refundedChargeIds: ['CH-2'], refundedAmount: 1499 },
    });
    expect(record.refundedAmount).toBe(1499);
  });

  // Regression guard: functions/record-outcome/domain.ts outcomeRecord() used to zero
  // refundedAmount/refundedChargeIds for every outcome but auto_refunded, so this case said 0.
  it('RecordOutcome always failing after a refund: the case record still shows the refund paid', async () => {
    faults.set(RECORD_OUTCOME_ENTRY, { fail: 'always' });

    const { customerId, record } = await refundCase();

    expect(record).toMatchObject({ outcome: 'human_handoff', reason: 'system_error' });
    expect((await ledgerItems(runtime, customerId)).map((l) => l.refundedTotal)).toEqual([1499]);
    expect(record).toMatchObject({ refundedChargeIds: ['CH-2'], refundedAmount: 1499 });
  });

  // BUG (agent resolution erases a refund already paid): functions/record-outcome/handler.ts, mode
  // 'resolved', sets refundedAmount/refundedChargeIds from `agentRefund` only (0 / [] on deny), so a
  // case whose automatic refund was paid before a later step failed ends "resolved, refunded 0".
  it('a refund paid before a system_error handoff still shows after the agent denies', async () => {
    // Prepare: the refund is paid, then recording the decision keeps failing (only that mode).
    faults.set(RECORD_OUTCOME_ENTRY, {
      fail: 'always',
      when: (event) => (event as { mode?: string }).mode === 'decided',
    });
    const { customerId, caseId, execution, record } = await refundCase();
    expect(record).toMatchObject({ reason: 'system_error', refundedAmount: 1499 });

    // Act
    runtime.executor.sendTaskSuccess(record.taskToken ?? '', { decision: 'deny', note: 'nothing more due' });
    await execution.done;

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect((await ledgerItems(runtime, customerId)).map((l) => l.refundedTotal)).toEqual([1499]);
    expect(await readCase(runtime, caseId)).toMatchObject({
      status: 'resolved',
      refundedChargeIds: ['CH-2'],
      refundedAmount: 1499,
    });
  });
});

/**
 * The callback SLA with compressed time: a runtime synthesized with
 * `refundHub:callbackSlaSeconds = 1` and `refundHub:maxEscalations = 1`. An unanswered callback is
 * re-dispatched as urgent, then the case is marked needs_attention and the execution fails with
 * CaseNeedsAttention (the alarm's metric). The real classifier is used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase, runCase, seedAccount } from '../../local/cases.js';
import { TaskTokenError } from '../../local/executor.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  account,
  cancelledSubscription,
  enteredStates,
  FAST_RETRIES,
  ledgerItems,
  messageCenter,
  NOW,
  newCustomerId,
  RUNTIME_HOOK_TIMEOUT,
  subscriptionCharge,
  TeamQueues,
  timelineSteps,
} from './support.js';

let runtime: LocalRuntime;
let queues: TeamQueues;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    context: {
      'refundHub:callbackSlaSeconds': 1,
      'refundHub:maxEscalations': 1,
      // Once an agent has claimed the case (heartbeats), it may keep it this long.
      'refundHub:resolutionTimeoutSeconds': 20,
    },
    retryIntervalOverrides: FAST_RETRIES,
  });
  queues = new TeamQueues(runtime);
}, RUNTIME_HOOK_TIMEOUT);

afterAll(async () => {
  queues?.destroy();
  await runtime?.stop();
});

/** ex-high-value-refund: handed to the billing team with priority high. */
async function highValueHandoff() {
  const customerId = newCustomerId('sla');
  await seedAccount(
    runtime,
    account(customerId, {
      phone: '+12065550103',
      subscriptions: [cancelledSubscription('SUB-3', '2026-01-05T00:00:00Z', { plan: 'business-annual' })],
      charges: [subscriptionCharge('CH-4', 'SUB-3', 69_900, '2026-02-01T00:00:00Z')],
    }),
  );
  const run = await runCase(runtime, {
    customerId,
    message: 'You renewed my business plan after I cancelled it. Refund please.',
    now: NOW,
  });
  expect(run.record).toMatchObject({ outcome: 'human_handoff', reason: 'high_value', priority: 'high' });
  return { customerId, ...run };
}

/** Resolves with the token of the execution's next dispatched callback request. */
function nextWaitingToken(executionName: string): Promise<string> {
  return new Promise((resolve) => {
    const onWaiting = (event: { executionName: string; token: string }) => {
      if (event.executionName !== executionName) return;
      runtime.executor.off('waiting', onWaiting);
      resolve(event.token);
    };
    runtime.executor.on('waiting', onWaiting);
  });
}

describe('callback SLA (1 s) and escalation (max 1)', () => {
  it('no agent answers: re-dispatched as urgent, then needs_attention and the execution fails', async () => {
    // Act
    const { customerId, caseId, execution } = await highValueHandoff();
    await execution.done;

    // Assess: the execution
    expect(execution.status).toBe('FAILED');
    expect(execution.error?.error).toBe('CaseNeedsAttention');
    expect(enteredStates(execution)).toEqual(
      expect.arrayContaining(['CanEscalateCallback', 'EscalateCallback', 'MarkNeedsAttention']),
    );

    // Assess: the agents were asked twice, the second time urgently, on the same team queue
    const callbacks = await queues.forCase(caseId);
    expect(callbacks.map((c) => [c.team, c.attributes.priority, c.request.escalation])).toEqual([
      ['billing', 'high', 0],
      ['billing', 'urgent', 1],
    ]);

    // Assess: the case and the customer
    const record = await readCase(runtime, caseId);
    expect(record).toMatchObject({ status: 'needs_attention', escalations: 1, refundedAmount: 0 });
    expect(record.taskToken).toBeUndefined();
    expect(timelineSteps(record)).toEqual(expect.arrayContaining(['escalated', 'needs_attention']));
    const messages = await messageCenter(runtime, customerId);
    expect(messages.find((m) => m.messageKey === `${caseId}#needs_attention`)).toMatchObject({
      subject: 'We are still on it',
    });
    expect(await ledgerItems(runtime, customerId)).toEqual([]);
  });

  it('an agent answering the escalated request resolves the case; the expired token is refused', async () => {
    // Prepare: wait for the urgent re-dispatch.
    const { caseId, execution, record } = await highValueHandoff();
    const firstToken = record.taskToken ?? '';
    const secondToken = await nextWaitingToken(execution.name);

    // Act + Assess: the first request's token no longer resumes anything.
    expect(() => runtime.executor.sendTaskSuccess(firstToken, { decision: 'deny', note: 'late' })).toThrow(
      TaskTokenError,
    );
    expect((await readCase(runtime, caseId)).taskToken).toBe(secondToken);
    runtime.executor.sendTaskSuccess(secondToken, { decision: 'deny', note: 'reviewed' });
    await execution.done;

    expect(execution.status).toBe('SUCCEEDED');
    expect(await readCase(runtime, caseId)).toMatchObject({ status: 'resolved', escalations: 1 });
  });

  it('an agent who claimed the case (heartbeats) keeps it past the SLA without escalation', async () => {
    // Prepare
    const { caseId, execution, record } = await highValueHandoff();
    const token = record.taskToken ?? '';

    // Act: heartbeat well inside the 1 s SLA for about three SLAs, then resolve.
    for (let beat = 0; beat < 12; beat += 1) {
      runtime.executor.sendTaskHeartbeat(token);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    runtime.executor.sendTaskSuccess(token, { decision: 'deny', note: 'handled on the phone' });
    await execution.done;

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(enteredStates(execution)).not.toContain('EscalateCallback');
    expect(await readCase(runtime, caseId)).toMatchObject({ status: 'resolved', escalations: 0 });
    expect(await queues.forCase(caseId)).toHaveLength(1);
  });
});

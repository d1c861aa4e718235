/**
 * No case stays stuck: the sweeper's real handler on the embedded runtime, against the state a
 * restart of the local runtime leaves (case records on disk, no execution in the in-memory executor)
 * and against an execution that ended with its case still open.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionInput } from '../../functions/intake/domain.js';
import type { CaseRecord } from '../../functions/shared/case-record.js';
import { caseRecordFor, readCase, runCase, seedAccount, settle } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  account,
  cancelledSubscription,
  FAST_RETRIES,
  ISSUE_REFUND_ENTRY,
  ledgerItems,
  messageCenter,
  NOW,
  newCustomerId,
  RUNTIME_HOOK_TIMEOUT,
  subscriptionCharge,
  TeamQueues,
  timelineSteps,
} from './support.js';

const SWEEPER_ENTRY = 'functions/sweeper/handler.ts';
const AGENT = 'arn:aws:iam::000000000000:user/agent-recovery';
/** A wait token of an execution that died with the previous process. */
const DEAD_TOKEN = 'previous-run.RequestHumanCallback.0f6c';

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

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 60_000,
} as Context;

interface SweepResult {
  readonly examined: number;
  readonly started: number;
  readonly markedNeedsAttention: number;
}

/** The sweeper as the schedule invokes it (`{}`), or as the local start-up does (grace period 0). */
const sweep = (event: Record<string, unknown> = {}) =>
  runtime.handler(SWEEPER_ENTRY)(event, context) as Promise<SweepResult>;

async function storeCase(record: CaseRecord) {
  await runtime.documentClient.send(new PutCommand({ TableName: runtime.tables.cases, Item: record }));
}

/** A handed-off case as RequestHuman left it, with the wait token of an execution that is gone. */
async function storeWaitingCase(record: CaseRecord, handoff: { handoffQueue: string; reason: string }) {
  await storeCase({
    ...record,
    status: 'awaiting_agent',
    outcome: 'human_handoff',
    ...handoff,
    taskToken: DEAD_TOKEN,
  } as CaseRecord);
  return { caseId: record.caseId };
}

function agentCall(entry: string, caseId: string, body?: unknown) {
  const event = {
    httpMethod: 'POST',
    headers: {},
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    pathParameters: { caseId },
    requestContext: { identity: { userArn: AGENT } },
  } as unknown as APIGatewayProxyEvent;
  return (runtime.handler(entry)(event, context) as Promise<APIGatewayProxyResult>).then((r) => ({
    status: r.statusCode,
    body: JSON.parse(r.body) as Record<string, unknown>,
  }));
}
const claim = (caseId: string) => agentCall('functions/agent-claim/handler.ts', caseId);

async function refundableCustomer() {
  const customerId = newCustomerId('recovery');
  await seedAccount(
    runtime,
    account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-02-14T10:00:00Z')],
      charges: [
        subscriptionCharge('CH-1', 'SUB-1', 1499, '2026-01-15T08:00:00Z'),
        subscriptionCharge('CH-2', 'SUB-1', 1499, '2026-03-15T08:00:00Z'),
      ],
    }),
  );
  return customerId;
}

describe('a case left received', () => {
  it('is started by the sweeper once the grace period is over, and reaches its outcome', async () => {
    // Prepare: intake stored the case and died before StartExecution.
    const customerId = await refundableCustomer();
    const record = caseRecordFor({ customerId, message: 'Subscription refund', now: NOW });
    await storeCase(record);

    // Act
    const result = await sweep();

    // Assess
    expect(result.started).toBeGreaterThanOrEqual(1);
    const execution = runtime.executor.describe(record.caseId);
    expect(execution?.inputText).toBe(JSON.stringify(executionInput(record)));
    await settle(runtime, execution as NonNullable<typeof execution>);
    const swept = await readCase(runtime, record.caseId);
    expect(swept).toMatchObject({ status: 'resolved', outcome: 'auto_refunded', refundedAmount: 1499 });
    expect(timelineSteps(swept)).toEqual(
      expect.arrayContaining(['received', 'execution_restarted', 'decided']),
    );
  });

  it('is left alone within the grace period (intake may still be starting it)', async () => {
    const customerId = await refundableCustomer();
    const record = caseRecordFor({ customerId, message: 'Subscription refund', now: new Date() });
    await storeCase(record);

    await sweep();

    expect(runtime.executor.describe(record.caseId)).toBeUndefined();
    expect((await readCase(runtime, record.caseId)).status).toBe('received');
  });

  it('whose execution ended without an outcome becomes needs_attention, and the customer is told', async () => {
    // Prepare: the execution was aborted before any step ran.
    const customerId = await refundableCustomer();
    const record = caseRecordFor({ customerId, message: 'Subscription refund', now: NOW });
    await storeCase(record);
    const execution = runtime.executor.start(record.caseId, executionInput(record));
    runtime.executor.stop(record.caseId);
    await execution.done;
    expect(execution.status).toBe('ABORTED');

    // Act
    const result = await sweep();

    // Assess
    expect(result.markedNeedsAttention).toBeGreaterThanOrEqual(1);
    const swept = await readCase(runtime, record.caseId);
    expect(swept.status).toBe('needs_attention');
    expect(swept.timeline.at(-1)).toMatchObject({
      step: 'needs_attention',
      detail: expect.stringContaining('ABORTED'),
    });
    const messages = await messageCenter(runtime, customerId);
    expect(messages.filter((m) => m.caseId === record.caseId).map((m) => m.messageKey)).toEqual([
      `${record.caseId}#needs_attention`,
    ]);
  });
});

describe('a retried case whose refund was already paid', () => {
  it('reports the refund it made (auto_refunded with the amount), and the charge is refunded once', async () => {
    // Prepare: the refund step paid, then the runtime died before the outcome was recorded.
    const customerId = await refundableCustomer();
    const record = caseRecordFor({ customerId, message: 'Subscription refund', now: NOW });
    await storeCase(record);
    await runtime.handler(ISSUE_REFUND_ENTRY)(
      { caseId: record.caseId, customerId, source: 'auto', charges: [{ chargeId: 'CH-2', amount: 1499 }] },
      context,
    );
    expect((await ledgerItems(runtime, customerId)).map((l) => l.refundedTotal)).toEqual([1499]);

    // Act: after the restart, the sweeper runs the case again.
    await sweep({ gracePeriodSeconds: 0 });
    const rerun = runtime.executor.describe(record.caseId);
    await settle(runtime, rerun as NonNullable<typeof rerun>);

    // Assess
    const finished = await readCase(runtime, record.caseId);
    expect(finished).toMatchObject({
      status: 'resolved',
      outcome: 'auto_refunded',
      reason: 'billing_error',
      refundedAmount: 1499,
      refundedChargeIds: ['CH-2'],
    });
    const ledger = await ledgerItems(runtime, customerId);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      chargeId: 'CH-2',
      refundedTotal: 1499,
      autoRefundCaseId: record.caseId,
    });
    const [message] = (await messageCenter(runtime, customerId)).filter((m) => m.caseId === record.caseId);
    expect(message?.body).toContain('refunded $14.99');
  });
});

describe('a case that was waiting for an agent', () => {
  it('is dispatched again with a fresh token after its execution was lost, and the agent can claim and resolve it', async () => {
    // Prepare: the case as the previous process left it, waiting on an execution that died with it.
    const customerId = newCustomerId('security');
    await seedAccount(runtime, account(customerId, { phone: '+12065550101' }));
    const run = await storeWaitingCase(
      caseRecordFor({ customerId, message: 'Someone hacked my account', now: NOW }),
      { handoffQueue: 'security', reason: 'account_security' },
    );
    expect((await claim(run.caseId)).status).toBe(409);

    // Act
    await sweep({ gracePeriodSeconds: 0 });

    // Assess
    await expect.poll(async () => (await queues.forCase(run.caseId)).length).toBe(1);
    const record = await readCase(runtime, run.caseId);
    expect(record.status).toBe('awaiting_agent');
    expect(record.taskToken).toEqual(expect.stringContaining(run.caseId));
    expect(record.taskToken).not.toBe(DEAD_TOKEN);
    expect(timelineSteps(record)).toEqual(
      expect.arrayContaining(['execution_restarted', 'callback_dispatched']),
    );
    expect((await queues.forCase(run.caseId)).map((c) => c.team)).toEqual(['security']);
    expect(await claim(run.caseId)).toMatchObject({ status: 200 });
    const resolution = await agentCall('functions/agent-resolution/handler.ts', run.caseId, {
      decision: 'deny',
      note: 'Verified the sign-in; nothing to refund.',
      customerMessage: 'We checked the sign-in to your account: there is nothing to refund.',
    });
    expect(resolution.status).toBe(202);
    await expect.poll(async () => (await readCase(runtime, run.caseId)).status).toBe('resolved');
  });

  it("its callback follow-up is started again with the customer's number (the execution recorded on the case)", async () => {
    // Prepare: an answered case, then the customer's "Call Me Now" (the follow-up recorded on the case).
    const customerId = newCustomerId('callback');
    await seedAccount(
      runtime,
      account(customerId, {
        subscriptions: [cancelledSubscription('SUB-1', '2026-03-18T10:00:00Z')],
        charges: [subscriptionCharge('CH-1', 'SUB-1', 1499, '2026-03-15T08:00:00Z')],
      }),
    );
    const run = await runCase(runtime, { customerId, message: 'Please refund my last payment', now: NOW });
    expect(run.record.status).toBe('resolved');
    const callbackEvent = {
      httpMethod: 'POST',
      headers: {},
      body: JSON.stringify({ phoneNumber: '+12065550199' }),
      pathParameters: { caseId: run.caseId },
      requestContext: { authorizer: { claims: { sub: customerId } }, identity: {} },
    } as unknown as APIGatewayProxyEvent;
    const asked = (await runtime.handler('functions/customer-callback/handler.ts')(
      callbackEvent,
      context,
    )) as APIGatewayProxyResult;
    expect(asked.statusCode).toBe(202);
    await expect.poll(async () => (await readCase(runtime, run.caseId)).status).toBe('awaiting_agent');
    const waiting = await readCase(runtime, run.caseId);
    expect(waiting.followUp).toMatchObject({
      executionName: `${run.caseId}-callback`,
      callbackPhone: '+12065550199',
    });
    expect(await queues.forCase(run.caseId)).toHaveLength(1);
    // The same case after a restart: on disk as it was, its follow-up execution unknown to the executor.
    const { caseId: _firstId, ...rest } = waiting;
    // Another case of our id shape (the API answers any other id with a 404).
    const restarted = `case-${randomUUID().replaceAll('-', '')}`;
    runtime.executor.stop(`${run.caseId}-callback`);
    await storeCase({
      ...rest,
      caseId: restarted,
      followUp: {
        ...(waiting.followUp as NonNullable<CaseRecord['followUp']>),
        executionName: `${restarted}-callback`,
      },
      taskToken: DEAD_TOKEN,
    });

    // Act
    await sweep({ gracePeriodSeconds: 0 });

    // Assess
    await expect.poll(async () => (await queues.forCase(restarted)).length).toBe(1);
    const again = runtime.executor.describe(`${restarted}-callback`);
    expect(again?.status).toBe('RUNNING');
    expect(JSON.parse(again?.inputText ?? '{}')).toMatchObject({
      callbackPhone: '+12065550199',
      followUp: { kind: 'callback' },
    });
    const [redispatched] = await queues.forCase(restarted);
    expect(redispatched).toMatchObject({
      team: 'billing',
      request: { reason: 'customer_request', phoneNumber: '+12065550199' },
    });
    expect(await claim(restarted)).toMatchObject({ status: 200 });
    runtime.executor.stop(`${restarted}-callback`);
  });

  it('is left alone while its execution is running', async () => {
    const customerId = newCustomerId('waiting');
    await seedAccount(runtime, account(customerId));
    const run = await runCase(runtime, { customerId, message: 'Someone hacked my account', now: NOW });

    await sweep({ gracePeriodSeconds: 0 });

    const record = await readCase(runtime, run.caseId);
    expect(record.taskToken).toBe(run.record.taskToken);
    expect(timelineSteps(record)).not.toContain('execution_restarted');
    expect(await claim(run.caseId)).toMatchObject({ status: 200 });
    runtime.executor.stop(run.execution.name);
  });
});

/**
 * "If the AI says no, a person can still help": the customer-side endpoints of the human handoff,
 * called as API Gateway would call them, against the embedded runtime running the real definition.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCase, runCase, seedAccount } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  account,
  cancelledSubscription,
  FAST_RETRIES,
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
  getRemainingTimeInMillis: () => 10_000,
} as Context;

function apiCall(
  entry: string,
  options: {
    customerId?: string;
    agent?: string;
    caseId?: string;
    body?: unknown;
    query?: Record<string, string>;
  },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const event = {
    httpMethod: 'POST',
    path: '/v1/test',
    headers: {},
    body: options.body === undefined ? null : JSON.stringify(options.body),
    isBase64Encoded: false,
    pathParameters: options.caseId ? { caseId: options.caseId } : null,
    queryStringParameters: options.query ?? null,
    requestContext: {
      authorizer: options.customerId ? { claims: { sub: options.customerId } } : null,
      identity: options.agent ? { userArn: options.agent } : {},
    },
  } as unknown as APIGatewayProxyEvent;
  return (runtime.handler(entry)(event, context) as Promise<APIGatewayProxyResult>).then((r) => ({
    status: r.statusCode,
    body: JSON.parse(r.body) as Record<string, unknown>,
  }));
}

/** A case the assistant answered with no_refund_due: the charge came before the cancellation. */
async function answeredCase() {
  const customerId = newCustomerId('callback');
  await seedAccount(
    runtime,
    account(customerId, {
      subscriptions: [cancelledSubscription('SUB-1', '2026-03-18T10:00:00Z')],
      charges: [subscriptionCharge('CH-1', 'SUB-1', 1499, '2026-03-15T08:00:00Z')],
    }),
  );
  const run = await runCase(runtime, {
    customerId,
    message: 'I cancelled Prime, please refund my last payment',
    now: NOW,
  });
  return { customerId, run };
}

describe('customer callback on an answered case', () => {
  it('hands the answered case to the billing team and waits for an agent', async () => {
    // Prepare
    const { customerId, run } = await answeredCase();
    expect(run.record).toMatchObject({ outcome: 'no_refund_due', callbackOffered: true, status: 'resolved' });

    // Act
    const response = await apiCall('functions/customer-callback/handler.ts', {
      customerId,
      caseId: run.caseId,
      body: { phoneNumber: '+12065550199' },
    });

    // Assess
    expect(response).toEqual({ status: 202, body: { caseId: run.caseId, status: 'callback_requested' } });
    const followUp = runtime.executor.describe(`${run.caseId}-callback`);
    expect(followUp?.status).toBe('RUNNING');
    await expect.poll(async () => (await readCase(runtime, run.caseId)).status).toBe('awaiting_agent');
    const record = await readCase(runtime, run.caseId);
    // The follow-up's handoff is its own; the case keeps the outcome the assistant answered with.
    expect(record).toMatchObject({ outcome: 'no_refund_due', reason: 'no_billing_error' });
    expect(record.callback).toMatchObject({
      outcome: 'human_handoff',
      reason: 'customer_request',
      rule: 2,
      queue: 'billing',
      contact: 'call',
    });
    expect(timelineSteps(record)).toEqual(
      expect.arrayContaining(['callback_requested', 'callback_decided', 'callback_dispatched']),
    );
    const [dispatched] = await queues.forCase(run.caseId);
    expect(dispatched).toMatchObject({
      team: 'billing',
      request: { contact: 'call', phoneNumber: '+12065550199' },
    });
    runtime.executor.stop(`${run.caseId}-callback`);
  });

  it('asks for one callback: a retried request starts nothing new, a different one is a 409', async () => {
    // Prepare
    const { customerId, run } = await answeredCase();
    const ask = (phoneNumber: string) =>
      apiCall('functions/customer-callback/handler.ts', {
        customerId,
        caseId: run.caseId,
        body: { phoneNumber },
      });
    expect((await ask('+12065550199')).status).toBe(202);
    await expect.poll(async () => (await readCase(runtime, run.caseId)).status).toBe('awaiting_agent');

    // Act: the same request again once a person has the case (a late client retry), then a different number.
    const retried = await ask('+12065550199');
    const different = await ask('+12065550100');

    // Assess
    expect(retried.status).toBe(202);
    expect(different).toMatchObject({
      status: 409,
      body: { error: { code: 'callback_already_requested' } },
    });
    expect((await readCase(runtime, run.caseId)).status).toBe('awaiting_agent');
    expect(await queues.forCase(run.caseId)).toHaveLength(1);
    runtime.executor.stop(`${run.caseId}-callback`);
  });

  it("refuses another customer's case (404) and a phone number that is not E.164 (400)", async () => {
    const { customerId, run } = await answeredCase();

    const foreign = await apiCall('functions/customer-callback/handler.ts', {
      customerId: 'someone-else',
      caseId: run.caseId,
      body: { phoneNumber: '+12065550199' },
    });
    const badPhone = await apiCall('functions/customer-callback/handler.ts', {
      customerId,
      caseId: run.caseId,
      body: { phoneNumber: '206-555-0199' },
    });

    expect(foreign.status).toBe(404);
    expect(badPhone).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(runtime.executor.describe(`${run.caseId}-callback`)).toBeUndefined();
  });

  it('is not offered on a case a person already has (409)', async () => {
    const customerId = newCustomerId('security');
    await seedAccount(runtime, account(customerId));
    const run = await runCase(runtime, { customerId, message: 'Someone hacked my account', now: NOW });
    expect(run.record.status).toBe('awaiting_agent');

    const response = await apiCall('functions/customer-callback/handler.ts', {
      customerId,
      caseId: run.caseId,
      body: { phoneNumber: '+12065550199' },
    });

    expect(response).toMatchObject({ status: 409, body: { error: { code: 'callback_not_available' } } });
    runtime.executor.stop(run.execution.name);
  });
});

describe('the receipt of an answered case survives its callback follow-up', () => {
  it('keeps the receipt, outcome and facts of the decision that answered it, through the agent resolution', async () => {
    // Prepare: the assistant answered no_refund_due after comparing a real charge.
    const { customerId, run } = await answeredCase();
    const answered = await readCase(runtime, run.caseId);
    expect(answered.receipt?.facts.billing).toMatchObject({ noRefundReason: 'no_billing_error' });

    // Act: the customer asks for a callback; an agent resolves the follow-up.
    const response = await apiCall('functions/customer-callback/handler.ts', {
      customerId,
      caseId: run.caseId,
      body: { phoneNumber: '+12065550199' },
    });
    await expect.poll(async () => (await readCase(runtime, run.caseId)).status).toBe('awaiting_agent');
    const waiting = await readCase(runtime, run.caseId);
    const resolved = await apiCall('functions/agent-resolution/handler.ts', {
      agent: 'arn:aws:iam::1:user/ann',
      caseId: run.caseId,
      body: {
        decision: 'deny',
        note: 'explained the charge came before the cancellation',
        customerMessage: 'Your charge came before the cancellation, so it is not refundable.',
      },
    });
    await runtime.executor.describe(`${run.caseId}-callback`)?.done;
    const final = await readCase(runtime, run.caseId);

    // Assess: one receipt, the answering decision's, before and after the follow-up.
    expect(response.status).toBe(202);
    expect(resolved.status).toBe(202);
    for (const record of [waiting, final]) {
      expect(record.receipt).toEqual(answered.receipt);
      expect(record).toMatchObject({
        outcome: 'no_refund_due',
        reason: 'no_billing_error',
        rule: 3,
        classification: answered.classification,
      });
    }
    expect(final.status).toBe('resolved');
    expect(final.callback).toMatchObject({ reason: 'customer_request', queue: 'billing' });
    expect(final.resolution).toMatchObject({ decision: 'deny' });
    // The follow-up's own steps are on the timeline, after the answer's.
    const steps = timelineSteps(final);
    expect(steps.indexOf('callback_requested')).toBeGreaterThan(steps.indexOf('customer_notified'));
    expect(steps.slice(steps.indexOf('callback_requested'))).toEqual(
      expect.arrayContaining(['callback_decided', 'callback_dispatched', 'agent_resolved']),
    );
    expect(steps.filter((s) => s === 'decided')).toHaveLength(1);
  });
});

describe('the case timeline', () => {
  it('a callback raced 20 times leaves one callback_requested entry, and the timeline is in time order', async () => {
    // Prepare
    const { customerId, run } = await answeredCase();

    // Act: 20 concurrent requests for the same callback.
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        apiCall('functions/customer-callback/handler.ts', {
          customerId,
          caseId: run.caseId,
          body: { phoneNumber: '+12065550199' },
        }),
      ),
    );
    await expect.poll(async () => (await readCase(runtime, run.caseId)).status).toBe('awaiting_agent');
    const record = await readCase(runtime, run.caseId);

    // Assess
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(timelineSteps(record).filter((s) => s === 'callback_requested')).toHaveLength(1);
    const instants = record.timeline.map((e) => Date.parse(e.at));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(timelineSteps(record).indexOf('callback_requested')).toBeLessThan(
      timelineSteps(record).indexOf('callback_dispatched'),
    );
    expect(await queues.forCase(run.caseId)).toHaveLength(1);
    runtime.executor.stop(`${run.caseId}-callback`);
  });
});

describe('message center', () => {
  it('lists the customer\u2019s messages newest first, a page at a time', async () => {
    // Prepare: two cases for one customer, each leaves a message.
    const { customerId } = await answeredCase();
    await runCase(runtime, { customerId, message: 'how do I return a jacket that is too small', now: NOW });

    // Act
    const first = await apiCall('functions/list-messages/handler.ts', { customerId, query: { limit: '1' } });
    const second = await apiCall('functions/list-messages/handler.ts', {
      customerId,
      query: { limit: '1', nextToken: String(first.body.nextToken) },
    });

    // Assess
    const [newest] = first.body.messages as { subject: string; sentAt: string }[];
    const [older] = second.body.messages as { subject: string; sentAt: string }[];
    expect(newest?.subject).toMatch(/return/i);
    expect(older?.subject).toBe('About your refund request');
    expect(Date.parse(newest?.sentAt ?? '') >= Date.parse(older?.sentAt ?? '')).toBe(true);
  });

  it('never pages into another customer\u2019s messages', async () => {
    const { customerId } = await answeredCase();
    const page = await apiCall('functions/list-messages/handler.ts', { customerId, query: { limit: '1' } });
    const other = await apiCall('functions/list-messages/handler.ts', { customerId: 'C-other' });
    expect(other.body.messages).toEqual([]);

    const stolenCursor = await apiCall('functions/list-messages/handler.ts', {
      customerId: 'C-other',
      query: {
        nextToken: Buffer.from(JSON.stringify({ customerId, messageKey: 'x', sentAt: 'y' })).toString(
          'base64url',
        ),
      },
    });

    expect(page.status).toBe(200);
    expect(stolenCursor).toMatchObject({ status: 400, body: { error: { code: 'invalid_cursor' } } });
  });
});

describe('agent claim', () => {
  it('records who picked up the callback; a case that is not waiting is a 409', async () => {
    const customerId = newCustomerId('claim');
    await seedAccount(runtime, account(customerId));
    const run = await runCase(runtime, { customerId, message: 'Talk to a representative', now: NOW });

    const claimed = await apiCall('functions/agent-claim/handler.ts', {
      agent: 'arn:aws:iam::1:user/ann',
      caseId: run.caseId,
    });
    runtime.executor.stop(run.execution.name);
    const answered = await answeredCase();
    const notWaiting = await apiCall('functions/agent-claim/handler.ts', {
      agent: 'arn:aws:iam::1:user/ann',
      caseId: answered.run.caseId,
    });

    expect(claimed).toMatchObject({ status: 200, body: { claimedBy: 'arn:aws:iam::1:user/ann' } });
    expect(timelineSteps(await readCase(runtime, run.caseId))).toContain('agent_claimed');
    expect(notWaiting).toMatchObject({ status: 409, body: { error: { code: 'case_not_waiting' } } });
  });
});

/**
 * Issue #18 end to end on the embedded runtime: the estimated callback wait comes from the queue's record of recent
 * claims, which AgentClaim (its real handler) writes, so a claimed and then resolved case, gone from the agents'
 * index, still counts. The workflow is the synthesized definition with its real handlers; the classifier is stubbed.
 * The clock (Date only; timers stay real) is set per step, so each claim waits a known 4 minutes after its dispatch.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import { readCase, runCase, seedAccount } from '../../local/cases.js';
import { apiEvent, lambdaContext } from '../unit/lambda-fixtures.js';
import {
  account,
  cancelledSubscription,
  messageCenter,
  newCustomerId,
  subscriptionCharge,
  workflowRuntime,
} from './support.js';

const wf = workflowRuntime();
const { classifier } = wf;

afterEach(() => {
  vi.useRealTimers();
});

/** An agent's call, as API Gateway hands it over after SigV4 (the signer's ARN in the identity). */
async function asAgent(caseId: string, route: 'claim' | 'resolution', body?: unknown) {
  const event = {
    ...apiEvent({ body, customerId: null, pathParameters: { caseId } }),
    path: `/v1/agent/cases/${caseId}/${route}`,
    resource: `/v1/agent/cases/{caseId}/${route}`,
  };
  const signed = {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: { ...event.requestContext.identity, userArn: 'arn:aws:iam::000000000000:user/ann' },
    },
  } as APIGatewayProxyEvent;
  const response = (await wf.runtime.handler(`functions/agent-${route}/handler.ts`)(
    signed,
    lambdaContext(`agent-${route}`),
  )) as { statusCode: number; body: string };
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

/** A 69900 renewal after cancellation: handed to the billing queue. */
function renewal(customerId: string): CustomerAccount {
  return account(customerId, {
    phone: '+12065550103',
    subscriptions: [cancelledSubscription('SUB-3', '2026-01-05T00:00:00Z', { plan: 'business-annual' })],
    charges: [subscriptionCharge('CH-4', 'SUB-3', 69_900, '2026-02-01T00:00:00Z')],
  });
}

async function billingHandoff(now: Date) {
  const customerId = newCustomerId('wait');
  await seedAccount(wf.runtime, renewal(customerId));
  classifier.classifyAs({ intent: 'billing_refund', confidence: 0.98 });
  const run = await runCase(wf.runtime, { customerId, message: 'I was charged after I cancelled', now });
  expect(run.waitingForAgent).toBe(true);
  expect(run.record).toMatchObject({ status: 'awaiting_agent', agentQueue: 'billing' });
  return { customerId, run };
}

async function handoffMessage(customerId: string, caseId: string) {
  return (await messageCenter(wf.runtime, customerId)).find(
    (m) => m.caseId === caseId && m.subject.includes('billing'),
  );
}

const minutes = (n: number) => n * 60_000;

describe('estimated callback wait from the queue record of recent claims', () => {
  it('claimed then resolved cases still count: the next handoff is told their median wait, not the default', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.parse('2026-03-20T12:00:00Z');

    // Three cases of the billing queue, each claimed 4 minutes after its dispatch and then resolved (off the index).
    const estimates: number[] = [];
    for (const i of [0, 1, 2]) {
      vi.setSystemTime(start + minutes(10 * i));
      const { run } = await billingHandoff(new Date(start + minutes(10 * i)));
      estimates.push(Number(run.record.estimatedWaitMinutes));
      vi.setSystemTime(start + minutes(10 * i + 4));
      expect(await asAgent(run.caseId, 'claim')).toMatchObject({ status: 200, body: { status: 'claimed' } });
      const resolved = await asAgent(run.caseId, 'resolution', {
        decision: 'deny',
        note: 'renewal was used',
        customerMessage: 'The renewal was used after the cancellation, so it stays charged.',
      });
      expect(resolved.status).toBe(202);
      await run.execution.done;
      expect((await readCase(wf.runtime, run.caseId))?.status).toBe('resolved');
    }
    // With fewer than 3 claims in the last 24 hours, the configured 5 minutes.
    expect(estimates).toEqual([5, 5, 5]);

    // The queue's record holds the three claims, latest first, though none of their cases is on the index any more.
    const stored = await wf.runtime.documentClient.send(
      new GetCommand({
        TableName: wf.runtime.tables.cases,
        Key: { caseId: 'QUEUE#billing' },
        ConsistentRead: true,
      }),
    );
    expect(stored.Item).toMatchObject({ version: 3 });
    expect(((stored.Item?.claims ?? []) as { claimedAt: string }[]).map((c) => c.claimedAt)).toEqual([
      new Date(start + minutes(24)).toISOString(),
      new Date(start + minutes(14)).toISOString(),
      new Date(start + minutes(4)).toISOString(),
    ]);

    // Act: a new handoff in the same queue, with nothing waiting ahead of it.
    vi.setSystemTime(start + minutes(40));
    const { customerId, run } = await billingHandoff(new Date(start + minutes(40)));

    // Assess: the median dispatch-to-claim time, 4 minutes, on the case, in the dispatch and in the customer's message.
    expect(run.record.estimatedWaitMinutes).toBe(4);
    vi.useRealTimers();
    const [dispatched] = await wf.queues.forCase(run.caseId);
    expect(dispatched).toMatchObject({ team: 'billing', request: { estimatedWaitMinutes: 4 } });
    expect((await handoffMessage(customerId, run.caseId))?.body).toMatch(/ in about 4 minutes\.$/);
  });
});

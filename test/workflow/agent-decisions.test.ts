/**
 * POLICY.md v2 "Agent resolutions" end to end on the embedded runtime: the agent endpoints (claim, resolution,
 * approvals) are their real handlers against the running workflow; the classifier is stubbed.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { Classification } from '../../functions/shared/types.js';
import { readCase, runCase, seedAccount } from '../../local/cases.js';
import { apiEvent, lambdaContext } from '../unit/lambda-fixtures.js';
import {
  account,
  cancelledSubscription,
  ledgerItem,
  messageCenter,
  NOW,
  newCustomerId,
  order,
  subscriptionCharge,
  timelineSteps,
  workflowRuntime,
} from './support.js';

const wf = workflowRuntime();
const { classifier } = wf;

type Answer = {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
};

/** An agent's call, as API Gateway hands it over after SigV4 (the signer's ARN in the identity). */
async function asAgent(
  agent: string,
  caseId: string,
  route: 'claim' | 'resolution' | 'approvals',
  body?: unknown,
) {
  const event = {
    ...apiEvent({ body, customerId: null, pathParameters: { caseId } }),
    path: `/v1/agent/cases/${caseId}/${route}`,
    resource: `/v1/agent/cases/{caseId}/${route}`,
  };
  const withIdentity = {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: { ...event.requestContext.identity, userArn: `arn:aws:iam::000000000000:user/${agent}` },
    },
  } as APIGatewayProxyEvent;
  const entry = `functions/agent-${route === 'resolution' ? 'resolution' : route === 'claim' ? 'claim' : 'approvals'}/handler.ts`;
  const response = (await wf.runtime.handler(entry)(withIdentity, lambdaContext(`agent-${route}`))) as {
    statusCode: number;
    body: string;
  };
  return { status: response.statusCode, body: JSON.parse(response.body) } as Answer;
}

const arn = (agent: string) => `arn:aws:iam::000000000000:user/${agent}`;

async function handoff(customer: CustomerAccount, classification: Partial<Classification>, orderId?: string) {
  await seedAccount(wf.runtime, customer);
  classifier.classifyAs(classification);
  const run = await runCase(wf.runtime, {
    customerId: customer.profile.id,
    message: 'a customer message (the classifier is stubbed)',
    now: NOW,
    ...(orderId ? { orderId } : {}),
  });
  expect(run.waitingForAgent).toBe(true);
  return run;
}

/** A lost $1,299 laptop, paid by its own charge; the customer's newest charge is a legitimate subscription. */
function lostLaptop(customerId: string): CustomerAccount {
  return account(customerId, {
    phone: '+12065550104',
    orders: [order('O-LAPTOP', 129_900, { status: 'lost' })],
    charges: [
      {
        id: 'CH-LAPTOP',
        orderId: 'O-LAPTOP',
        amount: 129_900,
        currency: 'USD',
        chargedAt: '2026-03-15T10:00:00Z',
      },
      subscriptionCharge('CH-NEWEST', 'SUB-1', 1499, '2026-03-18T08:00:00Z'),
    ],
  });
}

/** A 150000 renewal after cancellation (rule: high value, billing): over the dual-approval threshold. */
function bigRenewal(customerId: string): CustomerAccount {
  return account(customerId, {
    phone: '+12065550105',
    subscriptions: [cancelledSubscription('SUB-9', '2026-01-05T00:00:00Z', { plan: 'business-annual' })],
    charges: [subscriptionCharge('CH-BIG', 'SUB-9', 150_000, '2026-02-01T00:00:00Z')],
  });
}

/** A 69900 renewal after cancellation: under the threshold, handed to billing. */
function renewal(customerId: string): CustomerAccount {
  return account(customerId, {
    phone: '+12065550103',
    subscriptions: [cancelledSubscription('SUB-3', '2026-01-05T00:00:00Z', { plan: 'business-annual' })],
    charges: [subscriptionCharge('CH-4', 'SUB-3', 69_900, '2026-02-01T00:00:00Z')],
  });
}

const billing: Partial<Classification> = { intent: 'billing_refund', confidence: 0.98 };
const tracking: Partial<Classification> = { intent: 'order_tracking', confidence: 0.98 };

const resolutionMessageOf = async (customerId: string, caseId: string) =>
  (await messageCenter(wf.runtime, customerId)).find((m) => m.messageKey === `${caseId}#resolution`);

/** The customer's own view of the case (GET /v1/support-requests/{caseId}), through its real handler. */
async function customerView(customerId: string, caseId: string) {
  const event = apiEvent({ method: 'GET', customerId, pathParameters: { caseId } });
  const response = (await wf.runtime.handler('functions/get-case/handler.ts')(
    event,
    lambdaContext('get-case'),
  )) as {
    statusCode: number;
    body: string;
  };
  expect(response.statusCode).toBe(200);
  return response.body;
}

describe('approve_refund of an order charge (the lost laptop) with dual approval', () => {
  it("refunds the order's charge once a second agent confirms; never the newest charge; the first agent cannot confirm", async () => {
    // Prepare
    const customerId = newCustomerId('laptop');
    const run = await handoff(lostLaptop(customerId), tracking);

    // Act: agent-1 approves without naming charges (the case's order charge is the default).
    const decided = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'approve_refund',
      note: 'carrier confirmed lost, INTERNAL-7781',
    });
    const waiting = await readCase(wf.runtime, run.caseId);
    const self = await asAgent('agent-1', run.caseId, 'approvals', {});
    const confirmed = await asAgent('agent-2', run.caseId, 'approvals', {
      note: 'checked the carrier claim',
    });
    await run.execution.done;

    // Assess: nothing moved before the second agent, then exactly the order's charge.
    expect(decided).toMatchObject({
      status: 202,
      body: {
        status: 'awaiting_second_approval',
        amount: 129_900,
        charges: [{ chargeId: 'CH-LAPTOP', amount: 129_900 }],
      },
    });
    expect(waiting).toMatchObject({
      status: 'awaiting_second_approval',
      pendingApproval: { agentId: arn('agent-1'), taskToken: run.record.taskToken },
    });
    expect(timelineSteps(waiting)).toContain('awaiting_second_approval');
    expect(self).toMatchObject({ status: 409, body: { error: { code: 'same_agent' } } });
    expect(confirmed).toMatchObject({
      status: 202,
      body: { status: 'resolving', approvedBy: arn('agent-2') },
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect((await ledgerItem(wf.runtime, customerId, 'CH-LAPTOP'))?.refundedTotal).toBe(129_900);
    expect(await ledgerItem(wf.runtime, customerId, 'CH-NEWEST')).toBeUndefined();
    const record = await readCase(wf.runtime, run.caseId);
    expect(record).toMatchObject({
      status: 'resolved',
      refundedChargeIds: ['CH-LAPTOP'],
      refundedAmount: 129_900,
      resolution: expect.objectContaining({
        decision: 'approve_refund',
        decidedBy: arn('agent-1'),
        approvedBy: arn('agent-2'),
        note: 'carrier confirmed lost, INTERNAL-7781',
      }),
    });
    // The customer is told the amount and the charge's date, never its id or the note.
    const message = await resolutionMessageOf(customerId, run.caseId);
    expect(message?.body).toContain('$1,299.00 for your charge of Mar 15, 2026');
    expect(message?.body).not.toContain('CH-LAPTOP');
    expect(message?.body).not.toContain('INTERNAL-7781');
    expect(await customerView(customerId, run.caseId)).not.toContain('INTERNAL-7781');
  });

  it('several second agents confirming at once: exactly one moves the money, the others get a 409', async () => {
    // Prepare
    const customerId = newCustomerId('dual-race');
    const run = await handoff(bigRenewal(customerId), billing);
    const decided = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-BIG', amount: 150_000 }],
      note: 'renewed after cancellation',
    });
    expect(decided.body.status).toBe('awaiting_second_approval');

    // Act
    const answers = await Promise.all(
      ['agent-2', 'agent-3', 'agent-4', 'agent-5'].map((agent) =>
        asAgent(agent, run.caseId, 'approvals', {}),
      ),
    );
    await run.execution.done;

    // Assess
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    for (const refused of answers.filter((a) => a.status !== 202)) {
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'already_resolved' } } });
    }
    expect(run.execution.status).toBe('SUCCEEDED');
    const ledger = await ledgerItem(wf.runtime, customerId, 'CH-BIG');
    expect(ledger?.refundedTotal).toBe(150_000);
    expect(Object.keys(ledger ?? {}).filter((k) => k.startsWith('case:'))).toEqual([`case:${run.caseId}`]);
    const winner = answers.find((a) => a.status === 202)?.body.approvedBy;
    expect((await readCase(wf.runtime, run.caseId)).resolution).toMatchObject({ approvedBy: winner });
  });

  it('a case re-dispatched after the first decision refuses the stale approval; a new decision resolves it', async () => {
    // Prepare: agent-1 decides over the threshold, then the wait ends (the agent desk reports a failure).
    const customerId = newCustomerId('dual-stale');
    const run = await handoff(bigRenewal(customerId), billing);
    const firstToken = run.record.taskToken ?? '';
    await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-BIG', amount: 150_000 }],
      note: 'renewed after cancellation',
    });
    const redispatched = new Promise<void>((resolve) => {
      const onWaiting = (event: { executionName: string }) => {
        if (event.executionName !== run.execution.name) return;
        wf.runtime.executor.off('waiting', onWaiting);
        resolve();
      };
      wf.runtime.executor.on('waiting', onWaiting);
    });
    wf.runtime.executor.sendTaskFailure(firstToken, 'AgentUnavailable', 'desk closed');
    await redispatched;
    // request-human writes the new token right after the event; wait for it on the case.
    let record = await readCase(wf.runtime, run.caseId);
    for (let i = 0; i < 50 && record.taskToken === firstToken; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      record = await readCase(wf.runtime, run.caseId);
    }
    expect(record.taskToken).not.toBe(firstToken);

    // Act
    const stale = await asAgent('agent-2', run.caseId, 'approvals', {});
    const denied = await asAgent('agent-2', run.caseId, 'resolution', {
      decision: 'deny',
      note: 'customer withdrew',
      customerMessage: 'As agreed on the phone, we are not refunding this renewal.',
    });
    await run.execution.done;

    // Assess
    expect(stale.status).toBe(409);
    expect(['not_awaiting_approval', 'approval_stale']).toContain(stale.body.error?.code);
    expect(denied.status).toBe(202);
    expect(await ledgerItem(wf.runtime, customerId, 'CH-BIG')).toBeUndefined();
    expect(await readCase(wf.runtime, run.caseId)).toMatchObject({
      status: 'resolved',
      resolution: { decision: 'deny' },
    });
  });
});

describe('decisions without dual approval', () => {
  it('approve_refund of named charges: a partial refund of one charge resolves the case with what was approved', async () => {
    const customerId = newCustomerId('partial');
    const run = await handoff(renewal(customerId), billing);

    const over = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-4', amount: 70_000 }],
      note: 'x',
    });
    const notMine = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-SOMEONE', amount: 100 }],
      note: 'x',
    });
    const partial = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-4', amount: 20_000 }],
      note: 'half the year used',
      customerMessage: 'We refunded the unused part of the year.',
    });
    await run.execution.done;

    expect(over).toMatchObject({
      status: 422,
      body: { error: { code: 'amount_exceeds_remainder', message: expect.stringContaining('CH-4') } },
    });
    expect(notMine).toMatchObject({ status: 422, body: { error: { code: 'not_this_customers_charge' } } });
    expect(partial).toMatchObject({ status: 202, body: { status: 'resolving', amount: 20_000 } });
    expect((await ledgerItem(wf.runtime, customerId, 'CH-4'))?.refundedTotal).toBe(20_000);
    expect(await readCase(wf.runtime, run.caseId)).toMatchObject({
      status: 'resolved',
      refundedAmount: 20_000,
    });
    const message = await resolutionMessageOf(customerId, run.caseId);
    expect(message?.body).toContain('$200.00 for your charge of Feb 1, 2026');
    expect(message?.body).toContain('We refunded the unused part of the year.');
  });

  it('resolve: no money; the customer gets the agent message, never the internal note (message center and case view)', async () => {
    const customerId = newCustomerId('resolve');
    const run = await handoff(renewal(customerId), billing);

    const missing = await asAgent('agent-1', run.caseId, 'resolution', { decision: 'resolve', note: 'x' });
    const resolved = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'resolve',
      note: 'SECRET: customer is on the fraud watchlist',
      customerMessage: 'We secured your account and reset your password.',
    });
    await run.execution.done;

    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'customer_message_required' } } });
    expect(resolved.status).toBe(202);
    expect(run.execution.status).toBe('SUCCEEDED');
    const record = await readCase(wf.runtime, run.caseId);
    expect(record).toMatchObject({
      status: 'resolved',
      refundedAmount: 0,
      resolution: {
        decision: 'resolve',
        note: 'SECRET: customer is on the fraud watchlist',
        decidedBy: arn('agent-1'),
      },
    });
    expect(await ledgerItem(wf.runtime, customerId, 'CH-4')).toBeUndefined();
    const message = await resolutionMessageOf(customerId, run.caseId);
    expect(message?.body).toContain('We secured your account and reset your password.');
    const everything = JSON.stringify(await messageCenter(wf.runtime, customerId));
    expect(everything).not.toContain('SECRET');
    const view = await customerView(customerId, run.caseId);
    expect(view).not.toContain('SECRET');
    expect(view).toContain('We secured your account');
  });

  it('claim: the case becomes claimed; another agent gets 409 naming who; the same agent refreshes; a decision still resolves', async () => {
    const customerId = newCustomerId('claim');
    const run = await handoff(renewal(customerId), billing);

    const first = await asAgent('agent-1', run.caseId, 'claim');
    const other = await asAgent('agent-2', run.caseId, 'claim');
    const again = await asAgent('agent-1', run.caseId, 'claim');
    const claimed = await readCase(wf.runtime, run.caseId);
    const denied = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'deny',
      note: 'INTERNAL: checked the usage logs',
      customerMessage: 'The renewal was used after it was charged, so it is not refundable.',
    });
    await run.execution.done;

    expect(first).toMatchObject({ status: 200, body: { status: 'claimed', claimedBy: arn('agent-1') } });
    expect(other).toMatchObject({
      status: 409,
      body: { error: { code: 'already_claimed', message: expect.stringContaining(arn('agent-1')) } },
    });
    expect(again.status).toBe(200);
    expect(claimed).toMatchObject({ status: 'claimed', claimedBy: arn('agent-1') });
    expect(denied.status).toBe(202);
    expect(await readCase(wf.runtime, run.caseId)).toMatchObject({ status: 'resolved' });
    const message = await resolutionMessageOf(customerId, run.caseId);
    expect(message?.body).toContain('so it is not refundable');
    expect(message?.body).not.toContain('usage logs');
  });

  it('goodwill_credit over the cap is a 422 that moves nothing; at the cap it is booked', async () => {
    const customerId = newCustomerId('goodwill');
    const run = await handoff(renewal(customerId), billing);

    const over = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'goodwill_credit',
      amount: 5001,
      note: 'x',
    });
    const booked = await asAgent('agent-1', run.caseId, 'resolution', {
      decision: 'goodwill_credit',
      amount: 5000,
      note: 'sorry',
    });
    await run.execution.done;

    expect(over).toMatchObject({ status: 422, body: { error: { code: 'goodwill_over_cap' } } });
    expect(booked).toMatchObject({ status: 202, body: { amount: 5000, currency: 'USD' } });
    expect(timelineSteps(await readCase(wf.runtime, run.caseId))).toContain('credit_booked');
  });
});

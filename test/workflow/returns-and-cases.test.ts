/**
 * Issue #17: a return and a support case refunding the same order charge never pay more than its remainder, through
 * both synthesized state machines with the real handlers (only the classifier is stubbed); and a return whose charge
 * has nothing left is refused a refund (handed to a person, nothing paid).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Charge, Order } from '../../functions/shared/types.js';
import { runCase, seedAccount } from '../../local/cases.js';
import { postCarrierEvent, readReturn, settleReturn, startReturn } from '../../local/returns.js';
import { apiEvent, lambdaContext } from '../unit/lambda-fixtures.js';
import { account, ledgerItems, NOW, newCustomerId, workflowRuntime } from './support.js';

const wf = workflowRuntime();
const { classifier } = wf;

const mugsAndKettle: Order = {
  id: 'O-4',
  total: 8998,
  currency: 'USD',
  status: 'delivered',
  placedAt: '2026-03-05T10:00:00Z',
  deliveredAt: '2026-03-09T14:00:00Z',
  items: [
    { sku: 'MUG-2', name: 'Ceramic mug, set of 2', quantity: 2, unitPrice: 1999 },
    { sku: 'KETTLE-1', name: 'Electric kettle', quantity: 1, unitPrice: 5000 },
  ],
};
const charge = (extra: Partial<Charge> = {}): Charge => ({
  id: 'CH-9',
  orderId: 'O-4',
  amount: 8998,
  currency: 'USD',
  chargedAt: '2026-03-05T10:01:00Z',
  ...extra,
});

/** An agent's resolution, as API Gateway hands it over after SigV4. */
async function resolveAsAgent(caseId: string, body: unknown) {
  const event = {
    ...apiEvent({ body, customerId: null, pathParameters: { caseId } }),
    path: `/v1/agent/cases/${caseId}/resolution`,
    resource: '/v1/agent/cases/{caseId}/resolution',
  };
  const withIdentity = {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: { ...event.requestContext.identity, userArn: 'arn:aws:iam::000000000000:user/agent-1' },
    },
  } as APIGatewayProxyEvent;
  const response = (await wf.runtime.handler('functions/agent-resolution/handler.ts')(
    withIdentity,
    lambdaContext('agent-resolution'),
  )) as { statusCode: number };
  return response.statusCode;
}

async function labelledMugsReturn(customerId: string) {
  const started = await startReturn(
    wf.runtime,
    customerId,
    { orderId: 'O-4', items: [{ sku: 'MUG-2', quantity: 2 }], reason: 'damaged' },
    NOW,
  );
  if (started.rejection !== null) throw new Error(`rejected: ${started.rejection}`);
  await settleReturn(wf.runtime, started.execution);
  const record = await readReturn(wf.runtime, started.returnId);
  return { ...started, trackingId: record.label?.trackingId ?? '' };
}

describe('a return and a support case on the same order charge', () => {
  it("the agent's refund on the case comes first: the return gets only what is left, and the charge is never overpaid", async () => {
    const customerId = newCustomerId('case-then-return');
    await seedAccount(wf.runtime, account(customerId, { orders: [mugsAndKettle], charges: [charge()] }));
    const returned = await labelledMugsReturn(customerId);

    classifier.classifyAs({ intent: 'human_agent', confidence: 0.97 });
    const run = await runCase(wf.runtime, {
      customerId,
      message: 'a person please',
      orderId: 'O-4',
      now: NOW,
    });
    expect(run.waitingForAgent).toBe(true);
    const status = await resolveAsAgent(run.caseId, {
      decision: 'approve_refund',
      charges: [{ chargeId: 'CH-9', amount: 6000 }],
      currency: 'USD',
      note: 'kettle arrived broken, refunding it and part of the set',
    });
    expect(status).toBe(202);
    await run.execution.done;

    const scanned = await postCarrierEvent(wf.runtime, {
      trackingId: returned.trackingId,
      event: 'first_scan',
      at: '2026-03-21T09:30:00Z',
    });
    expect(scanned.statusCode).toBe(202);
    await returned.execution.done;

    const done = await readReturn(wf.runtime, returned.returnId);
    expect(done.status).toBe('refunded');
    expect(done.refund?.amount).toBe(2998);
    const lines = (await ledgerItems(wf.runtime, customerId)).filter((l) => l.chargeId === 'CH-9');
    expect(lines.reduce((sum, l) => sum + (l.refundedTotal ?? 0), 0)).toBe(8998);
  });

  it('a charge with nothing left: the return refunds nothing and goes to a person', async () => {
    const customerId = newCustomerId('nothing-left');
    await seedAccount(
      wf.runtime,
      account(customerId, { orders: [mugsAndKettle], charges: [charge({ refundedAmount: 8998 })] }),
    );
    const returned = await labelledMugsReturn(customerId);
    await postCarrierEvent(wf.runtime, {
      trackingId: returned.trackingId,
      event: 'first_scan',
      at: '2026-03-21T09:30:00Z',
    });
    await returned.execution.done;

    const done = await readReturn(wf.runtime, returned.returnId);
    expect(done.status).not.toBe('refunded');
    expect(done.refund?.amount ?? 0).toBe(0);
    expect(done.attentionReason).toBe('nothing_left_to_refund');
    expect(await ledgerItems(wf.runtime, customerId)).toEqual([]);
  });
});

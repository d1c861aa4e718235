/**
 * The agents' read side on the local server (`npm start`): real handed-off cases listed from the cases table's
 * byAgentQueue index (most urgent, then longest waiting; paged), and the evidence pack of a case. Agent routes
 * refuse a customer's token. One embedded runtime for this file.
 */
import '../../local/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES_BY_AGENT_QUEUE_INDEX } from '../../functions/shared/case-record.js';
import { createLocalAuth } from '../../local/auth.js';
import { readCase, runCase, seedAccount } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';

let runtime: LocalRuntime;
let api: ApiServer;
const auth = createLocalAuth({ secret: 'test-secret-for-the-agent-read-api' });
let agentToken: string;
let customerToken: string;

const NOW = new Date('2026-03-20T12:00:00Z');
/** Three general-queue cases, dispatched in this order: two at normal priority, then one at high. */
const GENERAL = [
  { customerId: 'C-ar-normal-1', message: 'Talk to a representative' },
  { customerId: 'C-ar-normal-2', message: 'can i pls speak to an actual humen being, not a bot' },
  {
    customerId: 'C-ar-high',
    message: 'need to know asap if this charger works with iphone 15, leaving for the airport in an hour!',
  },
];
const caseIds: Record<string, string> = {};

async function call(method: string, path: string, token?: string) {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth });
  agentToken = await auth.agentToken('agent-1');
  customerToken = await auth.customerToken('C-ar-billing');

  for (const request of GENERAL) {
    await seedAccount(runtime, {
      profile: { id: request.customerId },
      subscriptions: [],
      charges: [],
      orders: [],
    });
    const run = await runCase(runtime, { ...request, now: NOW });
    expect(run.waitingForAgent).toBe(true);
    caseIds[request.customerId] = run.caseId;
  }

  // A high-value billing error (POLICY rule 5) and a lost $1,299 laptop (rule 10), with a case before it.
  await seedAccount(runtime, {
    profile: { id: 'C-ar-billing', phone: '+12065550103' },
    subscriptions: [
      { id: 'SUB-3', plan: 'business-annual', status: 'cancelled', cancelledAt: '2026-01-05T00:00:00Z' },
    ],
    charges: [
      {
        id: 'CH-3',
        subscriptionId: 'SUB-3',
        amount: 69900,
        currency: 'USD',
        chargedAt: '2026-01-01T00:00:00Z',
      },
      {
        id: 'CH-4',
        subscriptionId: 'SUB-3',
        amount: 69900,
        currency: 'USD',
        chargedAt: '2026-02-01T00:00:00Z',
        billingPeriodStart: '2026-02-01T00:00:00Z',
      },
    ],
    orders: [],
  });
  const earlier = await runCase(runtime, {
    customerId: 'C-ar-billing',
    message: 'where is my package?',
    now: new Date('2026-03-01T12:00:00Z'),
    idempotencyKey: 'earlier-case',
  });
  caseIds.earlier = earlier.caseId;
  const billing = await runCase(runtime, {
    customerId: 'C-ar-billing',
    message: 'You renewed my business plan after I cancelled it. Refund please.',
    now: NOW,
  });
  expect(billing.waitingForAgent).toBe(true);
  caseIds.billing = billing.caseId;

  await seedAccount(runtime, {
    profile: { id: 'C-ar-laptop', phone: '+12065550107' },
    subscriptions: [],
    charges: [
      { id: 'CH-L', orderId: 'O-2', amount: 129900, currency: 'USD', chargedAt: '2026-03-10T09:00:05Z' },
    ],
    orders: [
      {
        id: 'O-2',
        total: 129900,
        currency: 'USD',
        status: 'lost',
        placedAt: '2026-03-10T09:00:00Z',
        promisedBy: '2026-03-14T23:59:00Z',
        carrier: 'UPS',
        trackingId: '1Z999',
        items: [{ sku: 'LAPTOP-15', name: 'Laptop 15', quantity: 1, unitPrice: 129900 }],
      },
    ],
  });
  const laptop = await runCase(runtime, {
    customerId: 'C-ar-laptop',
    message: 'Where is my order? Tracking says it was lost',
    orderId: 'O-2',
    now: NOW,
  });
  caseIds.laptop = laptop.caseId;
}, 180_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

describe('GET /v1/agent/cases', () => {
  it('is a route of the template, IAM-authorized, reading the byAgentQueue index the runtime created', () => {
    const routes = api.routes.map((r) => `${r.httpMethod} ${r.resourcePath} ${r.authorizationType}`);
    expect(routes).toEqual(
      expect.arrayContaining(['GET /agent/cases AWS_IAM', 'GET /agent/cases/{caseId} AWS_IAM']),
    );
    const cases = runtime.topology.tables.find((t) => t.tableName === runtime.tables.cases);
    const indexes = (cases?.definition.GlobalSecondaryIndexes ?? []) as { IndexName: string }[];
    expect(indexes.map((i) => i.IndexName)).toContain(CASES_BY_AGENT_QUEUE_INDEX);
  });

  it('lists the most urgent first, then the longest waiting', async () => {
    const { status, body } = await call('GET', '/agent/cases?queue=general', agentToken);

    expect(status).toBe(200);
    expect(body.items.map((i: { caseId: string }) => i.caseId)).toEqual([
      caseIds['C-ar-high'],
      caseIds['C-ar-normal-1'],
      caseIds['C-ar-normal-2'],
    ]);
    expect(body.items.map((i: { priority: string }) => i.priority)).toEqual(['high', 'normal', 'normal']);
    expect(body.nextToken).toBeNull();
    const first = body.items[0];
    expect(first).toMatchObject({
      status: 'awaiting_agent',
      queue: 'general',
      reason: 'sentiment',
      escalations: 0,
    });
    expect(first.waitedSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(first.slaDeadline) - Date.parse(first.dispatchedAt)).toBe(
      runtime.topology.config.callbackSlaSeconds * 1000,
    );
    expect(first.message).toContain('charger');
  });

  it('pages with nextToken, each case once', async () => {
    const seen: string[] = [];
    let path = '/agent/cases?queue=general&limit=1';
    for (let page = 0; page < 5; page++) {
      const { status, body } = await call('GET', path, agentToken);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(1);
      seen.push(...body.items.map((i: { caseId: string }) => i.caseId));
      if (!body.nextToken) break;
      path = `/agent/cases?queue=general&limit=1&nextToken=${body.nextToken}`;
    }
    expect(seen).toEqual([caseIds['C-ar-high'], caseIds['C-ar-normal-1'], caseIds['C-ar-normal-2']]);
  });

  it('shows the money at stake per currency in the billing queue', async () => {
    const { body } = await call('GET', '/agent/cases?queue=billing&status=awaiting_agent', agentToken);
    const item = body.items.find((i: { caseId: string }) => i.caseId === caseIds.billing);
    expect(item).toMatchObject({
      reason: 'high_value',
      priority: 'high',
      atStake: [{ currency: 'USD', amount: 69900 }],
    });
  });

  it('filters by status', async () => {
    const { status, body } = await call('GET', '/agent/cases?queue=general&status=claimed', agentToken);
    expect(status).toBe(200);
    expect(body.items).toEqual([]);
  });

  it.each([
    ['no queue', '/agent/cases'],
    ['an unknown queue', '/agent/cases?queue=sales'],
    ['an unknown status', '/agent/cases?queue=general&status=resolved'],
    ['a limit over 100', '/agent/cases?queue=general&limit=101'],
    [
      'a forged token',
      `/agent/cases?queue=general&nextToken=${Buffer.from('{"caseId":"x"}').toString('base64url')}`,
    ],
  ])('refuses %s with a 400', async (_what, path) => {
    const { status, body } = await call('GET', path, agentToken);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
  });

  it("refuses a customer's token (403) and no token (401)", async () => {
    expect((await call('GET', '/agent/cases?queue=general', customerToken)).status).toBe(403);
    expect((await call('GET', '/agent/cases?queue=general')).status).toBe(401);
  });
});

describe('GET /v1/agent/cases/{caseId}: the evidence pack', () => {
  it('opens a real handed-off billing case with an agent token', async () => {
    const { status, body } = await call('GET', `/agent/cases/${caseIds.billing}`, agentToken);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      caseId: caseIds.billing,
      status: 'awaiting_agent',
      intent: 'billing_refund',
      rule: 5,
      reason: 'high_value',
      queue: 'billing',
      contact: { callbackNumber: '+12065550103', mode: 'call' },
      proposedRefund: { basis: 'billing_errors', totals: [{ currency: 'USD', amount: 69900 }] },
    });
    expect(body.markers).toEqual(expect.objectContaining({ frustrated: expect.any(Boolean) }));
    expect(body.receipt.facts.billing.refundableTotals).toEqual([{ currency: 'USD', amount: 69900 }]);
    const kinds = body.charges.map((e: { type: string; chargeId?: string }) => e.chargeId ?? e.type);
    expect(kinds).toEqual(['CH-3', 'cancellation_effective', 'CH-4']);
    expect(body.charges[2]).toMatchObject({ isBillingError: true, remainder: 69900, ledger: [] });
    expect(body.otherCases.map((c: { caseId: string }) => c.caseId)).toEqual([caseIds.earlier]);
    expect(body.timeline.map((t: { step: string }) => t.step)).toContain('callback_dispatched');
    // The workflow's task token stays on the case.
    const record = await readCase(runtime, caseIds.billing as string);
    expect(record.taskToken).toBeTruthy();
    expect(JSON.stringify(body)).not.toContain(record.taskToken as string);
  });

  it("shows the lost laptop's order and the charge that paid for it, as the proposed refund", async () => {
    const { status, body } = await call('GET', `/agent/cases/${caseIds.laptop}`, agentToken);

    expect(status).toBe(200);
    expect(body.order).toMatchObject({
      orderId: 'O-2',
      status: 'lost',
      carrier: 'UPS',
      trackingId: '1Z999',
      charge: { chargeId: 'CH-L', remainder: 129900 },
    });
    expect(body.proposedRefund).toMatchObject({
      basis: 'order_charge',
      charges: [{ chargeId: 'CH-L', amount: 129900 }],
    });
  });

  it('is a 404 for an unknown case and refuses a customer token, even the case owner (403)', async () => {
    expect((await call('GET', `/agent/cases/case-${'0'.repeat(32)}`, agentToken)).status).toBe(404);
    expect((await call('GET', '/agent/cases/not-a-case', agentToken)).status).toBe(404);
    expect((await call('GET', `/agent/cases/${caseIds.billing}`, customerToken)).status).toBe(403);
  });
});

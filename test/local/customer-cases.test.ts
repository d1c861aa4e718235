/** Through the real local API: the caller's own cases (GET /v1/support-requests), and suggestions from the account. */
import '../../local/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../local/auth.js';
import { runCase, seedAccount } from '../../local/cases.js';
import { settleReturn, startReturn } from '../../local/returns.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';

let runtime: LocalRuntime;
let api: ApiServer;
const auth = createLocalAuth({ secret: 'test-secret-for-customer-cases' });
const created: string[] = [];

async function get(path: string, token: string) {
  const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth });
  for (const id of ['C-list-1', 'C-list-2'])
    await seedAccount(runtime, { profile: { id }, subscriptions: [], charges: [], orders: [] });
  for (const [i, message] of [
    'where is my package?',
    'how do I cancel?',
    'is this charger for iPhone?',
  ].entries()) {
    const run = await runCase(runtime, {
      customerId: 'C-list-1',
      message,
      now: new Date(Date.UTC(2026, 2, 20, 12, i)),
    });
    created.push(run.caseId);
  }
  await seedAccount(runtime, {
    profile: { id: 'C-suggest' },
    subscriptions: [{ id: 'SUB-1', plan: 'Prime', status: 'cancelled', cancelledAt: '2026-03-01T10:00:00Z' }],
    charges: [
      {
        id: 'CH-2',
        subscriptionId: 'SUB-1',
        amount: 1499,
        currency: 'USD',
        chargedAt: '2026-03-15T08:00:00Z',
      },
    ],
    orders: [],
  });
  await runCase(runtime, {
    customerId: 'C-list-2',
    message: 'where is my package?',
    now: new Date('2026-03-20T13:00:00Z'),
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

describe('GET /v1/support-requests', () => {
  it("lists the caller's own cases newest first, a page at a time", async () => {
    const token = await auth.customerToken('C-list-1');
    const first = await get('/support-requests?limit=2', token);
    expect(first.status).toBe(200);
    const ids = (first.body.cases as { caseId: string }[]).map((c) => c.caseId);
    expect(ids).toEqual([created[2], created[1]]);
    expect(first.body.cases).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 'resolved', outcome: 'self_service' })]),
    );
    const second = await get(`/support-requests?limit=2&nextToken=${first.body.nextToken as string}`, token);
    expect((second.body.cases as { caseId: string }[]).map((c) => c.caseId)).toEqual([created[0]]);
    expect(JSON.stringify(first.body)).not.toMatch(/taskToken|requestFingerprint/);
  });

  it("never shows another customer's cases, not even with that customer's page token", async () => {
    const other = await auth.customerToken('C-list-2');
    const page = await get('/support-requests?limit=1', await auth.customerToken('C-list-1'));
    const theirs = await get('/support-requests', other);
    expect((theirs.body.cases as unknown[]).length).toBe(1);
    const stolen = await get(`/support-requests?nextToken=${page.body.nextToken as string}`, other);
    expect(stolen.status).toBe(400);
    expect(stolen.body).toMatchObject({ error: { code: 'invalid_cursor' } });
  });

  it('refuses a bad limit and an agent token', async () => {
    expect((await get('/support-requests?limit=0', await auth.customerToken('C-list-1'))).status).toBe(400);
    expect((await get('/support-requests', await auth.agentToken('agent-1'))).status).toBe(401);
  });
});

describe('GET /v1/help/suggestions', () => {
  it('suggests the unrefunded billing error from the account, with the request that acts on it', async () => {
    const answer = await get('/help/suggestions', await auth.customerToken('C-suggest'));
    expect(answer.status).toBe(200);
    expect(answer.body.suggestions).toEqual([
      expect.objectContaining({
        kind: 'billing_error',
        action: expect.objectContaining({ path: '/v1/support-requests' }),
      }),
    ]);
  });

  it('a return waiting for its first scan is suggested from the Returns table, and its order is not offered again', async () => {
    await seedAccount(runtime, {
      profile: { id: 'C-suggest-return' },
      subscriptions: [],
      charges: [
        { id: 'CH-R', orderId: 'O-R', amount: 3998, currency: 'USD', chargedAt: '2026-03-05T10:01:00Z' },
      ],
      orders: [
        {
          id: 'O-R',
          total: 3998,
          currency: 'USD',
          status: 'delivered',
          placedAt: '2026-03-05T10:00:00Z',
          deliveredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
          items: [{ sku: 'MUG-2', name: 'Mugs', quantity: 2, unitPrice: 1999 }],
        },
      ],
    });
    const token = await auth.customerToken('C-suggest-return');
    expect((await get('/help/suggestions', token)).body.suggestions).toEqual([
      expect.objectContaining({ kind: 'return_eligible' }),
    ]);
    const started = await startReturn(runtime, 'C-suggest-return', {
      orderId: 'O-R',
      items: [{ sku: 'MUG-2', quantity: 2 }],
      reason: 'damaged',
    });
    if (started.rejection !== null) throw new Error(`rejected: ${started.rejection}`);
    await settleReturn(runtime, started.execution);
    const answer = await get('/help/suggestions', token);
    expect(answer.body.suggestions).toEqual([
      expect.objectContaining({
        kind: 'return_in_progress',
        text: expect.stringContaining('Your return of order O-R is waiting for its first carrier scan'),
        action: expect.objectContaining({ body: expect.objectContaining({ orderId: 'O-R' }) }),
      }),
    ]);
    runtime.returnsExecutor?.stop(started.execution.name);
  });

  it('suggests nothing to a customer with nothing wrong, and refuses an agent token', async () => {
    expect((await get('/help/suggestions', await auth.customerToken('C-list-2'))).body).toEqual({
      suggestions: [],
    });
    expect((await get('/help/suggestions', await auth.agentToken('agent-1'))).status).toBe(401);
  });
});

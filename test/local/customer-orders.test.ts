/** Through the real local API (the synthesized template's route and handler): GET /v1/orders, the chat's order picker. */
import '../../local/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../functions/list-orders/domain.js';
import type { Order } from '../../functions/shared/types.js';
import { createLocalAuth } from '../../local/auth.js';
import { seedAccount } from '../../local/cases.js';
import { settleReturn, startReturn } from '../../local/returns.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';

let runtime: LocalRuntime;
let api: ApiServer;
const auth = createLocalAuth({ secret: 'test-secret-for-customer-orders' });
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const order = (id: string, placedDaysAgo: number, deliveredDaysAgo: number | null): Order => ({
  id,
  total: 4900,
  currency: 'USD',
  status: deliveredDaysAgo === null ? 'shipped' : 'delivered',
  placedAt: daysAgo(placedDaysAgo),
  ...(deliveredDaysAgo === null ? {} : { deliveredAt: daysAgo(deliveredDaysAgo) }),
  carrier: 'UPS',
  trackingId: `1Z${id}`,
  items: [{ sku: 'SKU-MUG', name: 'Mug', quantity: 2, unitPrice: 2450 }],
});

async function get(path: string, token: string) {
  const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const ordersOf = (body: Record<string, unknown>) => body.orders as OrderSummary[];

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth });
  await seedAccount(runtime, {
    profile: { id: 'C-orders-1' },
    subscriptions: [],
    charges: [],
    orders: [order('O-A', 20, 16), order('O-B', 2, null), order('O-C', 6, 3), order('O-D', 70, 65)],
  });
  await seedAccount(runtime, {
    profile: { id: 'C-orders-2' },
    subscriptions: [],
    charges: [],
    orders: [order('O-X', 5, 2)],
  });
  // One of O-C's two mugs is already on its way back.
  const started = await startReturn(runtime, 'C-orders-1', {
    orderId: 'O-C',
    items: [{ sku: 'SKU-MUG', quantity: 1 }],
    reason: 'damaged',
  });
  if (started.rejection !== null) throw new Error(`rejected: ${started.rejection}`);
  await settleReturn(runtime, started.execution);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

describe('GET /v1/orders', () => {
  it("lists the caller's orders newest first, a page at a time, with what each still lets them return", async () => {
    const token = await auth.customerToken('C-orders-1');
    const first = await get('/orders?limit=3', token);
    expect(first.status).toBe(200);
    expect(ordersOf(first.body).map((o) => o.orderId)).toEqual(['O-B', 'O-C', 'O-A']);
    expect(typeof first.body.nextToken).toBe('string');
    const second = await get(`/orders?limit=3&nextToken=${first.body.nextToken as string}`, token);
    expect(ordersOf(second.body).map((o) => o.orderId)).toEqual(['O-D']);
    expect(second.body.nextToken).toBeNull();

    const [shipped, partly, whole] = ordersOf(first.body);
    expect(shipped).toMatchObject({
      status: 'shipped',
      returnable: false,
      notReturnableReason: 'not_delivered',
    });
    expect(partly).toMatchObject({
      carrier: 'UPS',
      trackingId: '1ZO-C',
      total: 4900,
      currency: 'USD',
      returnable: true,
      insideReturnWindow: true,
      items: [
        {
          sku: 'SKU-MUG',
          name: 'Mug',
          quantity: 2,
          unitPrice: 2450,
          finalSale: false,
          returned: 1,
          returnable: 1,
        },
      ],
    });
    expect(whole?.items[0]).toMatchObject({ returned: 0, returnable: 2 });
    expect(ordersOf(second.body)[0]).toMatchObject({
      insideReturnWindow: false,
      returnable: false,
      notReturnableReason: 'window_closed',
      items: [expect.objectContaining({ returnable: 0 })],
    });
  });

  it("never lists another customer's orders, not even with that customer's page token", async () => {
    const mine = await get('/orders?limit=1', await auth.customerToken('C-orders-1'));
    const other = await auth.customerToken('C-orders-2');
    const theirs = await get('/orders', other);
    expect(theirs.status).toBe(200);
    expect(ordersOf(theirs.body).map((o) => o.orderId)).toEqual(['O-X']);
    // The customer id comes from the token: a query naming another customer changes nothing.
    const named = await get('/orders?customerId=C-orders-1', other);
    expect(JSON.stringify(named.body)).not.toMatch(/O-A|O-B|O-C|O-D/);
    const stolen = await get(`/orders?nextToken=${mine.body.nextToken as string}`, other);
    expect(stolen.status).toBe(400);
    expect(stolen.body).toMatchObject({ error: { code: 'invalid_cursor' } });
  });

  it('refuses a tampered cursor, a bad limit and an agent token', async () => {
    const token = await auth.customerToken('C-orders-1');
    const tampered = Buffer.from(
      JSON.stringify({ customerId: 'C-orders-1', placedAt: 'soon', orderId: 'O-A' }),
    ).toString('base64url');
    for (const path of ['/orders?nextToken=not-a-cursor', `/orders?nextToken=${tampered}`]) {
      const answer = await get(path, token);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        error: { code: 'invalid_cursor', message: expect.stringContaining('nextToken') },
      });
    }
    for (const limit of ['0', '51', '2.5', 'ten']) {
      const answer = await get(`/orders?limit=${limit}`, token);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_limit' } });
    }
    expect((await get('/orders', await auth.agentToken('agent-1'))).status).toBe(401);
  });
});

/**
 * End to end on the real local API with the demo data: a demo customer asks where their UPS parcel is and the answer
 * names their order, carrier, tracking id and date, identical in the case (GET), the message center and the record.
 */
import '../../local/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../local/auth.js';
import { readCase } from '../../local/cases.js';
import { loadDemoCustomers, seedDemoCustomers } from '../../local/demo.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';

let runtime: LocalRuntime;
let api: ApiServer;
const auth = createLocalAuth({ secret: 'test-secret-for-customer-answers' });
const UPS_CUSTOMER = 'C-1006';

async function call(path: string, token: string, body?: unknown) {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth });
  await seedDemoCustomers(runtime, loadDemoCustomers());
}, 120_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

describe('answers from the customer’s own data, through the local API', () => {
  it('the demo data has a customer with a UPS order, tracking 1Z999, promised by the 22nd', () => {
    const demo = loadDemoCustomers().find((c) => c.customerId === UPS_CUSTOMER);
    expect(demo?.scenario.orders).toEqual([
      expect.objectContaining({ carrier: 'UPS', trackingId: '1Z999', promisedBy: '2026-03-22T23:59:00Z' }),
    ]);
  });

  it('"where is my UPS parcel?" names the order, carrier, tracking id and date, the same in GET, messages and the case', async () => {
    const token = await auth.customerToken(UPS_CUSTOMER);

    const posted = await call('/support-requests', token, {
      message: 'where is my UPS parcel? it was supposed to come by the 22nd',
    });
    expect(posted.status).toBe(202);
    const caseId = String(posted.body.caseId);
    let got = await call(`/support-requests/${caseId}`, token);
    for (let i = 0; i < 100 && got.body.status !== 'resolved'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      got = await call(`/support-requests/${caseId}`, token);
    }

    // The API runs on the real clock: the order promised by Mar 22, 2026 and still shipped is late by now.
    expect(got.body).toMatchObject({ status: 'resolved', outcome: 'self_service', reason: 'order_tracking' });
    const answer = got.body.answer as { subject: string; body: string };
    expect(answer.body).toContain('Your order O-1 has shipped with UPS (tracking 1Z999).');
    expect(answer.body).toContain('It was due by Mar 22, 2026 and is late');
    expect(answer.body).not.toContain('Track package');
    const messages = await call('/messages', token);
    expect(messages.body.messages).toContainEqual(expect.objectContaining({ caseId, ...answer }));
    expect((await readCase(runtime, caseId)).answer).toEqual(answer);
  });
});

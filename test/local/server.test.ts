/**
 * The local API (`npm start`): routes from the synthesized template, the real handlers behind them,
 * and the gateway's rules (authorizers, body model) enforced at the edge.
 * One embedded runtime for this file (one per process).
 */
import '../../local/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../local/auth.js';
import { seedAccount } from '../../local/cases.js';
import { loadDemoCustomers } from '../../local/demo.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';

let runtime: LocalRuntime;
let api: ApiServer;
const auth = createLocalAuth({ secret: 'test-secret-for-the-local-api' });

const CUSTOMER = 'C-server-1';
const OTHER = 'C-server-2';

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined || options.rawBody !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.rawBody !== undefined
      ? { body: options.rawBody }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  // Prepare
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth });
  for (const id of [CUSTOMER, OTHER]) {
    await seedAccount(runtime, {
      profile: { id },
      subscriptions: [
        {
          id: 'SUB-1',
          plan: 'prime-monthly',
          status: 'cancelled',
          cancelledAt: '2026-02-14T10:00:00Z',
        },
      ],
      charges: [
        {
          id: 'CH-1',
          subscriptionId: 'SUB-1',
          amount: 1499,
          currency: 'USD',
          chargedAt: '2026-03-15T08:00:00Z',
          billingPeriodStart: '2026-03-15T00:00:00Z',
        },
      ],
      orders: [],
    });
  }
}, 120_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

describe('routes', () => {
  it('come from the synthesized template, under the stage name', () => {
    const routes = api.routes.map((r) => `${r.httpMethod} ${r.resourcePath} ${r.authorizationType}`);
    expect(routes).toContain('POST /support-requests COGNITO_USER_POOLS');
    expect(routes).toContain('GET /support-requests/{caseId} COGNITO_USER_POOLS');
    expect(api.baseUrl).toMatch(/\/v1$/);
    const post = api.routes.find((r) => r.httpMethod === 'POST' && r.resourcePath === '/support-requests');
    expect(post?.functionLogicalId).toBeTruthy();
    expect(post?.requestSchema).toMatchObject({ type: 'object', required: ['message'] });
  });

  it('answers an unknown route with a 404 JSON error', async () => {
    const token = await auth.customerToken(CUSTOMER);
    const response = await call('GET', '/no-such-route', { token });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('a customer', () => {
  it('creates a case (202) and reads it back (200) once the workflow decided it', async () => {
    // Prepare
    const token = await auth.customerToken(CUSTOMER);

    // Act
    const created = await call('POST', '/support-requests', {
      token,
      body: { message: 'Subscription refund' },
    });

    // Assess
    expect(created.status).toBe(202);
    expect(created.body.caseId).toMatch(/^case-/);
    expect(created.headers.get('location')).toBe(`/v1/support-requests/${created.body.caseId}`);
    await runtime.executor.describe(created.body.caseId)?.done;
    const read = await call('GET', `/support-requests/${created.body.caseId}`, { token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      caseId: created.body.caseId,
      outcome: 'auto_refunded',
      reason: 'billing_error',
      refundedChargeIds: ['CH-1'],
      refundedAmount: 1499,
    });
    expect(read.body).not.toHaveProperty('taskToken');
  });

  it("cannot see another customer's case (404, as if it did not exist)", async () => {
    const created = await call('POST', '/support-requests', {
      token: await auth.customerToken(CUSTOMER),
      body: { message: 'where is my package?' },
    });
    const read = await call('GET', `/support-requests/${created.body.caseId}`, {
      token: await auth.customerToken(OTHER),
    });
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('case_not_found');
  });

  it('gets the same case for a retried request with the same Idempotency-Key', async () => {
    const token = await auth.customerToken(OTHER);
    const request = {
      token,
      body: { message: 'where is my package?' },
      headers: { 'Idempotency-Key': 'k-1' },
    };
    const first = await call('POST', '/support-requests', request);
    const second = await call('POST', '/support-requests', request);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.caseId).toBe(first.body.caseId);
  });
});

describe('authentication and validation at the edge', () => {
  it('rejects a request without a token (401 unauthenticated)', async () => {
    const response = await call('POST', '/support-requests', { body: { message: 'hello' } });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthenticated');
  });

  it('rejects a token signed with another key (401 unauthenticated)', async () => {
    const forged = await createLocalAuth({ secret: 'someone-elses-key' }).customerToken(CUSTOMER);
    const response = await call('GET', '/support-requests/case-x', { token: forged });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthenticated');
  });

  it('rejects a body that breaks the request model (400 invalid_request naming the field)', async () => {
    const token = await auth.customerToken(CUSTOMER);
    const missing = await call('POST', '/support-requests', { token, body: { text: 'hello' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_request');
    expect(missing.body.error.message).toContain('message');
    const badPhone = await call('POST', '/support-requests', {
      token,
      body: { message: 'hello', callbackPhone: '555-0100' },
    });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.message).toContain('callbackPhone');
  });

  it('rejects a body that is not JSON (400)', async () => {
    const response = await call('POST', '/support-requests', {
      token: await auth.customerToken(CUSTOMER),
      rawBody: '{not json',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toMatch(/^invalid_/);
  });

  it('lets the handler reject what the model allows but intake does not (blank message)', async () => {
    const response = await call('POST', '/support-requests', {
      token: await auth.customerToken(CUSTOMER),
      body: { message: '   ' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
  });

  it('keeps agent (AWS_IAM) routes from customer tokens (403) and from anonymous calls (401)', async () => {
    const agentRoute = api.routes.find((r) => r.authorizationType === 'AWS_IAM');
    if (!agentRoute) return; // no agent routes in this template
    const path = agentRoute.resourcePath.replace(/\{[^}]+\}/g, 'case-x');
    const asCustomer = await call(agentRoute.httpMethod, path, {
      token: await auth.customerToken(CUSTOMER),
      body: {},
    });
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body.error.code).toBe('forbidden');
    const anonymous = await call(agentRoute.httpMethod, path, { body: {} });
    expect(anonymous.status).toBe(401);
    // An agent token gets through to the handler, which answers for itself (never a gateway 401/403).
    const asAgent = await call(agentRoute.httpMethod, path, {
      token: await auth.agentToken('agent-1'),
      body: {},
    });
    expect([401, 403]).not.toContain(asAgent.status);
  });

  it('the approvals route is for agents: a customer token gets 403 and moves nothing; an agent reaches the handler', async () => {
    const route = api.routes.find((r) => r.resourcePath.endsWith('/approvals'));
    expect(route).toMatchObject({ httpMethod: 'POST', authorizationType: 'AWS_IAM' });
    const path = (route?.resourcePath ?? '').replace('{caseId}', 'case-0123456789abcdef0123456789abcdef');
    const asCustomer = await call('POST', path, { token: await auth.customerToken(CUSTOMER), body: {} });
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body.error.code).toBe('forbidden');
    const asAgent = await call('POST', path, { token: await auth.agentToken('agent-2'), body: {} });
    expect(asAgent).toMatchObject({ status: 404, body: { error: { code: 'case_not_found' } } });
  });

  it('keeps customer routes from agent tokens (401)', async () => {
    const response = await call('GET', '/support-requests/case-x', {
      token: await auth.agentToken('agent-1'),
    });
    expect(response.status).toBe(401);
  });
});

describe('demo data', () => {
  it('has one demo customer per example scenario, each with a description of its path', () => {
    const customers = loadDemoCustomers();
    expect(customers.length).toBeGreaterThanOrEqual(8);
    for (const c of customers) expect(c.description).toMatch(/\w+/);
  });
});

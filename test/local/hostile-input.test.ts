/**
 * Bad input at the local API: each reproduction of issue 12 gets a 4xx that names the problem and
 * changes nothing (no case, no execution). One embedded runtime for this file.
 */
import '../../local/quiet.js';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../local/auth.js';
import { seedAccount } from '../../local/cases.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';

let runtime: LocalRuntime;
let api: ApiServer;
const auth = createLocalAuth({ secret: 'test-secret-for-hostile-input' });
const CUSTOMER = 'C-hostile-1';
const TEN_MB = 10 * 1024 * 1024;

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
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
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const count = async (table: string) =>
  (await runtime.documentClient.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;

/** Cases, messages and ledger lines now. */
const snapshot = async () => ({
  cases: await count(runtime.tables.cases),
  messages: await count(runtime.tables.messages),
  ledger: await count(runtime.tables.refundLedger),
});

/** A customer and an agent token for the route's authorizer. */
const tokenFor = async (authorizationType: string) =>
  authorizationType === 'AWS_IAM' ? auth.agentToken('agent-hostile') : auth.customerToken(CUSTOMER);

const BODIES: Record<string, unknown> = {
  '/support-requests/{caseId}/callback': { phoneNumber: '+12065550100' },
  '/agent/cases/{caseId}/resolution': { decision: 'deny', note: 'no refund due' },
};

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth });
  await seedAccount(runtime, {
    profile: { id: CUSTOMER },
    subscriptions: [
      { id: 'SUB-1', plan: 'prime-monthly', status: 'cancelled', cancelledAt: '2026-02-14T10:00:00Z' },
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
}, 120_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

describe('case ids in the path', () => {
  const caseRoutes = () => api.routes.filter((r) => r.resourcePath.includes('{caseId}'));

  it.each(['%', '%ZZ', '%C0', '%E0%A4%A'])(
    'answers a malformed percent-encoding (%s) with a 400 on every {caseId} route',
    async (segment) => {
      expect(caseRoutes().length).toBeGreaterThanOrEqual(4);
      for (const route of caseRoutes()) {
        const response = await call(route.httpMethod, route.resourcePath.replace('{caseId}', segment), {
          token: await tokenFor(route.authorizationType),
          ...(route.httpMethod === 'GET' ? {} : { body: BODIES[route.resourcePath] ?? {} }),
        });
        expect({ route: route.resourcePath, status: response.status }).toEqual({
          route: route.resourcePath,
          status: 400,
        });
        expect(response.body.error.code).toBe('bad_request');
      }
    },
  );

  it('answers a case id over 2,048 bytes with a 404 on GET case, callback, claim and resolution', async () => {
    const longId = `case-${'a'.repeat(2100)}`;
    const routes = caseRoutes().map((r) => r.resourcePath);
    expect(routes).toEqual(
      expect.arrayContaining([
        '/support-requests/{caseId}',
        '/support-requests/{caseId}/callback',
        '/agent/cases/{caseId}/claim',
        '/agent/cases/{caseId}/resolution',
      ]),
    );
    for (const route of caseRoutes()) {
      const response = await call(route.httpMethod, route.resourcePath.replace('{caseId}', longId), {
        token: await tokenFor(route.authorizationType),
        ...(route.httpMethod === 'GET' ? {} : { body: BODIES[route.resourcePath] ?? {} }),
      });
      expect({ route: route.resourcePath, status: response.status }).toEqual({
        route: route.resourcePath,
        status: 404,
      });
      expect(response.body.error.code).toBe('case_not_found');
    }
  });
});

describe('the message-center cursor', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it.each([
    [
      'an extra attribute',
      {
        customerId: CUSTOMER,
        messageKey: `case-${'0'.repeat(32)}#outcome`,
        sentAt: '2026-03-20T12:00:00.000Z',
        x: 1,
      },
    ],
    ['only the customer id', { customerId: CUSTOMER }],
    [
      'a typed attribute value',
      { customerId: CUSTOMER, messageKey: { S: 'x' }, sentAt: '2026-03-20T12:00:00.000Z' },
    ],
    [
      'a number for sentAt',
      { customerId: CUSTOMER, messageKey: `case-${'0'.repeat(32)}#outcome`, sentAt: 5 },
    ],
    [
      'a sort key over 1 KB',
      { customerId: CUSTOMER, messageKey: 'm'.repeat(2000), sentAt: '2026-03-20T12:00:00.000Z' },
    ],
    ['the table key of another index', { customerId: CUSTOMER, sk: 'x' }],
  ])('answers a cursor with the caller id but %s with 400 invalid_cursor', async (_what, value) => {
    const response = await call('GET', `/messages?nextToken=${cursor(value)}`, {
      token: await auth.customerToken(CUSTOMER),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_cursor');
  });

  it('still pages with the cursors it hands out', async () => {
    const token = await auth.customerToken(CUSTOMER);
    for (const message of ['where is my package?', 'Subscription refund']) {
      const created = await call('POST', '/support-requests', { token, body: { message } });
      await runtime.executor.describe(created.body.caseId)?.done;
    }
    const first = await call('GET', '/messages?limit=1', { token });
    expect(first.status).toBe(200);
    expect(first.body.nextToken).toEqual(expect.any(String));
    const second = await call('GET', `/messages?limit=1&nextToken=${first.body.nextToken}`, { token });
    expect(second.status).toBe(200);
    expect(second.body.messages).toHaveLength(1);
    expect(second.body.messages[0]).not.toEqual(first.body.messages[0]);
  });
});

describe('intake', () => {
  it('answers an empty Idempotency-Key with 400 and opens no case, however often it is retried', async () => {
    const before = await snapshot();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await call('POST', '/support-requests', {
        token: await auth.customerToken(CUSTOMER),
        body: { message: 'where is my package?' },
        headers: { 'Idempotency-Key': '' },
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_idempotency_key');
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a zero-width space', '\u200b'],
    ['format characters and whitespace', ' \u200b\u200d\t\ufeff\u2060\u00ad '],
  ])('answers a message of only %s with 400 and opens no case', async (_what, message) => {
    const before = await snapshot();
    const response = await call('POST', '/support-requests', {
      token: await auth.customerToken(CUSTOMER),
      body: { message },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('visible');
    expect(await snapshot()).toEqual(before);
  });

  it('takes a message with visible text among zero-width characters', async () => {
    const response = await call('POST', '/support-requests', {
      token: await auth.customerToken(CUSTOMER),
      body: { message: '\u200bwhere is\u200d my package?' },
    });
    expect(response.status).toBe(202);
    await runtime.executor.describe(response.body.caseId)?.done;
  });
});

describe('bodies over 10 MB', () => {
  it('answers a body of 10 MB + 1 byte with the JSON 413, sent with its Content-Length', async () => {
    const before = await snapshot();
    const body = `{"message":"${'x'.repeat(TEN_MB + 1 - '{"message":""}'.length)}"}`;
    expect(Buffer.byteLength(body)).toBe(TEN_MB + 1);
    const response = await call('POST', '/support-requests', {
      token: await auth.customerToken(CUSTOMER),
      rawBody: body,
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    expect(await snapshot()).toEqual(before);
  });

  it('answers a streamed (chunked) body of 10 MB + 1 byte with the JSON 413', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i += 1) controller.enqueue(chunk);
        controller.enqueue(new Uint8Array([0x20]));
        controller.close();
      },
    });
    const response = await fetch(`${api.baseUrl}/support-requests`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await auth.customerToken(CUSTOMER)}`,
        'content-type': 'application/json',
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers a Content-Length that announces more than 10 MB with the JSON 413 before the body arrives', async () => {
    const url = new URL(api.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST ${url.pathname}/support-requests HTTP/1.1\r\nHost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: ${TEN_MB * 3}\r\n\r\n{"message":`,
        );
      });
      let text = '';
      socket.on('data', (data) => {
        text += data.toString('utf8');
        if (text.includes('payload_too_large')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      error: { code: 'payload_too_large' },
    });
  });
});

describe('the gateway itself', () => {
  it('treats a query parameter or header named __proto__ as a name (was a 500)', async () => {
    const token = await auth.customerToken(CUSTOMER);
    const query = await call('GET', '/messages?__proto__=1&limit=5', { token });
    expect(query.status).toBe(200);
    const header = await call('GET', '/messages', {
      token,
      headers: { __proto__: 'x' } as Record<string, string>,
    });
    expect(header.status).toBe(200);
  });

  it('checks request models with draft-04 semantics (Ajv) and names the field', async () => {
    const token = await auth.customerToken(CUSTOMER);
    const wrongType = await call('POST', '/support-requests', { token, body: { message: 5 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toEqual({
      code: 'invalid_request',
      message: expect.stringContaining('body/message must be string'),
    });
    const extra = await call('POST', '/support-requests', { token, body: { message: 'hi', refund: 100 } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('must NOT have additional properties');
    // maxLength counts code points as draft 4 says: 2000 emoji are 2000 characters at the edge.
    const route = api.routes.find((r) => r.resourcePath === '/support-requests' && r.httpMethod === 'POST');
    const properties = (route?.requestSchema?.properties ?? {}) as Record<string, { maxLength?: number }>;
    const max = Number(properties.message?.maxLength);
    expect(max).toBeGreaterThan(0);
    const overByOne = await call('POST', '/support-requests', {
      token,
      body: { message: '😀'.repeat(max + 1) },
    });
    expect(overByOne.body.error.message).toContain(`body/message must NOT have more than ${max} characters`);
  });
});

/** LISTEN sockets (local address and port) from /proc/net/tcp and tcp6. */
function listeningSockets(): { address: string; port: number }[] {
  const sockets: { address: string; port: number }[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A') continue; // TCP_LISTEN
      const [hexAddress, hexPort] = (fields[1] ?? '').split(':') as [string, string];
      const address =
        hexAddress.length === 8
          ? (hexAddress.match(/../g) ?? [])
              .reverse()
              .map((b) => Number.parseInt(b, 16))
              .join('.')
          : hexAddress;
      sockets.push({ address, port: Number.parseInt(hexPort, 16) });
    }
  }
  return sockets;
}

describe('local emulators', () => {
  it.skipIf(process.platform !== 'linux')(
    'listen on 127.0.0.1 only: dynalite, fauxqs, the Step Functions API and the API server',
    () => {
      const ports = [
        runtime.emulators.dynamodbEndpoint,
        runtime.emulators.snsEndpoint,
        runtime.sfnEndpoint,
        api.origin,
      ].map((endpoint) => Number(new URL(endpoint).port));
      const sockets = listeningSockets();
      for (const port of ports) {
        const bound = sockets.filter((s) => s.port === port).map((s) => s.address);
        expect({ port, bound }).toEqual({ port, bound: ['127.0.0.1'] });
      }
    },
  );
});

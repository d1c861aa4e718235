/**
 * The local server's web side, over HTTP (no browser): the built pages beside the API on one port with the same
 * security headers as on AWS, the dev-only sign-in routes, nothing served from outside web/dist, and the chat's
 * JavaScript under its 150 KB gzipped budget.
 */
import '../../local/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../local/auth.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';
import { CHAT_JS_BUDGET_BYTES, pageScriptBytes } from '../../scripts/build-web.js';

let runtime: LocalRuntime;
let api: ApiServer;
let plain: ApiServer;
const auth = createLocalAuth({ secret: 'web-server-test' });

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, {
    port: 0,
    auth,
    web: { demoCustomers: [{ customerId: 'C-1001', description: 'auto_refunded / billing_error' }] },
  });
  plain = await startApiServer(runtime, { port: 0, auth });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await plain?.close();
  await runtime?.stop();
});

describe('the web app on the local API port', () => {
  it('serves the chat at / and the console at /agent, with a CSP that allows only the same origin', async () => {
    for (const [page, title] of [
      ['/', 'Refund Hub help'],
      ['/agent', 'Refund Hub agent console'],
    ]) {
      const response = await fetch(`${api.origin}${page}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(await response.text()).toContain(`<title>${title}</title>`);
    }
  });

  it('answers the local config and the demo customers', async () => {
    expect(await (await fetch(`${api.origin}/config.json`)).json()).toEqual({ mode: 'local', apiUrl: '' });
    const demo = (await (await fetch(`${api.origin}/local/demo-customers`)).json()) as {
      customers: unknown[];
    };
    expect(demo.customers).toEqual([{ customerId: 'C-1001', description: 'auto_refunded / billing_error' }]);
  });

  it('signs a customer or a local agent in with a token the API accepts, and refuses anything else', async () => {
    const customer = (await (await fetch(`${api.origin}/local/session?customer=C-1001`)).json()) as {
      token: string;
    };
    expect(await auth.verify(customer.token)).toMatchObject({ kind: 'customer', customerId: 'C-1001' });
    const cases = await fetch(`${api.baseUrl}/support-requests`, {
      headers: { authorization: `Bearer ${customer.token}` },
    });
    expect(cases.status).toBe(200);
    const agent = (await (await fetch(`${api.origin}/local/session?agent=agent-2`)).json()) as {
      token: string;
    };
    expect(await auth.verify(agent.token)).toMatchObject({ kind: 'agent', agentId: 'agent-2' });

    expect((await fetch(`${api.origin}/local/session?agent=admin`)).status).toBe(404);
    expect((await fetch(`${api.origin}/local/session?customer=${encodeURIComponent('../x y')}`)).status).toBe(
      400,
    );
    expect((await fetch(`${api.origin}/local/session?customer=C-1&agent=agent-1`)).status).toBe(400);
    expect((await fetch(`${api.origin}/local/session`)).status).toBe(400);
  });

  it('serves nothing outside web/dist and leaves the API as it was', async () => {
    for (const target of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/../../package.json',
      '/nope.js',
    ])
      expect((await fetch(`${api.origin}${target}`)).status, target).toBe(404);
    expect((await fetch(`${api.origin}/`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${api.baseUrl}/support-requests`)).status).toBe(401);
  });

  it('has no web routes unless asked: the dev sign-in exists only where the web app is served', async () => {
    expect((await fetch(`${plain.origin}/local/session?customer=C-1001`)).status).toBe(404);
    expect((await fetch(`${plain.origin}/`)).status).toBe(404);
  });

  it("keeps the chat's JavaScript under 150 KB gzipped", () => {
    const chat = pageScriptBytes('index.html');
    expect(chat.files.length).toBeGreaterThan(0);
    expect(chat.gzipBytes).toBeLessThan(CHAT_JS_BUDGET_BYTES);
  });
});

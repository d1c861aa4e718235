/**
 * `npm start`'s request log: one line per request with the route's template (never the ids in the path), the status
 * and the time taken; without a log (tests, embedding) the server prints nothing.
 */
import '../../local/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../local/auth.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, requestLine, startApiServer } from '../../local/server.js';

let runtime: LocalRuntime;
let api: ApiServer;
const lines: string[] = [];
const auth = createLocalAuth({ secret: 'test-secret-for-the-request-log' });

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth, requestLog: (line) => lines.push(line) });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

/** The log line is written when the response finishes, which can trail the client's read by a tick. */
async function logged(pattern: RegExp): Promise<string | undefined> {
  for (let i = 0; i < 50 && !lines.some((l) => pattern.test(l)); i++)
    await new Promise((r) => setTimeout(r, 10));
  return lines.find((l) => pattern.test(l));
}

describe('the local request log', () => {
  it("logs a request's method, route template, status and milliseconds, not the case id", async () => {
    const token = await auth.customerToken('C-request-log');
    const response = await fetch(`${api.baseUrl}/support-requests/case-secret-42`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(404);
    const line = await logged(/^GET \/v1\/support-requests\/\{caseId\} /);
    expect(line).toMatch(/^GET \/v1\/support-requests\/\{caseId\} 404 \d+ms$/);
    expect(lines.join('\n')).not.toContain('case-secret-42');
    expect(lines.some((l) => l.startsWith('ALARM'))).toBe(false);
  });

  it('logs a refused request (no token) with its status, and fires no alarm for a 4xx', async () => {
    const response = await fetch(`${api.baseUrl}/support-requests`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await logged(/^POST \/v1\/support-requests 401 \d+ms$/)).toBeDefined();
    expect(lines.some((l) => l.startsWith('ALARM'))).toBe(false);
  });

  it('formats a line with whole milliseconds', () => {
    expect(requestLine('GET', '/v1/cases', 502, 12.6)).toBe('GET /v1/cases 502 13ms');
  });
});

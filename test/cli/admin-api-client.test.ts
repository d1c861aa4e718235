import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminApiFrom,
  describeFailure,
  localAdminApi,
  regionOfApiUrl,
  signedAdminApi,
} from '../../cli/admin.js';
import { CliError } from '../../cli/errors.js';

let seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    res.writeHead(req.url?.includes('fail') ? 503 : 200, { 'content-type': 'application/json' });
    res.end(req.url?.includes('fail') ? '{"error":{"code":"retry_safe","message":"again"}}' : '{"ok":true}');
  });
});
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fakeSdk = {
  config: {
    region: async () => 'eu-west-1',
    credentials: async () => ({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    }),
  },
} as unknown as CloudFormationClient;

describe('admin API client', () => {
  it('signs requests with SigV4 for execute-api, keeping the query and the body', async () => {
    seen = [];
    const api = signedAdminApi(base, fakeSdk);
    const response = await api.request('PUT', 'admin/customers/C%201/account?x=1', {
      profile: { id: 'C 1' },
    });

    expect(response).toEqual({ status: 200, body: { ok: true } });
    const [request] = seen;
    expect(request?.method).toBe('PUT');
    expect(request?.url).toBe('/v1/admin/customers/C%201/account?x=1');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host/,
    );
    expect(request?.headers['x-amz-security-token']).toBe('token');
    expect(JSON.parse(request?.body ?? '')).toEqual({ profile: { id: 'C 1' } });
  });

  it("sends the local server's admin token as a bearer token", async () => {
    seen = [];
    await localAdminApi({ apiUrl: base, adminToken: 'jwt' }).request('GET', 'admin/refunds');
    expect(seen[0]?.headers.authorization).toBe('Bearer jwt');
  });

  it('says what failed, with the status and the code', async () => {
    const response = await localAdminApi({ apiUrl: base, adminToken: 'jwt' }).request('GET', 'fail');
    expect(describeFailure(response)).toBe('503 retry_safe: again');
  });

  it('takes the region from an execute-api URL', () => {
    expect(regionOfApiUrl('https://abc123.execute-api.ap-southeast-2.amazonaws.com/v1/')).toBe(
      'ap-southeast-2',
    );
    expect(regionOfApiUrl('http://localhost:4566/restapis/abc/v1/_user_request_/')).toBeUndefined();
  });

  it('refuses --local with --endpoint, and a state file without an admin token', async () => {
    await expect(adminApiFrom({ local: true, endpoint: base })).rejects.toThrow(CliError);
    expect(() => localAdminApi({ apiUrl: base })).toThrow(/no admin token/);
  });
});

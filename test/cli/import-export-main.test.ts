/**
 * `npm run import` and `npm run refunds:export` as a user runs them, against a stand-in admin API
 * reached with `--endpoint URL` (SigV4 with the default credential chain: here, environment keys).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as importMain } from '../../scripts/import.js';
import { main as exportMain } from '../../scripts/refunds-export.js';

const puts: string[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    const signed = /^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '');
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (!signed) return reply(403, { message: 'Missing Authentication Token' });
    if (req.method === 'PUT') {
      puts.push(req.url ?? '');
      if (req.url?.includes('C-bad'))
        return reply(400, { error: { code: 'invalid_request', message: 'charges[0].amount: is required' } });
      const parsed = JSON.parse(body) as { charges?: unknown[] };
      return reply(200, {
        written: { profile: 1, subscriptions: 0, charges: parsed.charges?.length ?? 0, orders: 0 },
      });
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.searchParams.get('nextToken'))
      return reply(200, {
        refunds: [
          {
            kind: 'refund',
            customerId: 'C-1',
            chargeId: 'CH-1',
            caseId: 'case-1',
            currency: 'EUR',
            amount: 1250,
            source: 'auto',
            at: '2026-03-20T12:00:00Z',
            status: 'succeeded',
            provider: 'ledger',
            idempotencyKey: 'k1',
          },
        ],
        credits: [],
        nextToken: 'page-2',
      });
    return reply(200, {
      refunds: [],
      credits: [
        {
          kind: 'credit',
          customerId: 'C-2',
          caseId: 'case-2',
          currency: 'EUR',
          amount: 500,
          at: '2026-03-21T12:00:00Z',
          status: 'pending',
          provider: 'ledger',
          idempotencyKey: 'k2',
        },
      ],
    });
  });
});
let base: string;
let dir: string;
let stderr: string[];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  dir = mkdtempSync(path.join(tmpdir(), 'refund-hub-import-'));
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  vi.stubEnv('AWS_REGION', 'us-east-1');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  vi.restoreAllMocks();
});

function captureStderr() {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
}

describe('npm run import', () => {
  it('PUTs every account, reports progress and each failed line with its number, and exits 1', async () => {
    // Prepare
    const file = path.join(dir, 'accounts.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', customer: { id: 'C-1' }, charges: [{}], message: 'ignored' }),
        '',
        JSON.stringify({ customer: { id: 'C-bad' } }),
        'not json',
        JSON.stringify({ customer: { id: 'C-2' } }),
      ].join('\n'),
    );
    captureStderr();

    // Act
    const code = await importMain([file, '--endpoint', base, '--concurrency', '2']);

    // Assess
    expect(code).toBe(1);
    expect(puts.sort()).toEqual([
      '/v1/admin/customers/C-1/account',
      '/v1/admin/customers/C-2/account',
      '/v1/admin/customers/C-bad/account',
    ]);
    const text = stderr.join('');
    expect(text).toContain('imported 3/3');
    expect(text).toMatch(
      /Imported 2 of 4 line\(s\) in [\d.]+ s: 2 profile\(s\), 0 subscription\(s\), 1 charge\(s\), 0 order\(s\)\./,
    );
    expect(text).toContain('  line 3 (customer C-bad): 400 invalid_request: charges[0].amount: is required');
    expect(text).toContain('  line 4: not valid JSON');
  });
});

describe('npm run refunds:export', () => {
  it('writes every page as CSV to --out, with amounts in the currency’s digits and totals per currency', async () => {
    const out = path.join(dir, 'payouts.csv');
    captureStderr();

    const code = await exportMain(['--endpoint', base, '--out', out]);

    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toEqual([
      'kind,caseId,customerId,chargeId,amountMinor,amount,currency,status,at,idempotencyKey',
      'refund,case-1,C-1,CH-1,1250,12.50,EUR,succeeded,2026-03-20T12:00:00Z,k1',
      'credit,case-2,C-2,,500,5.00,EUR,pending,2026-03-21T12:00:00Z,k2',
    ]);
    expect(stderr.join('')).toContain(
      `1 refund line(s) and 1 credit(s) (status pending, succeeded) written to ${out}: EUR 17.50 (2 rows)`,
    );
  });
});

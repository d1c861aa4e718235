/**
 * The admin API on the local server (`npm start`): the admin role at the edge, the account PUT
 * behind it, `npm run import` loading replay-format accounts, and `npm run refunds:export` reading
 * the ledger's refund lines and credits back as CSV. One embedded runtime for this file.
 */
import '../../local/quiet.js';
import { readFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminApi, localAdminApi } from '../../cli/admin.js';
import { demoDataFile } from '../../cli/local.js';
import { loadCustomerAccount } from '../../functions/shared/account-store.js';
import { createLocalAuth } from '../../local/auth.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';
import { importAccounts, parseAccountLines } from '../../scripts/import.js';
import { fetchLedgerPayouts, payoutCsv } from '../../scripts/refunds-export.js';

let runtime: LocalRuntime;
let api: ApiServer;
let admin: AdminApi;
const auth = createLocalAuth({ secret: 'test-secret-for-the-admin-api' });

const CUSTOMER = 'C-admin-1';
const account = {
  profile: { id: CUSTOMER, phone: '+12065550142', name: 'Ada Admin' },
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
};

async function call(method: string, route: string, token?: string, body?: unknown) {
  const response = await fetch(`${api.baseUrl}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const tables = () => ({
  accountsTable: runtime.tables.accounts,
  refundLedgerTable: runtime.tables.refundLedger,
});
const creditsTable = () => {
  const name = runtime.topology.functions.find((fn) => fn.environment.CREDITS_TABLE_NAME)?.environment
    .CREDITS_TABLE_NAME;
  if (!name) throw new Error('no function has CREDITS_TABLE_NAME');
  return name;
};

beforeAll(async () => {
  runtime = await startLocalRuntime();
  api = await startApiServer(runtime, { port: 0, auth });
  admin = localAdminApi({ apiUrl: api.baseUrl, adminToken: await auth.adminToken('ops-1') });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
});

describe('admin routes', () => {
  it('come from the synthesized template, IAM-authorized', () => {
    const routes = api.routes.map((r) => `${r.httpMethod} ${r.resourcePath} ${r.authorizationType}`);
    expect(routes).toContain('PUT /admin/customers/{customerId}/account AWS_IAM');
    expect(routes).toContain('GET /admin/refunds AWS_IAM');
  });

  it('need an admin token: none 401, a customer 403, an agent 403, an admin 200', async () => {
    const route = `/admin/customers/${CUSTOMER}/account`;
    const none = await call('PUT', route, undefined, account);
    const customer = await call('PUT', route, await auth.customerToken(CUSTOMER), account);
    const agent = await call('PUT', route, await auth.agentToken('agent-1'), account);
    const ok = await call('PUT', route, await auth.adminToken('ops-1'), account);

    expect([none.status, customer.status, agent.status, ok.status]).toEqual([401, 403, 403, 200]);
    expect(agent.body.error.message).toMatch(/admin token/);
    expect(ok.body).toEqual({
      customerId: CUSTOMER,
      written: { profile: 1, subscriptions: 1, charges: 1, orders: 0 },
    });
    const stored = await loadCustomerAccount(runtime.documentClient, tables(), CUSTOMER);
    expect(stored.profile).toEqual(account.profile);
    expect(stored.charges.map((c) => c.id)).toEqual(['CH-1']);
  });

  it('keep the agent routes for agents and the customer routes for customers', async () => {
    const adminToken = await auth.adminToken('ops-1');
    const resolution = await call('POST', `/agent/cases/case-${'0'.repeat(32)}/resolution`, adminToken, {
      decision: 'deny',
      note: 'n',
    });
    const support = await call('POST', '/support-requests', adminToken, { message: 'hi' });
    expect([resolution.status, support.status]).toEqual([403, 401]);
  });

  it('answer bad account data with a 400 naming the field and its issues, writing nothing', async () => {
    const response = await call(
      'PUT',
      '/admin/customers/C-admin-bad/account',
      await auth.adminToken('ops-1'),
      {
        charges: [{ ...account.charges[0], id: 'CH-9', chargedAt: '2026-03-15T08:00:00' }],
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /^charges\[0\]\.chargedAt: must be an ISO-8601 instant with an offset/,
    );
    expect(response.body.error.issues[0].path).toBe('charges[0].chargedAt');
    const stored = await loadCustomerAccount(runtime.documentClient, tables(), 'C-admin-bad');
    expect(stored.charges).toEqual([]);
  });
});

describe("the profile's customerSince (rule 6 for new customers)", () => {
  it('is stored as given, and a malformed one is a 400 naming profile.customerSince, writing nothing', async () => {
    const adminToken = await auth.adminToken('ops-1');
    const since = { id: 'C-admin-since', customerSince: '2025-06-01T09:00:00-07:00' };
    const ok = await call('PUT', '/admin/customers/C-admin-since/account', adminToken, { profile: since });
    const bad = await call('PUT', '/admin/customers/C-admin-since-bad/account', adminToken, {
      profile: { id: 'C-admin-since-bad', customerSince: '2025-06-01' },
      charges: [account.charges[0]],
    });

    expect(ok.status).toBe(200);
    expect((await loadCustomerAccount(runtime.documentClient, tables(), 'C-admin-since')).profile).toEqual(
      since,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^profile\.customerSince: must be an ISO-8601 instant with an offset/,
    );
    const stored = await loadCustomerAccount(runtime.documentClient, tables(), 'C-admin-since-bad');
    expect([stored.profile, stored.charges]).toEqual([{ id: 'C-admin-since-bad' }, []]);
  });
});

describe('npm run import', () => {
  it('loads the shared examples (replay format) and reports bad lines by number', async () => {
    // Prepare: the examples, then a line that is not JSON, one without a customer id and one with bad data.
    const file = demoDataFile();
    if (!file) throw new Error('no demo data file');
    const examples = readFileSync(file, 'utf8').trimEnd().split('\n');
    const bad = [
      '{not json',
      JSON.stringify({ id: 'x', charges: [] }),
      JSON.stringify({ customer: { id: 'C-import-bad' }, charges: [{ id: 'c' }] }),
    ];
    const { accounts, failures } = parseAccountLines([...examples, ...bad].join('\n'));

    // Act
    const result = await importAccounts(admin, accounts, { concurrency: 3 });

    // Assess
    expect(result.imported).toBe(examples.length);
    const badLine = examples.length + 3;
    expect(failures).toEqual([
      { line: examples.length + 1, message: 'not valid JSON' },
      { line: examples.length + 2, message: expect.stringMatching(/no customer\.id/) },
    ]);
    expect(result.failures).toEqual([
      {
        line: badLine,
        customerId: 'C-import-bad',
        message: expect.stringMatching(/^400 invalid_request: charges\[0\]\.amount: is required/),
      },
    ]);
    const first = JSON.parse(examples[0] as string);
    const stored = await loadCustomerAccount(runtime.documentClient, tables(), first.customer.id);
    expect(stored.profile).toEqual(first.customer);
    expect(stored.charges.map((c) => c.id).sort()).toEqual(
      first.charges.map((c: { id: string }) => c.id).sort(),
    );
    expect(stored.subscriptions).toEqual(first.subscriptions);
  }, 60_000);

  it('imports the same file twice to the same account (idempotent)', async () => {
    const line = JSON.stringify({
      id: 's',
      customer: { id: 'C-import-twice' },
      ...account,
      profile: undefined,
    });
    const { accounts } = parseAccountLines(`${line}\n${line}\n`);
    const result = await importAccounts(admin, accounts);
    expect(result).toMatchObject({ imported: 2, failures: [] });
    const stored = await loadCustomerAccount(runtime.documentClient, tables(), 'C-import-twice');
    expect(stored.charges).toHaveLength(1);
  });
});

describe('GET /admin/refunds and npm run refunds:export', () => {
  it('lists the ledger refund line of an automatic refund and the ledger credits, as CSV for payout', async () => {
    // Prepare: an account with a charge after cancellation, a case that refunds it, and two credits.
    const customerId = 'C-export-1';
    await admin.request('PUT', `admin/customers/${customerId}/account`, {
      ...account,
      profile: { id: customerId },
    });
    const token = await auth.customerToken(customerId);
    const created = await call('POST', '/support-requests', token, { message: 'Subscription refund' });
    expect(created.status).toBe(202);
    await runtime.executor.describe(created.body.caseId)?.done;
    for (const [caseId, provider] of [
      [`case-${'1'.repeat(32)}`, 'ledger'],
      [`case-${'2'.repeat(32)}`, 'stripe'],
    ] as const) {
      await runtime.documentClient.send(
        new PutCommand({
          TableName: creditsTable(),
          Item: {
            customerId,
            caseId,
            amount: 500,
            currency: 'JPY',
            status: 'succeeded',
            provider,
            idempotencyKey: `refund-hub:credit:${caseId}`,
            at: '2026-03-21T00:00:00Z',
            updatedAt: '2026-03-21T00:00:00Z',
          },
        }),
      );
    }

    // Act
    const listed = await admin.request('GET', 'admin/refunds?provider=ledger');
    const { refunds, credits } = await fetchLedgerPayouts(admin, { statuses: ['pending', 'succeeded'] });
    const csv = payoutCsv(
      refunds.filter((r) => r.customerId === customerId),
      credits.filter((c) => c.customerId === customerId),
    );

    // Assess
    expect(listed.status).toBe(200);
    expect(listed.body.refunds).toContainEqual(
      expect.objectContaining({
        customerId,
        chargeId: 'CH-1',
        caseId: created.body.caseId,
        amount: 1499,
        currency: 'USD',
        status: 'succeeded',
        provider: 'ledger',
      }),
    );
    expect(credits.map((c) => c.provider)).not.toContain('stripe');
    const [header, ...rows] = csv.trimEnd().split('\n');
    expect(header).toBe(
      'kind,caseId,customerId,chargeId,amountMinor,amount,currency,status,at,idempotencyKey',
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.startsWith('refund,'))).toMatch(
      new RegExp(`^refund,${created.body.caseId},${customerId},CH-1,1499,14\\.99,USD,succeeded,`),
    );
    expect(rows.find((r) => r.startsWith('credit,'))).toBe(
      `credit,case-${'1'.repeat(32)},${customerId},,500,500,JPY,succeeded,2026-03-21T00:00:00Z,refund-hub:credit:case-${'1'.repeat(32)}`,
    );
  }, 60_000);

  it('pages through a ledger larger than one page, losing no line', async () => {
    // Prepare: 520 charges refunded, more than the 500 items one call reads.
    const customerId = 'C-export-many';
    for (let i = 0; i < 520; i += 40) {
      await Promise.all(
        Array.from({ length: 40 }, (_, k) =>
          runtime.documentClient.send(
            new PutCommand({
              TableName: runtime.tables.refundLedger,
              Item: {
                customerId,
                chargeId: `CH-${i + k}`,
                refundedTotal: 100,
                currency: 'USD',
                [`case:case-${'c'.repeat(32)}`]: { amount: 100, source: 'agent', at: '2026-03-20T12:00:00Z' },
              },
            }),
          ),
        ),
      );
    }

    // Act
    const first = await admin.request('GET', 'admin/refunds');
    const { refunds } = await fetchLedgerPayouts(admin, { statuses: ['succeeded'] });

    // Assess
    expect(typeof first.body.nextToken).toBe('string');
    const mine = refunds.filter((r) => r.customerId === customerId);
    expect(new Set(mine.map((r) => r.chargeId)).size).toBe(520);
  }, 60_000);

  it('filters by status and since, and refuses a bad parameter with a 400', async () => {
    const failedOnly = await admin.request('GET', 'admin/refunds?status=failed');
    const future = await admin.request('GET', 'admin/refunds?since=2099-01-01T00:00:00Z');
    const bad = await admin.request('GET', 'admin/refunds?since=yesterday');
    expect(failedOnly.body.refunds).toEqual([]);
    expect(future.body.refunds).toEqual([]);
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toMatch(/^since: must be an ISO-8601 instant/);
  });
});

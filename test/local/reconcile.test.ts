/**
 * Reconciliation on the embedded runtime with `paymentProvider=stripe`: the real handler, the real
 * ledger, the real Stripe adapter and SDK, against a loopback stand-in that answers
 * `GET /v1/refunds/:id`. Both ways in (the schedule's `{}` and the admin route's API event) give
 * the same report, and nothing in the ledger changes.
 */
import '../../local/quiet.js';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAdminApi } from '../../cli/admin.js';
import type { ReconcileReport } from '../../functions/reconcile/domain.js';
import { ACCOUNT_SK } from '../../functions/shared/accounts.js';
import { ENV } from '../../functions/shared/env.js';
import { applyRefundStatus, reserveRefund } from '../../functions/shared/ledger.js';
import { createLocalAuth } from '../../local/auth.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { startApiServer } from '../../local/server.js';
import { exitCodeOf, reportTable, requestReconciliation } from '../../scripts/reconcile.js';
import { stripeRefund } from '../unit/stripe-fixtures.js';
import { type StripeStandIn, startStripeStandIn } from './stripe-stand-in.js';

const ENTRY = 'functions/reconcile/handler.ts';
const CUSTOMER = 'C-reconcile-1';

let runtime: LocalRuntime;
let stripe: StripeStandIn;

/** A charge and Refund Hub's refund of it; `provider` is what Stripe says now (undefined: no provider call yet). */
async function refundLine(
  chargeId: string,
  ledger: { status: 'pending' | 'succeeded'; providerRefundId?: string; at: string },
  atStripe?: Record<string, unknown>,
) {
  await runtime.documentClient.send(
    new PutCommand({
      TableName: runtime.tables.accounts,
      Item: {
        customerId: CUSTOMER,
        sk: ACCOUNT_SK.charge(chargeId),
        data: { id: chargeId, amount: 2000, currency: 'USD', chargedAt: '2026-03-01T00:00:00Z' },
      },
    }),
  );
  const caseId = `case-${chargeId}`;
  await reserveRefund(
    runtime.documentClient,
    { accountsTable: runtime.tables.accounts, refundLedgerTable: runtime.tables.refundLedger },
    {
      caseId,
      customerId: CUSTOMER,
      chargeId,
      amount: 1500,
      source: 'auto',
      at: ledger.at,
      provider: 'stripe',
    },
  );
  if (ledger.providerRefundId)
    await applyRefundStatus(runtime.documentClient, runtime.tables.refundLedger, {
      customerId: CUSTOMER,
      chargeId,
      caseId,
      providerRefundId: ledger.providerRefundId,
      status: ledger.status,
      at: ledger.at,
    });
  if (atStripe) stripe.refunds.set(String(atStripe.id), atStripe);
  return caseId;
}

const ledgerItems = async () =>
  (
    await runtime.documentClient.send(
      new ScanCommand({ TableName: runtime.tables.refundLedger, ConsistentRead: true }),
    )
  ).Items;

beforeAll(async () => {
  // Prepare
  stripe = await startStripeStandIn();
  runtime = await startLocalRuntime({ context: { 'refundHub:paymentProvider': 'stripe' } });
  // The stand-in, not whatever Stripe the runtime set up (the SDK client is built at its first use, below).
  // Locally the key is in the environment: the template's secret ARNs name nothing here.
  delete process.env[ENV.stripeSecretKeyArn];
  delete process.env[ENV.stripeWebhookSecretArn];
  Object.assign(process.env, { [ENV.stripeSecretKey]: 'sk_test_reconcile', [ENV.stripeApiBase]: stripe.url });
  const old = new Date(Date.now() - 20 * 60_000).toISOString();
  await refundLine(
    'ch_agree',
    { status: 'succeeded', providerRefundId: 're_agree', at: old },
    stripeRefund({ id: 're_agree', amount: 1500, status: 'succeeded' }),
  );
  await refundLine(
    'ch_failed_at_stripe',
    { status: 'pending', providerRefundId: 're_failed', at: old },
    stripeRefund({
      id: 're_failed',
      amount: 1500,
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
    }),
  );
  await refundLine('ch_unknown', { status: 'succeeded', providerRefundId: 're_gone', at: old });
  await refundLine('ch_stuck', { status: 'pending', at: old });
  await refundLine('ch_fresh', { status: 'pending', at: new Date().toISOString() });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await stripe?.close();
});

function expectReport(report: ReconcileReport) {
  expect(report).toMatchObject({ provider: 'stripe', lines: 5, checked: 3, agreed: 1, complete: true });
  expect(
    report.disagreements
      .map((d) => [d.kind, d.chargeId])
      .sort(([, a], [, b]) => String(a).localeCompare(String(b))),
  ).toEqual([
    ['status_differs', 'ch_failed_at_stripe'],
    ['pending_without_provider_refund', 'ch_stuck'],
    ['unknown_at_provider', 'ch_unknown'],
  ]);
}

describe('reconciliation', () => {
  it('scheduled: reports the disagreements (counted for the alarm) and changes nothing in the ledger', async () => {
    // Prepare
    const before = await ledgerItems();

    // Act
    const result = (await runtime.handler(ENTRY)({}, lambdaContext('Reconcile'))) as Record<string, unknown>;

    // Assess
    expect(result).toEqual({ disagreements: 3, checked: 3, agreed: 1, complete: true });
    expect(stripe.requests.filter((r) => r.startsWith('GET /v1/refunds/')).sort()).toEqual([
      'GET /v1/refunds/re_agree',
      'GET /v1/refunds/re_failed',
      'GET /v1/refunds/re_gone',
    ]);
    expect(stripe.requests.every((r) => r.startsWith('GET '))).toBe(true);
    expect(await ledgerItems()).toEqual(before);
  });

  it('POST /v1/admin/reconciliation: the same report as JSON', async () => {
    // Prepare: the event API Gateway gives the function for an IAM-authorized caller.
    const event = {
      httpMethod: 'POST',
      path: '/admin/reconciliation',
      resource: '/admin/reconciliation',
      headers: {},
      body: '{}',
      isBase64Encoded: false,
      requestContext: { identity: { userArn: 'arn:aws:iam::000000000000:user/operator' } },
    } as unknown as APIGatewayProxyEvent;

    // Act
    const response = (await runtime.handler(ENTRY)(
      event,
      lambdaContext('Reconcile'),
    )) as APIGatewayProxyResult;

    // Assess
    expect(response.statusCode).toBe(200);
    const report = JSON.parse(response.body) as ReconcileReport;
    expectReport(report);
    const failed = report.disagreements.find((d) => d.kind === 'status_differs');
    expect(failed).toMatchObject({
      ledger: { status: 'pending', amount: 1500, currency: 'USD' },
      provider: { status: 'failed', failureReason: 'expired_or_canceled_card' },
    });

    // Assess: npm run reconcile prints it as a table and exits 1.
    const table = reportTable(report);
    expect(table).toMatch(/^kind\s+case\s+charge\s+refund\s+ledger\s+provider\s+detail$/m);
    expect(table).toMatch(
      /status_differs\s+case-ch_failed_at_stripe\s+ch_failed_at_stripe\s+re_failed\s+pending 1500 USD\s+failed/,
    );
    expect(table).toContain('5 ledger line(s), 3 checked with stripe, 1 agree, 3 disagreement(s)');
    expect(exitCodeOf(report)).toBe(1);
    expect(exitCodeOf({ ...report, disagreements: [] })).toBe(0);
    expect(exitCodeOf({ ...report, disagreements: [], complete: false })).toBe(1);
  });
});

describe('npm run reconcile through the local API', () => {
  it('an admin gets the report from POST /v1/admin/reconciliation; an agent is refused', async () => {
    // Prepare
    const auth = createLocalAuth({ secret: 'test-secret-reconcile' });
    const api = await startApiServer(runtime, { port: 0, auth });
    try {
      // Act
      const report = await requestReconciliation(
        localAdminApi({ apiUrl: api.baseUrl, adminToken: await auth.adminToken('operator-1') }),
      );

      // Assess
      expectReport(report);
      expect(exitCodeOf(report)).toBe(1);
      const asAgent = localAdminApi({ apiUrl: api.baseUrl, adminToken: await auth.agentToken('agent-1') });
      await expect(requestReconciliation(asAgent)).rejects.toThrow(/refused .*403 forbidden/);
    } finally {
      await api.close();
    }
  });
});

/**
 * The Stripe webhook through the local API (`npm start`'s server): the route from the template (no
 * authorizer, no body model), the real handler verifying (node:crypto) a signature the real SDK made over the body
 * as sent. The Stripe API the handler asks for the customer is a loopback stand-in serving one
 * customer (the emulator is not needed for that).
 */
import '../../local/quiet.js';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SK } from '../../functions/shared/accounts.js';
import { ENV } from '../../functions/shared/env.js';
import { createLocalAuth } from '../../local/auth.js';
import { readCase, runCase, seedAccount } from '../../local/cases.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { type ApiServer, startApiServer } from '../../local/server.js';
import { SIGNING_SECRET, signed, stripeCharge, stripeEvent, stripeRefund } from '../unit/stripe-fixtures.js';
import { type StripeStandIn, startStripeStandIn } from './stripe-stand-in.js';

const CUSTOMER = 'C-stripe-local-1';
const STRIPE_CUSTOMER = 'cus_local_1';

let runtime: LocalRuntime;
let api: ApiServer;
let stripe: StripeStandIn;

beforeAll(async () => {
  // Prepare: a loopback Stripe API that knows one customer, with our metadata.
  stripe = await startStripeStandIn();
  stripe.customers.set(STRIPE_CUSTOMER, {
    id: STRIPE_CUSTOMER,
    object: 'customer',
    metadata: { refundHubCustomerId: CUSTOMER },
    email: null,
    name: 'Pat',
  });
  runtime = await startLocalRuntime();
  // Locally the values are in the environment (the template's secret ARNs name nothing here); set after the
  // start, so they are these whatever the runtime set up. The handler reads them at its first delivery.
  delete process.env[ENV.stripeSecretKeyArn];
  delete process.env[ENV.stripeWebhookSecretArn];
  Object.assign(process.env, {
    [ENV.stripeSecretKey]: 'sk_test_local_refund_hub',
    [ENV.stripeWebhookSecret]: SIGNING_SECRET,
    [ENV.stripeApiBase]: stripe.url,
  });
  api = await startApiServer(runtime, {
    port: 0,
    auth: createLocalAuth({ secret: 'test-secret-stripe-webhook' }),
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
  await stripe?.close();
});

const post = (body: string, headers: Record<string, string>) =>
  fetch(`${api.baseUrl}/integrations/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body,
  });

const accountItems = async () =>
  (
    await runtime.documentClient.send(
      new ScanCommand({
        TableName: runtime.tables.accounts,
        FilterExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': CUSTOMER },
      }),
    )
  ).Items ?? [];

describe('POST /v1/integrations/stripe/webhook on the local server', () => {
  it('is served without an authorizer', () => {
    const route = api.routes.find((r) => r.resourcePath === '/integrations/stripe/webhook');
    expect(route).toMatchObject({ httpMethod: 'POST', authorizationType: 'NONE' });
    expect(route?.requestSchema).toBeUndefined();
  });

  it('an unsigned POST is a 400 signature_missing and writes nothing', async () => {
    const response = await post(JSON.stringify(stripeEvent('charge.succeeded', stripeCharge())), {});
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'signature_missing' } });
    expect(await accountItems()).toEqual([]);
  });

  it('a signed charge.succeeded upserts the charge on the customer the Stripe customer names (body byte for byte)', async () => {
    // Prepare: pretty-printed, with non-ASCII text: any re-serialisation on the way would break the signature.
    const charge = stripeCharge({
      customer: STRIPE_CUSTOMER,
      amount: 2599,
      currency: 'eur',
      description: 'Abonnement Prämie – März',
      metadata: { orderId: 'ORD-local-1' },
    });
    const { payload, header } = await signed(
      stripeEvent('charge.succeeded', charge, Math.floor(Date.now() / 1000)),
    );

    // Act
    const response = await post(payload, { 'stripe-signature': header });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: true });
    const stored = await runtime.documentClient.send(
      new GetCommand({
        TableName: runtime.tables.accounts,
        Key: { customerId: CUSTOMER, sk: ACCOUNT_SK.charge(charge.id) },
      }),
    );
    expect(stored.Item?.data).toEqual({
      id: charge.id,
      amount: 2599,
      currency: 'EUR',
      chargedAt: expect.stringMatching(/Z$/),
      paymentIntentId: 'pi_1',
      orderId: 'ORD-local-1',
    });
    expect(stripe.requests).toContain(`GET /v1/customers/${STRIPE_CUSTOMER}`);

    // Act / Assess: Stripe sends it again; it is answered as a duplicate.
    const again = await post(payload, { 'stripe-signature': header });
    expect(await again.json()).toEqual({ received: true, duplicate: true });
  });
});

describe('the handler', () => {
  it('verifies a body API Gateway passed base64-encoded (a binary media type) over its decoded bytes', async () => {
    const charge = stripeCharge({ customer: STRIPE_CUSTOMER });
    const { payload, header } = await signed(
      stripeEvent('charge.succeeded', charge, Math.floor(Date.now() / 1000)),
    );
    const event = {
      httpMethod: 'POST',
      path: '/integrations/stripe/webhook',
      resource: '/integrations/stripe/webhook',
      headers: { 'Stripe-Signature': header },
      body: Buffer.from(payload, 'utf8').toString('base64'),
      isBase64Encoded: true,
      requestContext: {},
    } as unknown as APIGatewayProxyEvent;
    const result = (await runtime.handler('functions/stripe-webhook/handler.ts')(
      event,
      lambdaContext('StripeWebhook'),
    )) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(200);
    const stored = await runtime.documentClient.send(
      new GetCommand({
        TableName: runtime.tables.accounts,
        Key: { customerId: CUSTOMER, sk: ACCOUNT_SK.charge(charge.id) },
      }),
    );
    expect(stored.Item?.data).toMatchObject({ id: charge.id, amount: 1499 });
  });
});

describe('a refund Stripe fails after the case was answered', () => {
  it('is handed to billing by a follow-up execution, and the customer is told', async () => {
    // Prepare: a case Refund Hub answered with an automatic refund (a charge after the cancellation).
    const customerId = 'C-stripe-local-2';
    await seedAccount(runtime, {
      profile: { id: customerId, phone: '+12065550123' },
      subscriptions: [
        { id: 'SUB-1', plan: 'prime-monthly', status: 'cancelled', cancelledAt: '2026-03-10T10:00:00Z' },
      ],
      charges: [
        {
          id: 'CH-after',
          subscriptionId: 'SUB-1',
          amount: 1499,
          currency: 'USD',
          chargedAt: '2026-03-15T08:00:00Z',
        },
      ],
      orders: [],
    });
    const run = await runCase(runtime, {
      customerId,
      message: 'I cancelled Prime, please refund my last payment',
      now: new Date('2026-03-20T12:00:00Z'),
    });
    expect(run.record).toMatchObject({ outcome: 'auto_refunded' });
    const refund = stripeRefund({
      amount: 1499,
      charge: 'CH-after',
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
      metadata: { caseId: run.caseId, refundHubCustomerId: customerId, chargeId: 'CH-after' },
    });
    const { payload, header } = await signed(
      stripeEvent('refund.failed', refund, Math.floor(Date.now() / 1000)),
    );

    // Act
    const response = await post(payload, { 'stripe-signature': header });

    // Assess
    expect(response.status).toBe(200);
    await expect
      .poll(async () => (await readCase(runtime, run.caseId)).status, { timeout: 20_000 })
      .toBe('awaiting_agent');
    const record = await readCase(runtime, run.caseId);
    expect(record.followUp).toMatchObject({ kind: 'refund_failed' });
    expect(record.timeline.map((e) => e.step)).toContain('refund_failed');
    const messages = await runtime.documentClient.send(
      new QueryCommand({
        TableName: runtime.tables.messages,
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': customerId },
      }),
    );
    expect(messages.Items?.map((m) => m.messageKey)).toContain(`${run.caseId}#refund_failed:CH-after`);
    const ledger = await runtime.documentClient.send(
      new GetCommand({ TableName: runtime.tables.refundLedger, Key: { customerId, chargeId: 'CH-after' } }),
    );
    expect(ledger.Item?.refundedTotal).toBe(0);
    expect(ledger.Item?.[`case:${run.caseId}`]).toMatchObject({
      status: 'failed',
      providerRefundId: refund.id,
    });
    if (record.followUp?.executionName) runtime.executor.stop(record.followUp.executionName);
  });
});

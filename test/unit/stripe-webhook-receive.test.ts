/**
 * One webhook delivery at a time, on the local DynamoDB (dynalite, the template's tables), with the
 * headers the real SDK signs (verified by functions/shared/payments/webhook-signature.ts) and the real ledger.
 * Stripe's customer look-up and the hand-off of a failed refund are fakes that record what they were asked.
 */
import '../../local/quiet.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_SK } from '../../functions/shared/accounts.js';
import { ENV } from '../../functions/shared/env.js';
import { applyRefundStatus, reserveRefund } from '../../functions/shared/ledger.js';
import { logger } from '../../functions/shared/logger.js';
import type { SettledRefund } from '../../functions/shared/refund-notices.js';
import type { Charge } from '../../functions/shared/types.js';
import type { StripeCustomerView } from '../../functions/stripe-webhook/domain.js';
import { receiveWebhook, type WebhookDeps } from '../../functions/stripe-webhook/receive.js';
import { signForEmulators } from '../../local/emulator-signing.js';
import { type Emulators, LOCAL_CREDENTIALS, startEmulators } from '../../local/emulators.js';
import { LOCAL_REGION, loadTopology } from '../../local/template.js';
import {
  invoicePayment,
  SIGNING_SECRET,
  signed,
  stripeCharge,
  stripeEvent,
  stripeInvoice,
  stripeRefund,
  stripeSubscription,
  T0,
} from './stripe-fixtures.js';

let emulators: Emulators;
let client: DynamoDBDocumentClient;
let tables: WebhookDeps['tables'];

beforeAll(async () => {
  const topology = loadTopology();
  emulators = await startEmulators(topology);
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: emulators.dynamodbEndpoint,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  signForEmulators([client]);
  const webhook = topology.functions.find((f) => f.entry === 'functions/stripe-webhook/handler.ts');
  if (!webhook) throw new Error('no webhook function in the template');
  tables = {
    accountsTable: webhook.environment[ENV.accountsTable] as string,
    refundLedgerTable: webhook.environment[ENV.refundLedgerTable] as string,
    integrationEventsTable: webhook.environment[ENV.integrationEventsTable] as string,
  };
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await emulators?.stop();
});

let n = 0;
/** A fresh customer (ours and at Stripe) per test, so no state leaks between tests. */
function newCustomer() {
  n += 1;
  return { customerId: `C-hook-${process.pid}-${n}`, stripeCustomerId: `cus_hook_${process.pid}_${n}` };
}

interface Fakes {
  readonly customers: Map<string, StripeCustomerView>;
  readonly intents: Map<string, string>;
  /** `GET /v1/invoice_payments?invoice=`, by invoice id. */
  readonly invoicePayments: Map<string, { paymentIntentId: string; amount: number }[]>;
  readonly handOffs: SettledRefund[];
  readonly confirmations: SettledRefund[];
  /** Throws once from the named dependency, then behaves. */
  failOnce?: 'stripeCustomer' | 'handOffFailedRefund' | 'applyRefundStatus';
  /** The receiving clock (the signature's age is measured against it). */
  nowSeconds: number;
}

let fakes: Fakes;
beforeEach(() => {
  fakes = {
    customers: new Map(),
    intents: new Map(),
    invoicePayments: new Map(),
    handOffs: [],
    confirmations: [],
    nowSeconds: T0 + 5,
  };
});

const faultOnce = (name: NonNullable<Fakes['failOnce']>) => {
  if (fakes.failOnce === name) {
    fakes.failOnce = undefined;
    throw Object.assign(new Error(`injected fault in ${name}`), { name: 'InjectedFault' });
  }
};

const deps = (): WebhookDeps => ({
  client,
  tables,
  signingSecret: async () => SIGNING_SECRET,
  toleranceSeconds: 300,
  stripeCustomer: async (id) => {
    faultOnce('stripeCustomer');
    return fakes.customers.get(id) ?? null;
  },
  chargeOfPaymentIntent: async (id) => fakes.intents.get(id) ?? null,
  invoicePayments: async (id) => fakes.invoicePayments.get(id) ?? [],
  applyRefundStatus: (change) => {
    faultOnce('applyRefundStatus');
    return applyRefundStatus(client, tables.refundLedgerTable, change);
  },
  handOffFailedRefund: async (refund) => {
    faultOnce('handOffFailedRefund');
    fakes.handOffs.push(refund);
  },
  confirmRefund: async (refund) => {
    fakes.confirmations.push(refund);
  },
  now: () => new Date(fakes.nowSeconds * 1000),
  log: logger,
});

async function deliver(
  event: unknown,
  options: { timestamp?: number; secret?: string; header?: string | null } = {},
) {
  const { payload, header } = await signed(event, {
    timestamp: options.timestamp ?? fakes.nowSeconds - 1,
    ...(options.secret ? { secret: options.secret } : {}),
  });
  const sent = options.header === null ? undefined : (options.header ?? header);
  return receiveWebhook(deps(), Buffer.from(payload, 'utf8'), sent);
}

/** Stripe's customer with our metadata. */
function stripeCustomerFor(c: ReturnType<typeof newCustomer>, extra: Partial<StripeCustomerView> = {}) {
  fakes.customers.set(c.stripeCustomerId, {
    id: c.stripeCustomerId,
    metadata: { refundHubCustomerId: c.customerId },
    email: 'pat@example.com',
    ...extra,
  });
}

async function item(customerId: string, sk: string) {
  return (
    await client.send(
      new GetCommand({ TableName: tables.accountsTable, Key: { customerId, sk }, ConsistentRead: true }),
    )
  ).Item;
}

async function partition(customerId: string) {
  const result = await client.send(
    new ScanCommand({
      TableName: tables.accountsTable,
      FilterExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
}

async function eventRecord(eventId: string) {
  return (
    await client.send(
      new GetCommand({ TableName: tables.integrationEventsTable, Key: { eventId }, ConsistentRead: true }),
    )
  ).Item;
}

async function ledgerItem(customerId: string, chargeId: string) {
  return (
    await client.send(
      new GetCommand({
        TableName: tables.refundLedgerTable,
        Key: { customerId, chargeId },
        ConsistentRead: true,
      }),
    )
  ).Item;
}

/** A charge in the account and a Stripe refund Refund Hub made on it (the ledger line, then the provider's answer). */
async function refundedByRefundHub(c: ReturnType<typeof newCustomer>, status: 'pending' | 'succeeded') {
  const charge: Charge = {
    id: `ch_${c.customerId}`,
    amount: 2000,
    currency: 'USD',
    chargedAt: '2026-03-01T00:00:00Z',
  };
  await client.send(
    new PutCommand({
      TableName: tables.accountsTable,
      Item: { customerId: c.customerId, sk: ACCOUNT_SK.charge(charge.id), data: charge },
    }),
  );
  const caseId = `case-${c.customerId}`;
  await reserveRefund(client, tables, {
    caseId,
    customerId: c.customerId,
    chargeId: charge.id,
    amount: 1500,
    source: 'auto',
    at: '2026-03-15T11:00:00Z',
    provider: 'stripe',
  });
  const refund = stripeRefund({
    amount: 1500,
    charge: charge.id,
    status,
    metadata: { caseId, refundHubCustomerId: c.customerId, chargeId: charge.id },
  });
  await applyRefundStatus(client, tables.refundLedgerTable, {
    customerId: c.customerId,
    chargeId: charge.id,
    caseId,
    providerRefundId: refund.id,
    status,
    at: '2026-03-15T11:00:01Z',
  });
  return { charge, caseId, refund };
}

describe('signatures', () => {
  it('a good signature: 200, the charge is upserted and the profile names the Stripe customer', async () => {
    // Prepare
    const c = newCustomer();
    stripeCustomerFor(c);
    const charge = stripeCharge({ customer: c.stripeCustomerId, metadata: { orderId: 'ORD-1' } });

    // Act
    const response = await deliver(stripeEvent('charge.succeeded', charge));

    // Assess
    expect(response.statusCode).toBe(200);
    expect((await item(c.customerId, ACCOUNT_SK.charge(charge.id)))?.data).toEqual({
      id: charge.id,
      amount: 1499,
      currency: 'USD',
      chargedAt: '2026-03-15T12:00:00.000Z',
      paymentIntentId: 'pi_1',
      orderId: 'ORD-1',
    });
    expect((await item(c.customerId, ACCOUNT_SK.profile))?.data).toEqual({
      id: c.customerId,
      stripeCustomerId: c.stripeCustomerId,
      email: 'pat@example.com',
    });
  });

  it.each([
    ['missing', { header: null }, 'signature_missing'],
    ['made with another secret', { secret: 'whsec_not_ours' }, 'signature_invalid'],
    ['garbage', { header: 't=1,v1=00' }, 'signature_invalid'],
    ['older than the tolerance', { timestamp: T0 + 5 - 301 }, 'signature_stale'],
    ['further ahead than the tolerance', { timestamp: T0 + 5 + 301 }, 'signature_stale'],
  ] as const)('a signature %s: 400 %s, and nothing changes', async (_label, options, code) => {
    // Prepare
    const c = newCustomer();
    stripeCustomerFor(c);
    const event = stripeEvent('charge.succeeded', stripeCharge({ customer: c.stripeCustomerId }));

    // Act
    const response = await deliver(event, options);

    // Assess
    expect(response).toMatchObject({ statusCode: 400, body: { error: { code } } });
    expect(await partition(c.customerId)).toEqual([]);
    expect(await eventRecord(event.id)).toBeUndefined();
  });

  it('a body changed after signing is signature_invalid', async () => {
    const c = newCustomer();
    stripeCustomerFor(c);
    const { payload, header } = await signed(
      stripeEvent('charge.succeeded', stripeCharge({ customer: c.stripeCustomerId })),
      {
        timestamp: fakes.nowSeconds,
      },
    );
    const response = await receiveWebhook(
      deps(),
      Buffer.from(payload.replace('"amount": 1499', '"amount": 1')),
      header,
    );
    expect(response).toMatchObject({ statusCode: 400, body: { error: { code: 'signature_invalid' } } });
    expect(await partition(c.customerId)).toEqual([]);
  });
  it('a signed body that is not JSON is a 400 invalid_json, and nothing is claimed', async () => {
    const payload = '{"id": "evt_not_json",';
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: SIGNING_SECRET,
      timestamp: fakes.nowSeconds,
    });
    const response = await receiveWebhook(deps(), Buffer.from(payload), header);
    expect(response).toMatchObject({ statusCode: 400, body: { error: { code: 'invalid_json' } } });
    expect(await eventRecord('evt_not_json')).toBeUndefined();
  });
});

describe('event idempotency', () => {
  it('the same event twice: the second answers duplicate and writes nothing (the items keep their revision)', async () => {
    // Prepare
    const c = newCustomer();
    stripeCustomerFor(c);
    const event = stripeEvent('charge.succeeded', stripeCharge({ customer: c.stripeCustomerId }));
    expect((await deliver(event)).statusCode).toBe(200);
    const before = await partition(c.customerId);
    const record = await eventRecord(event.id);

    // Act
    const again = await deliver(event);

    // Assess
    expect(again).toEqual({ statusCode: 200, body: { received: true, duplicate: true } });
    expect(await partition(c.customerId)).toEqual(before);
    expect(await eventRecord(event.id)).toEqual(record);
    expect(record).toMatchObject({
      status: 'done',
      attempts: 1,
      source: 'stripe',
      eventType: 'charge.succeeded',
    });
    expect(record?.expiresAt).toBe(fakes.nowSeconds + 30 * 86_400);
  });

  it('a delivery while another is working on the event: 409, nothing done; a claim left over a minute is retaken', async () => {
    // Prepare: a claim as a crashed delivery leaves it.
    const c = newCustomer();
    stripeCustomerFor(c);
    const event = stripeEvent('charge.succeeded', stripeCharge({ customer: c.stripeCustomerId }));
    await client.send(
      new PutCommand({
        TableName: tables.integrationEventsTable,
        Item: {
          eventId: event.id,
          status: 'processing',
          claimedAt: new Date((fakes.nowSeconds - 30) * 1000).toISOString(),
          attempts: 1,
        },
      }),
    );

    // Act / Assess: 30 s old, so still someone else's.
    expect(await deliver(event)).toMatchObject({
      statusCode: 409,
      body: { error: { code: 'event_in_progress' } },
    });
    expect(await partition(c.customerId)).toEqual([]);

    // Act / Assess: a minute later it is taken to be a crash, and the work is done.
    fakes.nowSeconds += 60;
    expect((await deliver(event)).statusCode).toBe(200);
    expect(await partition(c.customerId)).toHaveLength(2);
    expect(await eventRecord(event.id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('an event type Refund Hub does not act on: 200 ignored, no record', async () => {
    const event = stripeEvent('payout.paid', { id: 'po_1', object: 'payout' });
    expect(await deliver(event)).toEqual({ statusCode: 200, body: { received: true, ignored: true } });
    expect(await eventRecord(event.id)).toBeUndefined();
  });

  it('a customer without metadata.refundHubCustomerId: ignored, the event done, no account written', async () => {
    const c = newCustomer();
    fakes.customers.set(c.stripeCustomerId, { id: c.stripeCustomerId, metadata: {} });
    const event = stripeEvent('charge.succeeded', stripeCharge({ customer: c.stripeCustomerId }));
    const response = await deliver(event);
    expect(response.statusCode).toBe(200);
    expect(String(response.body.outcome)).toMatch(/^ignored/);
    expect(await partition(c.customerId)).toEqual([]);
    expect(await eventRecord(event.id)).toMatchObject({ status: 'done' });
  });
});

describe('faults', () => {
  it('a fault mid-way fails the delivery (Stripe redelivers); the redelivery converges to what one delivery does', async () => {
    // Prepare
    const c = newCustomer();
    stripeCustomerFor(c);
    const event = stripeEvent(
      'customer.subscription.created',
      stripeSubscription({ customer: c.stripeCustomerId }),
    );
    fakes.failOnce = 'stripeCustomer';

    // Act / Assess: the fault is a failed delivery, and the claim says so.
    await expect(deliver(event)).rejects.toThrow(/injected fault/);
    expect(await eventRecord(event.id)).toMatchObject({ status: 'failed' });
    expect(await partition(c.customerId)).toEqual([]);

    // Act / Assess: the redelivery does the work once.
    expect((await deliver(event)).statusCode).toBe(200);
    const items = await partition(c.customerId);
    expect(items.map((i) => i.sk)).toEqual([
      ACCOUNT_SK.profile,
      ACCOUNT_SK.subscription(event.data.object.id),
    ]);
    expect(items.map((i) => i.revision)).toEqual([1, 1]);
    expect(await eventRecord(event.id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a crash after the ledger moved and before the hand-off: the redelivery still hands the case off, once', async () => {
    // Prepare
    const c = newCustomer();
    const { charge, caseId, refund } = await refundedByRefundHub(c, 'succeeded');
    const failed = { ...refund, status: 'failed', failure_reason: 'expired_or_canceled_card' };
    const event = stripeEvent('refund.failed', failed, T0);
    fakes.failOnce = 'handOffFailedRefund';

    // Act
    await expect(deliver(event)).rejects.toThrow(/injected fault/);
    const after = await ledgerItem(c.customerId, charge.id);
    expect(after?.[`case:${caseId}`]).toMatchObject({ status: 'failed' });
    const redelivered = await deliver(event);

    // Assess
    expect(redelivered.statusCode).toBe(200);
    expect(fakes.handOffs).toHaveLength(1);
    expect((await ledgerItem(c.customerId, charge.id))?.refundedTotal).toBe(0);
  });
});

describe('refund statuses', () => {
  it('succeeded → failed: the line fails, gives its amount back, and the case is handed to a person', async () => {
    // Prepare
    const c = newCustomer();
    const { charge, caseId, refund } = await refundedByRefundHub(c, 'succeeded');
    expect((await ledgerItem(c.customerId, charge.id))?.refundedTotal).toBe(1500);

    // Act
    const response = await deliver(
      stripeEvent('charge.refund.updated', {
        ...refund,
        status: 'failed',
        failure_reason: 'expired_or_canceled_card',
      }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    const line = await ledgerItem(c.customerId, charge.id);
    expect(line?.refundedTotal).toBe(0);
    expect(line?.[`case:${caseId}`]).toMatchObject({
      status: 'failed',
      failureReason: 'expired_or_canceled_card',
    });
    expect(fakes.handOffs).toEqual([
      {
        caseId,
        customerId: c.customerId,
        chargeId: charge.id,
        amount: 1500,
        currency: 'USD',
        failureReason: 'expired_or_canceled_card',
        at: '2026-03-15T12:00:05.000Z',
      },
    ]);
  });

  it('refund.failed and refund.updated for the same failure: one hand-off', async () => {
    const c = newCustomer();
    const { refund } = await refundedByRefundHub(c, 'pending');
    const failed = { ...refund, status: 'failed', failure_reason: 'lost_or_stolen_card' };
    await deliver(stripeEvent('refund.failed', failed));
    await deliver(stripeEvent('refund.updated', failed));
    expect(fakes.handOffs).toHaveLength(1);
  });

  it('pending → succeeded: the line follows and the customer is told once; an older pending event after it changes nothing', async () => {
    const c = newCustomer();
    const { charge, caseId, refund } = await refundedByRefundHub(c, 'pending');
    await deliver(stripeEvent('refund.updated', { ...refund, status: 'succeeded' }, T0 + 10));
    await deliver(stripeEvent('refund.updated', { ...refund, status: 'pending' }, T0));
    const line = await ledgerItem(c.customerId, charge.id);
    expect(line?.[`case:${caseId}`]).toMatchObject({ status: 'succeeded' });
    expect(line?.refundedTotal).toBe(1500);
    expect(fakes.handOffs).toEqual([]);
    expect(fakes.confirmations).toEqual([
      expect.objectContaining({ caseId, chargeId: charge.id, amount: 1500, currency: 'USD' }),
    ]);
  });

  it('a refund made outside Refund Hub (no metadata) changes no ledger line', async () => {
    const c = newCustomer();
    const { charge, caseId } = await refundedByRefundHub(c, 'succeeded');
    const response = await deliver(
      stripeEvent('refund.updated', stripeRefund({ charge: charge.id, status: 'failed' })),
    );
    expect(String(response.body.outcome)).toMatch(/^ignored/);
    expect((await ledgerItem(c.customerId, charge.id))?.[`case:${caseId}`]).toMatchObject({
      status: 'succeeded',
    });
  });
});

describe('refunds made outside Refund Hub (charge.refunded)', () => {
  it('refundedAmount is what the listed refunds without our caseId hold', async () => {
    const c = newCustomer();
    stripeCustomerFor(c);
    const charge = stripeCharge({
      customer: c.stripeCustomerId,
      amount: 5000,
      amount_refunded: 3000,
      refunds: {
        object: 'list',
        has_more: false,
        data: [
          stripeRefund({ amount: 1000, metadata: {} }),
          stripeRefund({ amount: 2000, metadata: { caseId: 'case-x', refundHubCustomerId: c.customerId } }),
        ],
      },
    });
    await deliver(stripeEvent('charge.refunded', charge));
    expect((await item(c.customerId, ACCOUNT_SK.charge(charge.id)))?.data).toMatchObject({
      amount: 5000,
      refundedAmount: 1000,
    });
  });

  it('without the list: amount_refunded minus what the ledger holds on the charge', async () => {
    // Prepare: Refund Hub refunded 1500 of the 2000 charge; Stripe reports 1800 refunded in all.
    const c = newCustomer();
    stripeCustomerFor(c);
    const { charge } = await refundedByRefundHub(c, 'succeeded');
    const snapshot = stripeCharge({
      id: charge.id,
      customer: c.stripeCustomerId,
      amount: 2000,
      amount_refunded: 1800,
      refunds: null,
    });

    // Act
    await deliver(stripeEvent('charge.refunded', snapshot));

    // Assess
    expect((await item(c.customerId, ACCOUNT_SK.charge(charge.id)))?.data).toMatchObject({
      refundedAmount: 300,
    });
  });
});

describe('account upserts', () => {
  it('subscription events out of order: an older created after a newer updated changes nothing', async () => {
    // Prepare
    const c = newCustomer();
    stripeCustomerFor(c);
    const active = stripeSubscription({ customer: c.stripeCustomerId });
    const cancelled = { ...active, cancel_at_period_end: true, canceled_at: T0 + 100 };

    // Act
    await deliver(stripeEvent('customer.subscription.updated', cancelled, T0 + 100));
    await deliver(stripeEvent('customer.subscription.created', active, T0));

    // Assess
    const stored = await item(c.customerId, ACCOUNT_SK.subscription(active.id));
    expect(stored?.data).toEqual({
      id: active.id,
      plan: 'prime-monthly',
      status: 'cancelled',
      cancelledAt: new Date((T0 + 100) * 1000).toISOString(),
      cancellationEffectiveAt: new Date((T0 + 31 * 86_400) * 1000).toISOString(),
    });
    expect(stored?.updatedFromEventAt).toBe(new Date((T0 + 100) * 1000).toISOString());
  });

  it('invoice.paid links the charge (found by its payment intent) to the subscription and the line’s period', async () => {
    const c = newCustomer();
    stripeCustomerFor(c);
    const charge = stripeCharge({ customer: c.stripeCustomerId, payment_intent: `pi_${c.customerId}` });
    await deliver(stripeEvent('charge.succeeded', charge, T0));
    const invoice = stripeInvoice(
      { customer: c.stripeCustomerId },
      { subscription: 'sub_77', payments: [invoicePayment({ payment_intent: `pi_${c.customerId}` })] },
    );
    await deliver(stripeEvent('invoice.paid', invoice, T0 + 60));
    expect((await item(c.customerId, ACCOUNT_SK.charge(charge.id)))?.data).toMatchObject({
      id: charge.id,
      amount: 1499,
      subscriptionId: 'sub_77',
      billingPeriodStart: '2026-03-15T12:00:00.000Z',
    });
  });

  it('invoice.paid before charge.succeeded: the charge is made from the invoice, then gets its own facts', async () => {
    const c = newCustomer();
    stripeCustomerFor(c);
    const charge = stripeCharge({
      customer: c.stripeCustomerId,
      payment_intent: `pi_${c.customerId}`,
      created: T0 + 30,
    });
    fakes.intents.set(`pi_${c.customerId}`, charge.id);
    const invoice = stripeInvoice(
      { customer: c.stripeCustomerId },
      { payments: [invoicePayment({ payment_intent: `pi_${c.customerId}` })] },
    );
    await deliver(stripeEvent('invoice.paid', invoice, T0 + 60));
    expect((await item(c.customerId, ACCOUNT_SK.charge(charge.id)))?.data).toMatchObject({
      subscriptionId: 'sub_1',
    });
    await deliver(stripeEvent('charge.succeeded', charge, T0 + 31));
    expect((await item(c.customerId, ACCOUNT_SK.charge(charge.id)))?.data).toEqual({
      id: charge.id,
      amount: 1499,
      currency: 'USD',
      chargedAt: new Date((T0 + 30) * 1000).toISOString(),
      paymentIntentId: `pi_${c.customerId}`,
      subscriptionId: 'sub_1',
      billingPeriodStart: '2026-03-15T12:00:00.000Z',
    });
  });

  it('invoice.paid without payments in the payload (the webhook default): the invoice’s payments are listed', async () => {
    const c = newCustomer();
    stripeCustomerFor(c);
    const charge = stripeCharge({ customer: c.stripeCustomerId, payment_intent: `pi_${c.customerId}` });
    fakes.intents.set(`pi_${c.customerId}`, charge.id);
    const { payments: _, ...invoice } = stripeInvoice(
      { customer: c.stripeCustomerId },
      { subscription: 'sub_listed' },
    );
    fakes.invoicePayments.set(invoice.id, [{ paymentIntentId: `pi_${c.customerId}`, amount: 1499 }]);
    await deliver(stripeEvent('invoice.paid', invoice, T0 + 60));
    expect((await item(c.customerId, ACCOUNT_SK.charge(charge.id)))?.data).toMatchObject({
      subscriptionId: 'sub_listed',
      billingPeriodStart: '2026-03-15T12:00:00.000Z',
    });
  });

  it('an upsert never lowers a refundedAmount already stored (an operator import, say)', async () => {
    const c = newCustomer();
    stripeCustomerFor(c);
    const charge = stripeCharge({ customer: c.stripeCustomerId });
    await client.send(
      new PutCommand({
        TableName: tables.accountsTable,
        Item: {
          customerId: c.customerId,
          sk: ACCOUNT_SK.charge(charge.id),
          data: {
            id: charge.id,
            amount: 1499,
            currency: 'USD',
            chargedAt: '2026-03-15T12:00:00Z',
            refundedAmount: 499,
          },
        },
      }),
    );
    await deliver(stripeEvent('charge.succeeded', charge));
    expect((await item(c.customerId, ACCOUNT_SK.charge(charge.id)))?.data).toMatchObject({
      refundedAmount: 499,
    });
  });
});

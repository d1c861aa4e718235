/**
 * The local Stripe emulator, driven by the real `stripe` SDK (v23, API 2026-10-28.endive): refunds and
 * their errors, idempotency, faults and the SDK's retries, balance transactions, search, and signed
 * webhooks that `stripe.webhooks.constructEvent` accepts.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type StripeEmulator,
  startStripeEmulator,
  stripeClientFor,
} from '../../local/stripe-emulator/index.js';

let emulator: StripeEmulator;
let stripe: Stripe;
let customerId: string;
let sequence = 0;

/** A fresh charge of `amount` for the test customer (ids like the ones Refund Hub imports). */
function charge(amount = 2000, extra: Partial<Parameters<StripeEmulator['seedCharge']>[0]> = {}) {
  sequence += 1;
  return emulator.seedCharge({
    customer: customerId,
    id: `ch_test_${sequence}`,
    amount,
    currency: 'USD',
    ...extra,
  });
}

/** The Stripe error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to fail');
}

interface Received {
  readonly event: Stripe.Event;
}
let webhookServer: Server;
let received: Received[] = [];
let webhookStatus = 200;

function eventAt(index: number): Stripe.Event {
  const entry = received[index];
  if (!entry)
    throw new Error(`no event #${index} received (got ${received.map((r) => r.event.type).join(', ')})`);
  return entry.event;
}

beforeAll(async () => {
  emulator = await startStripeEmulator({ webhookRetryDelaysMs: [20, 40] });
  stripe = stripeClientFor(emulator, { maxNetworkRetries: 2 });
  customerId = emulator.seedCustomer({
    refundHubCustomerId: 'C-1001',
    name: 'Ada',
    email: 'ada@example.com',
  }).id;

  webhookServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      try {
        const event = stripe.webhooks.constructEvent(
          payload,
          req.headers['stripe-signature'] as string,
          emulator.webhookSecret,
        );
        if (webhookStatus === 200) received.push({ event });
        res.writeHead(webhookStatus).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => webhookServer.listen(0, '127.0.0.1', () => resolve()));
  emulator.addWebhookUrl(`http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/webhook`);
});

afterEach(async () => {
  emulator.clearFaults();
  emulator.setAccount({ insufficientBalance: false, refundsStartPending: false });
  webhookStatus = 200;
  await emulator.flush();
  received = [];
});

afterAll(async () => {
  await emulator?.stop();
  await new Promise<void>((resolve) => webhookServer?.close(() => resolve()));
});

describe('keys', () => {
  it('are shaped as Stripe issues them, and a wrong key is a 401', async () => {
    expect(emulator.apiKey).toMatch(/^sk_test_[A-Za-z0-9]{24,}$/);
    expect(emulator.webhookSecret).toMatch(/^whsec_[A-Za-z0-9]{32,}$/);
    const other = new Stripe('sk_test_000000000000000000000000', {
      host: emulator.host,
      port: emulator.port,
      protocol: 'http',
    });
    const error = await rejection(other.customers.retrieve(customerId));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
  });
});

describe('refunds', () => {
  it('refunds the remainder by default, with the fields and metadata the SDK reads', async () => {
    const ch = charge(1499);
    const refund = await stripe.refunds.create({ charge: ch.id, metadata: { caseId: 'case-1' } });
    expect(refund).toMatchObject({
      object: 'refund',
      amount: 1499,
      currency: 'usd',
      charge: ch.id,
      status: 'succeeded',
      metadata: { caseId: 'case-1' },
    });
    expect(refund.id).toMatch(/^re_/);
    expect(refund.lastResponse.requestId).toMatch(/^req_/);
    const after = await stripe.charges.retrieve(ch.id, { expand: ['refunds'] });
    expect(after).toMatchObject({
      amount_refunded: 1499,
      refunded: true,
      currency: 'usd',
      customer: customerId,
    });
    expect(after.refunds?.data.map((r) => r.id)).toEqual([refund.id]);
  });

  it('replays the saved response for the same key and params: one refund', async () => {
    const ch = charge(2000);
    const first = await stripe.refunds.create({ charge: ch.id, amount: 500 }, { idempotencyKey: 'k-replay' });
    const again = await stripe.refunds.create({ charge: ch.id, amount: 500 }, { idempotencyKey: 'k-replay' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    const list = await stripe.refunds.list({ charge: ch.id });
    expect(list.data).toHaveLength(1);
    expect((await stripe.charges.retrieve(ch.id)).amount_refunded).toBe(500);
  });

  it('refuses the same key with a changed amount (StripeIdempotencyError)', async () => {
    const ch = charge(2000);
    await stripe.refunds.create({ charge: ch.id, amount: 500 }, { idempotencyKey: 'k-changed' });
    const error = await rejection(
      stripe.refunds.create({ charge: ch.id, amount: 600 }, { idempotencyKey: 'k-changed' }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.message).toMatch(/can only be used with the same parameters/);
    expect((await stripe.refunds.list({ charge: ch.id })).data).toHaveLength(1);
  });

  it('answers 409 idempotency_key_in_use while the first request with the key still runs', async () => {
    const ch = charge(2000);
    emulator.injectFault({ pathPrefix: '/v1/refunds', method: 'POST', status: 'delay', delayMs: 300 });
    const first = stripe.refunds.create({ charge: ch.id, amount: 100 }, { idempotencyKey: 'k-busy' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await rejection(
      stripe.refunds.create(
        { charge: ch.id, amount: 100 },
        { idempotencyKey: 'k-busy', maxNetworkRetries: 0 },
      ),
    );
    expect({ status: error.statusCode, code: error.code }).toEqual({
      status: 409,
      code: 'idempotency_key_in_use',
    });
    const done = await first;
    expect((await stripe.refunds.list({ charge: ch.id })).data.map((r) => r.id)).toEqual([done.id]);
  });

  it('refuses what Stripe refuses, with its codes (StripeInvalidRequestError)', async () => {
    const partly = charge(1000);
    const tooLarge = await rejection(stripe.refunds.create({ charge: partly.id, amount: 1001 }));
    expect(tooLarge).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect({ code: tooLarge.code, param: tooLarge.param, status: tooLarge.statusCode }).toEqual({
      code: 'amount_too_large',
      param: 'amount',
      status: 400,
    });
    expect(tooLarge.message).toBe(
      'Refund amount ($10.01) is greater than unrefunded amount on charge ($10.00)',
    );

    await stripe.refunds.create({ charge: partly.id });
    const already = await rejection(stripe.refunds.create({ charge: partly.id, amount: 1 }));
    expect(already.code).toBe('charge_already_refunded');

    const disputed = charge(1000, { behaviours: { disputed: true } });
    expect((await rejection(stripe.refunds.create({ charge: disputed.id }))).code).toBe('charge_disputed');

    emulator.setAccount({ insufficientBalance: true });
    const poor = await rejection(stripe.refunds.create({ charge: charge(1000).id }));
    expect(poor).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(poor.code).toBe('balance_insufficient');

    const unknown = await rejection(stripe.refunds.create({ charge: 'ch_nope' }));
    expect({ status: unknown.statusCode, code: unknown.code, param: unknown.param }).toEqual({
      status: 404,
      code: 'resource_missing',
      param: 'charge',
    });
  });

  it('refuses a parameter the endpoint does not take (parameter_unknown), and refunds nothing', async () => {
    const ch = charge(1000);
    const error = await rejection(
      stripe.refunds.create({ charge: ch.id, amont: 100 } as Stripe.RefundCreateParams),
    );
    expect({ code: error.code, param: error.param }).toEqual({ code: 'parameter_unknown', param: 'amont' });
    expect((await stripe.charges.retrieve(ch.id)).amount_refunded).toBe(0);
  });

  it('refunds on a payment intent, and lists refunds by charge with has_more', async () => {
    const ch = charge(3000, { paymentIntentId: 'pi_test_refund_on_intent' });
    const intent = await stripe.paymentIntents.retrieve('pi_test_refund_on_intent');
    expect(intent).toMatchObject({ latest_charge: ch.id, amount: 3000, status: 'succeeded' });
    const a = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    const b = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    expect(a).toMatchObject({ charge: ch.id, payment_intent: intent.id });
    const page = await stripe.refunds.list({ charge: ch.id, limit: 1 });
    expect({ ids: page.data.map((r) => r.id), hasMore: page.has_more }).toEqual({
      ids: [b.id],
      hasMore: true,
    });
    const next = await stripe.refunds.list({ charge: ch.id, limit: 1, starting_after: b.id });
    expect({ ids: next.data.map((r) => r.id), hasMore: next.has_more }).toEqual({
      ids: [a.id],
      hasMore: false,
    });
    expect((await stripe.refunds.list({ payment_intent: intent.id })).data).toHaveLength(2);
  });

  it('keeps a pending refund pending until settled, and cancels only a pending one', async () => {
    emulator.setAccount({ refundsStartPending: true });
    const ch = charge(1000);
    const pending = await stripe.refunds.create({ charge: ch.id, amount: 400 });
    expect(pending.status).toBe('pending');
    const canceled = await stripe.refunds.cancel(pending.id);
    expect(canceled.status).toBe('canceled');
    expect((await stripe.charges.retrieve(ch.id)).amount_refunded).toBe(0);
    const other = await stripe.refunds.create({ charge: ch.id, amount: 400 });
    expect(emulator.settleRefund(other.id).status).toBe('succeeded');
    expect((await rejection(stripe.refunds.cancel(other.id))).statusCode).toBe(400);
    const updated = await stripe.refunds.update(other.id, { metadata: { note: 'x' } });
    expect(updated.metadata).toEqual({ note: 'x' });
  });
});

describe('idempotency keys', () => {
  it('are kept 24 hours: after that the same key runs a new request', async () => {
    let now = Date.parse('2026-03-20T12:00:00Z');
    const clocked = await startStripeEmulator({ now: () => now });
    try {
      const client = stripeClientFor(clocked);
      const customer = clocked.seedCustomer({ refundHubCustomerId: 'C-ttl' });
      const ch = clocked.seedCharge({ customer: customer.id, amount: 1000, currency: 'usd' });
      await client.refunds.create({ charge: ch.id, amount: 100 }, { idempotencyKey: 'k-ttl' });
      now += 23 * 3600_000;
      const within = await rejection(
        client.refunds.create({ charge: ch.id, amount: 200 }, { idempotencyKey: 'k-ttl' }),
      );
      expect(within).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      now += 2 * 3600_000;
      const after = await client.refunds.create({ charge: ch.id, amount: 200 }, { idempotencyKey: 'k-ttl' });
      expect(after.amount).toBe(200);
      expect((await client.refunds.list({ charge: ch.id })).data).toHaveLength(2);
    } finally {
      await clocked.stop();
    }
  });
});

describe('faults and the SDK retries', () => {
  it('a lost response (drop_after) is retried with the same key and gets the saved refund: exactly one', async () => {
    const ch = charge(2500);
    emulator.injectFault({ pathPrefix: '/v1/refunds', method: 'POST', status: 'drop_after' });
    const refund = await stripe.refunds.create({ charge: ch.id, amount: 700 });
    expect(refund.lastResponse.headers['idempotent-replayed']).toBe('true');
    const list = await stripe.refunds.list({ charge: ch.id });
    expect(list.data.map((r) => r.id)).toEqual([refund.id]);
    expect((await stripe.charges.retrieve(ch.id)).amount_refunded).toBe(700);
  });

  it('a 500 (Stripe-Should-Retry) is retried by the SDK and succeeds once', async () => {
    const ch = charge(2500);
    emulator.injectFault({ pathPrefix: '/v1/refunds', method: 'POST', status: 500 });
    const refund = await stripe.refunds.create({ charge: ch.id });
    expect(refund.status).toBe('succeeded');
    expect((await stripe.refunds.list({ charge: ch.id })).data).toHaveLength(1);
  });

  it('a 429 is a StripeRateLimitError', async () => {
    emulator.injectFault({ pathPrefix: '/v1/customers', status: 429 });
    const error = await rejection(stripe.customers.retrieve(customerId));
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
  });
});

describe('customers', () => {
  it('keeps balance transactions (a negative amount is a credit) in the customer balance', async () => {
    const customer = emulator.seedCustomer({ refundHubCustomerId: 'C-credit' });
    const credit = await stripe.customers.createBalanceTransaction(customer.id, {
      amount: -500,
      currency: 'usd',
      description: 'Goodwill credit',
      metadata: { caseId: 'case-9' },
    });
    expect(credit).toMatchObject({
      object: 'customer_balance_transaction',
      amount: -500,
      ending_balance: -500,
      type: 'adjustment',
      metadata: { caseId: 'case-9' },
    });
    expect(credit.id).toMatch(/^cbtxn_/);
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      balance: -500,
      currency: 'usd',
    });
    const list = await stripe.customers.listBalanceTransactions(customer.id);
    expect(list.data.map((t) => t.id)).toEqual([credit.id]);
  });

  it('finds a customer by metadata search, and creates and updates customers', async () => {
    const found = await stripe.customers.search({ query: "metadata['refundHubCustomerId']:'C-1001'" });
    expect(found.data.map((c) => c.id)).toEqual([customerId]);
    const created = await stripe.customers.create({
      name: 'Bo',
      metadata: { refundHubCustomerId: 'C-2002' },
    });
    const updated = await stripe.customers.update(created.id, { email: 'bo@example.com' });
    expect(updated).toMatchObject({ email: 'bo@example.com', name: 'Bo' });
    const byBoth = await stripe.customers.search({
      query: "metadata['refundHubCustomerId']:'C-2002' AND email:'bo@example.com'",
    });
    expect(byBoth.data.map((c) => c.id)).toEqual([created.id]);
    const charges = await stripe.charges.list({ customer: customerId, limit: 100 });
    expect(charges.data.every((c) => c.customer === customerId)).toBe(true);
  });
});

describe('events and webhooks', () => {
  it('delivers signed events, in order, that constructEvent accepts; GET /v1/events has them too', async () => {
    const ch = charge(1200);
    const refund = await stripe.refunds.create(
      { charge: ch.id, amount: 200 },
      { idempotencyKey: 'k-events' },
    );
    await emulator.flush();
    const types = received.map((r) => r.event.type);
    expect(types).toEqual(['refund.created', 'charge.refunded']);
    const chargeRefunded = eventAt(1) as Stripe.ChargeRefundedEvent;
    expect(chargeRefunded.data.object).toMatchObject({ id: ch.id, amount_refunded: 200 });
    expect(chargeRefunded.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false });
    expect(chargeRefunded).toMatchObject({
      api_version: '2026-10-28.endive',
      livemode: false,
      request: { idempotency_key: 'k-events' },
    });
    const fromApi = await stripe.events.retrieve(eventAt(0).id as string);
    expect((fromApi.data.object as Stripe.Refund).id).toBe(refund.id);
    expect(fromApi.pending_webhooks).toBe(0);
    const listed = await stripe.events.list({ type: 'refund.created', limit: 1 });
    expect(listed.data[0]?.id).toBe(fromApi.id);
  });

  it('retries a delivery the endpoint refused', async () => {
    webhookStatus = 500;
    const pending = emulator.seedCustomer({ refundHubCustomerId: 'C-retry' });
    await stripe.customers.update(pending.id, { name: 'Retry' });
    setTimeout(() => {
      webhookStatus = 200;
    }, 30);
    await emulator.flush();
    expect(received.map((r) => r.event.type)).toEqual(['customer.updated']);
  });

  it('refund_fails_later: the refund succeeds, then fails with refund.updated, charge.refund.updated and refund.failed', async () => {
    const ch = charge(900, { behaviours: { refundFailsLater: true } });
    const refund = await stripe.refunds.create({ charge: ch.id });
    expect(refund.status).toBe('succeeded');
    emulator.failRefund(refund.id);
    await emulator.flush();
    expect(received.map((r) => r.event.type)).toEqual([
      'refund.created',
      'charge.refunded',
      'refund.updated',
      'charge.refund.updated',
      'refund.failed',
    ]);
    const failed = eventAt(4) as Stripe.RefundFailedEvent;
    expect(failed.data.object).toMatchObject({
      id: refund.id,
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
    });
    expect(failed.request).toEqual({ id: null, idempotency_key: null });
    expect((await stripe.charges.retrieve(ch.id)).amount_refunded).toBe(0);
  });

  it('refund_fails_later with a delay fails by itself', async () => {
    const ch = charge(900, { behaviours: { refundFailsLater: { afterMs: 30 } } });
    const refund = await stripe.refunds.create({ charge: ch.id });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe('failed');
  });

  it('subscriptions and a paid invoice: created, invoice.paid with the period on its line, canceled at period end, deleted', async () => {
    const sub = emulator.createSubscription({
      customer: customerId,
      plan: 'prime-monthly',
      amount: 1499,
      currency: 'usd',
      startDate: '2026-01-15T00:00:00Z',
    });
    expect(sub.items.data[0]).toMatchObject({
      current_period_start: Date.parse('2026-01-15T00:00:00Z') / 1000,
    });
    const paid = emulator.payInvoice(sub.id, {
      periodStart: '2026-02-15T00:00:00Z',
      paidAt: '2026-02-15T08:00:00Z',
    });
    emulator.updateSubscription(sub.id, { cancelAtPeriodEnd: true });
    emulator.cancelSubscription(sub.id);
    await emulator.flush();
    expect(received.map((r) => r.event.type)).toEqual([
      'customer.subscription.created',
      'charge.succeeded',
      'invoice.paid',
      'customer.subscription.updated',
      'customer.subscription.deleted',
    ]);
    const invoice = (eventAt(2) as Stripe.InvoicePaidEvent).data.object;
    expect(invoice.parent?.subscription_details?.subscription).toBe(sub.id);
    expect(invoice.lines.data[0]?.period.start).toBe(Date.parse('2026-02-15T00:00:00Z') / 1000);
    const payments = await stripe.invoicePayments.list({ invoice: invoice.id });
    expect(payments.data[0]?.payment.payment_intent).toBe(paid.paymentIntent.id);
    expect((await stripe.paymentIntents.retrieve(paid.paymentIntent.id)).latest_charge).toBe(paid.charge.id);
    const updated = (eventAt(3) as Stripe.CustomerSubscriptionUpdatedEvent).data;
    expect(updated.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
    const deleted = (eventAt(4) as Stripe.CustomerSubscriptionDeletedEvent).data.object;
    expect(deleted).toMatchObject({ status: 'canceled' });
    expect(deleted.ended_at).not.toBeNull();
  });

  it('a renewal invoice moves the period on: customer.subscription.updated, then charge.succeeded and invoice.paid', async () => {
    const sub = emulator.createSubscription({
      customer: customerId,
      plan: 'prime-monthly',
      amount: 1499,
      currency: 'usd',
      startDate: '2026-01-15T00:00:00Z',
    });
    emulator.payInvoice(sub.id);
    await emulator.flush();
    received = [];
    emulator.payInvoice(sub.id);
    await emulator.flush();
    expect(received.map((r) => r.event.type)).toEqual([
      'customer.subscription.updated',
      'charge.succeeded',
      'invoice.paid',
    ]);
    const item = (eventAt(0) as Stripe.CustomerSubscriptionUpdatedEvent).data.object.items.data[0];
    expect(item?.current_period_start).toBe(Date.parse('2026-02-15T00:00:00Z') / 1000);
    expect((eventAt(2) as Stripe.InvoicePaidEvent).data.object.lines.data[0]?.period).toEqual({
      start: Date.parse('2026-02-15T00:00:00Z') / 1000,
      end: Date.parse('2026-03-15T00:00:00Z') / 1000,
    });
  });
});

describe('control routes (/_emulator, JSON, the same key)', () => {
  it('seed a customer and a charge with given ids, fail a refund, inject a fault', async () => {
    const control = (path: string, body: unknown, key = emulator.apiKey) =>
      fetch(`${emulator.url}/_emulator${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (await control('/customers', { refundHubCustomerId: 'C-http' }, 'sk_test_wrongwrongwrongwrongwrong'))
        .status,
    ).toBe(401);
    const customer = (await (
      await control('/customers', { refundHubCustomerId: 'C-http' })
    ).json()) as Stripe.Customer;
    const seeded = await control('/charges', {
      customer: customer.id,
      id: 'ch_http_1',
      amount: 800,
      currency: 'EUR',
      created: '2026-03-01T10:00:00Z',
      paymentIntentId: 'pi_http_1',
    });
    expect(seeded.status).toBe(200);
    expect(seeded.headers.get('request-id')).toMatch(/^req_/);
    const charge = await stripe.charges.retrieve('ch_http_1');
    expect(charge).toMatchObject({
      currency: 'eur',
      created: Date.parse('2026-03-01T10:00:00Z') / 1000,
      payment_intent: 'pi_http_1',
    });
    const refund = await stripe.refunds.create({ payment_intent: 'pi_http_1' });
    const failed = (await (await control(`/refunds/${refund.id}/fail`, {})).json()) as Stripe.Refund;
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    expect((await control('/refunds/re_unknown/fail', {})).status).toBe(404);
    expect((await control('/faults', { pathPrefix: '/v1/charges', status: 429 })).status).toBe(200);
    expect(await rejection(stripe.charges.retrieve('ch_http_1'))).toBeInstanceOf(
      Stripe.errors.StripeRateLimitError,
    );
    expect((await stripe.charges.retrieve('ch_http_1')).id).toBe('ch_http_1');
  });
});

describe('binding', () => {
  it.skipIf(process.platform !== 'linux')('listens on 127.0.0.1 only', () => {
    const bound: string[] = [];
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        if (fields[3] !== '0A') continue;
        const [hexAddress, hexPort] = (fields[1] ?? '').split(':') as [string, string];
        if (Number.parseInt(hexPort, 16) !== emulator.port) continue;
        bound.push(
          hexAddress.length === 8
            ? (hexAddress.match(/../g) ?? [])
                .reverse()
                .map((b) => Number.parseInt(b, 16))
                .join('.')
            : hexAddress,
        );
      }
    }
    expect(bound).toEqual(['127.0.0.1']);
  });
});

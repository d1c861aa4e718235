/**
 * The embedded runtime with `refundHub:paymentProvider=stripe`: it starts the Stripe emulator, points the
 * handlers' STRIPE_* variables at it, and the demo customers and their charges exist there (same ids),
 * with the `cus_…` id in the stored profile. Replay's seeding of reused charge ids stays per customer.
 */
import '../../local/quiet.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SK } from '../../functions/shared/accounts.js';
import type { CustomerProfile } from '../../functions/shared/types.js';
import { loadDemoCustomers, seedDemoCustomers } from '../../local/demo.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import {
  accountWithStripe,
  type StripeEmulator,
  stripeClientFor,
} from '../../local/stripe-emulator/index.js';

let runtime: LocalRuntime;
let emulator: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  runtime = await startLocalRuntime({ context: { 'refundHub:paymentProvider': 'stripe' } });
  if (!runtime.stripe) throw new Error('paymentProvider=stripe did not start the Stripe emulator');
  emulator = runtime.stripe;
  stripe = stripeClientFor(emulator);
  await seedDemoCustomers(runtime, loadDemoCustomers());
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the runtime with paymentProvider=stripe', () => {
  it('starts the emulator on loopback and gives the handlers its URL, key and webhook secret', () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.STRIPE_API_BASE).toBe(emulator.url);
    expect(process.env.STRIPE_SECRET_KEY).toMatch(/^sk_test_[A-Za-z0-9]{24,}$/);
    expect(process.env.STRIPE_SECRET_KEY).toBe(emulator.apiKey);
    expect(process.env.STRIPE_WEBHOOK_SECRET).toBe(emulator.webhookSecret);
    expect(process.env.PAYMENT_PROVIDER).toBe('stripe');
    expect(process.env.STRIPE_SECRET_KEY_ARN).toBeUndefined();
    expect(process.env.STRIPE_WEBHOOK_SECRET_ARN).toBeUndefined();
  });

  it('seeds a demo customer and its charges into Stripe, and stores the cus_ id in the profile', async () => {
    const found = await stripe.customers.search({ query: "metadata['refundHubCustomerId']:'C-1001'" });
    expect(found.data).toHaveLength(1);
    const customer = found.data[0] as Stripe.Customer;
    expect(customer.id).toMatch(/^cus_/);
    const charge = await stripe.charges.retrieve('CH-2');
    expect(charge).toMatchObject({
      amount: 1499,
      currency: 'usd',
      customer: customer.id,
      amount_refunded: 0,
      created: Date.parse('2026-03-15T08:00:00Z') / 1000,
    });
    const stored = await runtime.documentClient.send(
      new GetCommand({
        TableName: runtime.tables.accounts,
        Key: { customerId: 'C-1001', sk: ACCOUNT_SK.profile },
      }),
    );
    expect((stored.Item?.data as CustomerProfile | undefined)?.stripeCustomerId).toBe(customer.id);
  });

  it('keeps charge ids reused by two accounts apart: a refund goes to the charge of the customer its metadata names', async () => {
    const account = (customerId: string) =>
      accountWithStripe(emulator, {
        profile: { id: customerId },
        subscriptions: [],
        charges: [{ id: 'CH-shared', amount: 1000, currency: 'EUR', chargedAt: '2026-03-01T00:00:00Z' }],
        orders: [],
      });
    const first = account('replay::a::C-1');
    const second = account('replay::b::C-1');
    await stripe.refunds.create({ charge: 'CH-shared', metadata: { refundHubCustomerId: 'replay::a::C-1' } });
    const again = await stripe.refunds.create({
      charge: 'CH-shared',
      metadata: { refundHubCustomerId: 'replay::b::C-1' },
    });
    expect(again).toMatchObject({ amount: 1000, currency: 'eur', customer: second.profile.stripeCustomerId });
    emulator.store.forgetCustomer(first.profile.stripeCustomerId as string);
    expect((await stripe.charges.retrieve('CH-shared')).customer).toBe(second.profile.stripeCustomerId);
  });
});

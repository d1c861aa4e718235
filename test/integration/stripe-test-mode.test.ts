/**
 * The Stripe adapter against Stripe's own test mode, when STRIPE_SECRET_KEY=sk_test_… is set (never a live key).
 * Without it the file is skipped, and its title says why. It creates a customer, a paid payment intent, refunds it
 * through the adapter twice with one key (one refund), and books a goodwill credit.
 */
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripeConnection } from '../../functions/shared/payments/index.js';
import { PaymentDeclined, refundIdempotencyKey } from '../../functions/shared/payments/provider.js';
import { CUSTOMER_METADATA_KEY, stripeProvider } from '../../functions/shared/payments/stripe.js';

const key = process.env.STRIPE_SECRET_KEY ?? '';
const testMode = key.startsWith('sk_test_');
const title = testMode
  ? 'Stripe adapter against Stripe test mode'
  : 'Stripe adapter against Stripe test mode (skipped: set STRIPE_SECRET_KEY=sk_test_… to run it)';

describe.skipIf(!testMode)(title, () => {
  // Built only when the file runs: describe bodies are collected even when skipped.
  const stripe = testMode ? new Stripe(key, stripeConnection(undefined)) : (undefined as unknown as Stripe);
  const provider = testMode
    ? stripeProvider(stripe)
    : (undefined as unknown as ReturnType<typeof stripeProvider>);
  const run = `${Date.now()}`;

  async function paidCharge(amount: number, paymentMethod = 'pm_card_visa') {
    const customer = await stripe.customers.create({
      name: 'Refund Hub test',
      metadata: { [CUSTOMER_METADATA_KEY]: `test-${run}` },
    });
    const intent = await stripe.paymentIntents.create({
      amount,
      currency: 'usd',
      customer: customer.id,
      payment_method: paymentMethod,
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    return { customer, intent, chargeId: String(intent.latest_charge) };
  }

  it('refunds a payment intent once for one key, and never reuses a key for another amount', {
    timeout: 60_000,
  }, async () => {
    const { intent, chargeId } = await paidCharge(2500);
    const request = {
      caseId: `case-${run}`,
      customerId: `test-${run}`,
      chargeId,
      paymentIntentId: intent.id,
      amount: 1000,
      currency: 'USD',
      idempotencyKey: refundIdempotencyKey(`case-${run}`, chargeId, 1000),
    };
    const first = await provider.refund(request);
    const again = await provider.refund(request);
    expect(again.providerRefundId).toBe(first.providerRefundId);
    expect(['pending', 'succeeded']).toContain(first.status);
    const refunds = await stripe.refunds.list({ payment_intent: intent.id });
    expect(refunds.data).toHaveLength(1);
    expect(refunds.data[0]?.metadata).toMatchObject({ caseId: `case-${run}`, chargeId });

    const more = await provider.refund({
      ...request,
      amount: 500,
      idempotencyKey: refundIdempotencyKey(`case-${run}`, chargeId, 500),
    });
    expect(more.providerRefundId).not.toBe(first.providerRefundId);
    expect(await provider.refundStatus(first.providerRefundId ?? '')).toMatchObject({
      providerRefundId: first.providerRefundId,
    });
  });

  it('refuses more than the charge has left as a final error', { timeout: 60_000 }, async () => {
    const { intent, chargeId } = await paidCharge(1000);
    await expect(
      provider.refund({
        caseId: `case-${run}-big`,
        customerId: `test-${run}`,
        chargeId,
        paymentIntentId: intent.id,
        amount: 5000,
        currency: 'USD',
        idempotencyKey: refundIdempotencyKey(`case-${run}-big`, chargeId, 5000),
      }),
    ).rejects.toBeInstanceOf(PaymentDeclined);
  });

  it('books a goodwill credit as a customer balance credit, once per case', { timeout: 60_000 }, async () => {
    const { customer } = await paidCharge(1000);
    const request = {
      caseId: `case-${run}-credit`,
      customerId: `test-${run}`,
      providerCustomerId: customer.id,
      amount: 500,
      currency: 'USD',
      description: 'Goodwill credit (test)',
      idempotencyKey: `refund-hub:credit:case-${run}-credit`,
    };
    const first = await provider.credit(request);
    const again = await provider.credit(request);
    expect(again.providerCreditId).toBe(first.providerCreditId);
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      balance: -500,
    });
  });
});

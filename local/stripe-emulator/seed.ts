/**
 * A Refund Hub account's Stripe side: the customer (`metadata.refundHubCustomerId`) and each charge
 * under the same id, amount, currency and date (with its payment intent when it has one). In-process
 * calls, no HTTP: replay seeds thousands of accounts. Returns the `cus_…` id for the profile.
 */
import type { CustomerAccount } from '../../functions/shared/accounts.js';
import type { StripeEmulator } from './server.js';

export function seedAccountIntoStripe(
  emulator: Pick<StripeEmulator, 'seedCustomer' | 'seedCharge'>,
  account: CustomerAccount,
): { stripeCustomerId: string } {
  const { profile } = account;
  const customer = emulator.seedCustomer({
    refundHubCustomerId: profile.id,
    ...(profile.stripeCustomerId ? { id: profile.stripeCustomerId } : {}),
    ...(profile.name ? { name: profile.name } : {}),
    ...(profile.email ? { email: profile.email } : {}),
  });
  for (const charge of account.charges) {
    emulator.seedCharge({
      customer: customer.id,
      id: charge.id,
      amount: charge.amount,
      currency: charge.currency,
      created: charge.chargedAt,
      ...(charge.paymentIntentId ? { paymentIntentId: charge.paymentIntentId } : {}),
      ...(charge.refundedAmount ? { amountRefunded: charge.refundedAmount } : {}),
      metadata: {
        refundHubCustomerId: profile.id,
        ...(charge.subscriptionId ? { refundHubSubscriptionId: charge.subscriptionId } : {}),
        ...(charge.orderId ? { refundHubOrderId: charge.orderId } : {}),
      },
    });
  }
  return { stripeCustomerId: customer.id };
}

/** The account as Refund Hub stores it once seeded into the emulator (profile with its `stripeCustomerId`); unchanged without one. */
export function accountWithStripe(
  emulator: Pick<StripeEmulator, 'seedCustomer' | 'seedCharge'> | undefined,
  account: CustomerAccount,
): CustomerAccount {
  if (!emulator) return account;
  const { stripeCustomerId } = seedAccountIntoStripe(emulator, account);
  return { ...account, profile: { ...account.profile, stripeCustomerId } };
}

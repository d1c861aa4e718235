/**
 * The configured payment provider (`PAYMENT_PROVIDER`), built once per process: the ledger, or
 * Stripe with its API key from Secrets Manager (locally from the environment, on the emulator).
 * The Stripe SDK and the Secrets Manager client are imported on the first Stripe call only: the ledger (the default
 * provider) needs neither, and loading them at module load cost the money steps most of their cold start.
 */
import type Stripe from 'stripe';
import { ENV } from '../env.js';
import { ledgerProvider } from './ledger.js';
import { PAYMENT_PROVIDERS, type PaymentProvider, type PaymentProviderName } from './provider.js';
import { stripeProvider } from './stripe.js';

export function configuredProviderName(): PaymentProviderName {
  const name = process.env[ENV.paymentProvider] ?? 'ledger';
  if (!(PAYMENT_PROVIDERS as readonly string[]).includes(name))
    throw new Error(`${ENV.paymentProvider} must be one of ${PAYMENT_PROVIDERS.join(', ')}, got ${name}`);
  return name as PaymentProviderName;
}

/** SDK options for a Stripe API base other than api.stripe.com (the local emulator). */
export function stripeConnection(apiBase: string | undefined): Stripe.StripeConfig {
  // The SDK retries network faults and 409/429/5xx itself, with the same idempotency key.
  const common: Stripe.StripeConfig = {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'refund-hub' },
  };
  if (!apiBase) return common;
  const url = new URL(apiBase);
  return {
    ...common,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
  };
}

let stripe: Promise<Stripe> | undefined;

/** The official Stripe client, built once per process from the secret. */
export function stripeClient(): Promise<Stripe> {
  stripe ??= Promise.all([
    import('stripe'),
    import('../secrets.js').then(({ secretFromEnv }) =>
      secretFromEnv(ENV.stripeSecretKeyArn, ENV.stripeSecretKey),
    ),
  ])
    .then(
      ([{ default: StripeClient }, key]) =>
        new StripeClient(key, stripeConnection(process.env[ENV.stripeApiBase])),
    )
    .catch((error: unknown) => {
      stripe = undefined; // the next invocation tries again (a secret put after the deploy)
      throw error;
    });
  return stripe;
}

let provider: Promise<PaymentProvider> | undefined;

export function paymentProviderFromEnv(): Promise<PaymentProvider> {
  provider ??=
    configuredProviderName() === 'stripe'
      ? stripeClient()
          .then(stripeProvider)
          .catch((error: unknown) => {
            provider = undefined;
            throw error;
          })
      : Promise.resolve(ledgerProvider);
  return provider;
}

/**
 * The money steps import the Stripe SDK and the Secrets Manager client on their first Stripe call, not at module load:
 * with the ledger (the default provider) a deployed bundle never requires the Secrets Manager client. Run as Lambda
 * runs it (CommonJS, in a fresh node). The Stripe SDK sits in the same lazy import (inside the bundle, so not visible in
 * `require.cache`); test/workflow/payment-provider.test.ts covers that a Stripe refund still gets both.
 */
import { describe, expect, it } from 'vitest';
import { deployedBundle } from './deployed-bundle.js';

// Without the SDK, so require.cache shows the Secrets Manager client (deployed, it sits in the same lazy import).
const bundle = deployedBundle('functions/issue-refund/handler.ts', 'issue-refund', 'runtime');

/** Whether requiring the bundle (and letting its module-load promises settle) loaded the Secrets Manager client. */
function secretsManagerLoaded(provider: string): boolean {
  const script = `
    require(${JSON.stringify(bundle.file)});
    setImmediate(() => process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('client-secrets-manager')))));`;
  const stdout = bundle.run(script, {
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    PAYMENT_PROVIDER: provider,
    STRIPE_SECRET_KEY: 'sk_test_payments_load',
    ACCOUNTS_TABLE_NAME: 'accounts',
    REFUND_LEDGER_TABLE_NAME: 'ledger',
  });
  return JSON.parse(stdout) as boolean;
}

describe('Payment provider load (cold start)', () => {
  it('with the ledger provider, the issue-refund bundle never requires the Secrets Manager client', () => {
    expect(secretsManagerLoaded('ledger')).toBe(false);
  }, 30_000);

  it('with Stripe, it is not required at module load either: the first Stripe call imports it', () => {
    expect(secretsManagerLoaded('stripe')).toBe(false);
  }, 30_000);
});

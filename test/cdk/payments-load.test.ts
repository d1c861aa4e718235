/**
 * The money steps import the Stripe SDK and the Secrets Manager client on their first Stripe call, not at module load:
 * with the ledger (the default provider) a deployed bundle never requires the Secrets Manager client. Run as Lambda
 * runs it (CommonJS, in a fresh node). The Stripe SDK sits in the same lazy import (inside the bundle, so not visible in
 * `require.cache`); test/workflow/payment-provider.test.ts covers that a Stripe refund still gets both.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { bundleSize } from '../../scripts/lib/lambda-bundles.js';

const dir = path.join(PROJECT_ROOT, 'cdk.out', `payments-load-${process.pid}`);
const file = path.join(dir, 'index.js');

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(file, (await bundleSize('functions/issue-refund/handler.ts')).code);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether requiring the bundle (and letting its module-load promises settle) loaded the Secrets Manager client. */
function secretsManagerLoaded(provider: string): boolean {
  const script = `
    require(${JSON.stringify(file)});
    setImmediate(() => process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('client-secrets-manager')))));`;
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      AWS_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: 'issue-refund',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      PAYMENT_PROVIDER: provider,
      STRIPE_SECRET_KEY: 'sk_test_payments_load',
      ACCOUNTS_TABLE_NAME: 'accounts',
      REFUND_LEDGER_TABLE_NAME: 'ledger',
    },
  });
  expect(child.stderr).not.toMatch(/Error:/);
  return JSON.parse(child.stdout) as boolean;
}

describe('Payment provider load (cold start)', () => {
  it('with the ledger provider, the issue-refund bundle never requires the Secrets Manager client', () => {
    expect(secretsManagerLoaded('ledger')).toBe(false);
  }, 30_000);

  it('with Stripe, it is not required at module load either: the first Stripe call imports it', () => {
    expect(secretsManagerLoaded('stripe')).toBe(false);
  }, 30_000);
});

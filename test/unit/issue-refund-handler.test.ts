/**
 * The refund step's two phases against dynalite and a scripted payment provider that honours
 * idempotency keys as Stripe does: a crash at any point, retried, ends in one refund.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PaymentDeclined,
  type ProviderRefund,
  type ProviderRefundRequest,
} from '../../functions/shared/payments/provider.js';
import type { Charge } from '../../functions/shared/types.js';
import { LEDGER_TABLES, startDynaliteTables } from './dynalite-tables.js';
import { lambdaContext } from './lambda-fixtures.js';

/** Stripe's idempotency: the same key gives the saved answer; a scripted fault may come before or after the work. */
const provider = vi.hoisted(() => {
  const refunds = new Map<string, { id: string; request: ProviderRefundRequest }>();
  const script: ('fail_before' | 'lost_after' | { declined: string })[] = [];
  const calls: ProviderRefundRequest[] = [];
  return { refunds, script, calls, status: 'succeeded' as 'succeeded' | 'pending' };
});

vi.mock('../../functions/shared/payments/index.js', () => ({
  configuredProviderName: () => 'stripe',
  paymentProviderFromEnv: async () => ({
    name: 'stripe',
    refundStatus: async () => null,
    credit: async () => ({ providerCreditId: null }),
    refund: async (request: ProviderRefundRequest): Promise<ProviderRefund> => {
      provider.calls.push(request);
      const step = provider.script.shift();
      if (step === 'fail_before')
        throw Object.assign(new Error('socket hang up'), { type: 'StripeConnectionError' });
      if (step && typeof step === 'object') throw new PaymentDeclined(step.declined, 'refused');
      const saved = provider.refunds.get(request.idempotencyKey) ?? {
        id: `re_${provider.refunds.size + 1}`,
        request,
      };
      provider.refunds.set(request.idempotencyKey, saved);
      if (step === 'lost_after')
        throw Object.assign(new Error('response lost'), { type: 'StripeConnectionError' });
      return { providerRefundId: saved.id, status: provider.status };
    },
  }),
}));

const db = await startDynaliteTables(LEDGER_TABLES);
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  ACCOUNTS_TABLE_NAME: 'accounts',
  REFUND_LEDGER_TABLE_NAME: 'ledger',
});
const { handler } = await import('../../functions/issue-refund/handler.js');
const context = lambdaContext('issue-refund');

afterAll(async () => {
  await db.stop();
});

let n = 0;
let customerId = '';
beforeEach(async () => {
  n += 1;
  customerId = `cust-${n}`;
  provider.refunds.clear();
  provider.calls.length = 0;
  provider.script.length = 0;
  provider.status = 'succeeded';
  for (const [id, amount] of [
    ['ch-a', 1499],
    ['ch-b', 999],
  ] as const) {
    const data: Charge = {
      id,
      subscriptionId: 'sub-1',
      amount,
      currency: 'USD',
      chargedAt: '2026-03-01T00:00:00Z',
      paymentIntentId: `pi_${id}`,
    };
    await db.client.send(
      new PutCommand({ TableName: 'accounts', Item: { customerId, sk: `CHARGE#${id}`, data } }),
    );
  }
});

const event = () => ({
  caseId: 'case-1',
  customerId,
  source: 'auto',
  charges: [
    { chargeId: 'ch-a', amount: 1499, currency: 'USD' },
    { chargeId: 'ch-b', amount: 999, currency: 'USD' },
  ],
});

const run = () => handler(event(), context);
const line = async (chargeId: string) =>
  (await db.client.send(new GetCommand({ TableName: 'ledger', Key: { customerId, chargeId } }))).Item?.[
    'case:case-1'
  ];

describe('IssueRefund with a payment provider', () => {
  it('refunds each charge at the provider, on its payment intent, and records the refund id and status', async () => {
    const result = await run();
    expect(result).toMatchObject({
      refundedAmount: 2498,
      currency: 'USD',
      failed: false,
      refundedChargeIds: ['ch-a', 'ch-b'],
    });
    expect(result.refunds).toEqual([
      { chargeId: 'ch-a', amount: 1499, currency: 'USD', status: 'succeeded', providerRefundId: 're_1' },
      { chargeId: 'ch-b', amount: 999, currency: 'USD', status: 'succeeded', providerRefundId: 're_2' },
    ]);
    expect(provider.calls.map((c) => [c.paymentIntentId, c.idempotencyKey])).toEqual([
      ['pi_ch-a', 'refund-hub:refund:case-1:ch-a:1499'],
      ['pi_ch-b', 'refund-hub:refund:case-1:ch-b:999'],
    ]);
    expect(await line('ch-a')).toMatchObject({ status: 'succeeded', providerRefundId: 're_1' });
  });

  it('a crash after the ledger write, before the provider answered: the retry pays once, with the same key', async () => {
    provider.script.push('fail_before');
    await expect(run()).rejects.toThrow('socket hang up');
    expect(await line('ch-a')).toMatchObject({ status: 'pending' });
    const retried = await run();
    expect(retried.refundedAmount).toBe(2498);
    expect(provider.refunds.size).toBe(2);
    expect(
      new Set(provider.calls.filter((c) => c.chargeId === 'ch-a').map((c) => c.idempotencyKey)).size,
    ).toBe(1);
  });

  it('a crash after the provider refunded (the answer lost): the retry gets the same refund back, not a second one', async () => {
    provider.script.push('lost_after');
    await expect(run()).rejects.toThrow('response lost');
    const retried = await run();
    expect(provider.refunds.size).toBe(2);
    expect(retried.refunds.map((r) => r.providerRefundId)).toEqual(['re_1', 're_2']);
  });

  it('a retry after everything was recorded does not call the provider again', async () => {
    await run();
    const calls = provider.calls.length;
    const again = await run();
    expect(provider.calls.length).toBe(calls);
    expect(again.refundedAmount).toBe(2498);
  });

  it('a final refusal fails that charge, gives its amount back and reports the case as failed', async () => {
    provider.script.push({ declined: 'charge_disputed' });
    const result = await run();
    expect(result).toMatchObject({
      failed: true,
      failedChargeIds: ['ch-a'],
      refundedChargeIds: ['ch-b'],
      refundedAmount: 999,
    });
    expect(result.refunds[0]).toMatchObject({
      chargeId: 'ch-a',
      status: 'failed',
      failureReason: 'charge_disputed',
    });
    const item = (
      await db.client.send(new GetCommand({ TableName: 'ledger', Key: { customerId, chargeId: 'ch-a' } }))
    ).Item;
    expect(item?.refundedTotal).toBe(0);
    // A re-run of the case does not try the failed automatic refund again.
    const rerun = await run();
    expect(rerun.failedChargeIds).toEqual(['ch-a']);
    expect(provider.calls.filter((c) => c.chargeId === 'ch-a')).toHaveLength(1);
  });

  it('a refund the provider has not settled yet is reported pending and counts as refunded', async () => {
    provider.status = 'pending';
    const result = await run();
    expect(result.refunds.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(result.refundedAmount).toBe(2498);
  });

  it('skips a charge another case already refunded', async () => {
    await handler({ ...event(), caseId: 'case-0', charges: [{ chargeId: 'ch-b', amount: 999 }] }, context);
    const result = await run();
    expect(result).toMatchObject({
      refundedChargeIds: ['ch-a'],
      skippedChargeIds: ['ch-b'],
      refundedAmount: 1499,
    });
  });
});

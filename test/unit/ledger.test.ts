/** The two-phase refund ledger against dynalite: the conditional writes are what keep a refund to once. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyRefundStatus,
  ledgerLines,
  ledgerTotals,
  type RefundAttempt,
  refundsByCase,
  reserveRefund,
} from '../../functions/shared/ledger.js';
import type { Charge } from '../../functions/shared/types.js';
import { type DynaliteTables, LEDGER_TABLES, startDynaliteTables } from './dynalite-tables.js';

let db: DynaliteTables;
const tables = { accountsTable: 'accounts', refundLedgerTable: 'ledger' };
let customer = 0;
let customerId = '';

beforeAll(async () => {
  db = await startDynaliteTables(LEDGER_TABLES);
});
afterAll(async () => {
  await db.stop();
});
beforeEach(() => {
  customer += 1;
  customerId = `cust-${customer}`;
});

const charge = (overrides: Partial<Charge> = {}): Charge => ({
  id: 'ch-1',
  subscriptionId: 'sub-1',
  amount: 1499,
  currency: 'USD',
  chargedAt: '2026-03-01T00:00:00Z',
  ...overrides,
});

async function givenCharge(data: Charge) {
  await db.client.send(
    new PutCommand({ TableName: 'accounts', Item: { customerId, sk: `CHARGE#${data.id}`, data } }),
  );
}

const attempt = (overrides: Partial<RefundAttempt> = {}): RefundAttempt => ({
  caseId: 'case-1',
  customerId,
  chargeId: 'ch-1',
  amount: 1499,
  source: 'auto',
  at: '2026-03-02T00:00:00.000Z',
  provider: 'stripe',
  ...overrides,
});

async function ledgerItem(chargeId = 'ch-1') {
  return (await db.client.send(new GetCommand({ TableName: 'ledger', Key: { customerId, chargeId } }))).Item;
}

const settle = (
  status: 'succeeded' | 'failed' | 'canceled' | 'pending',
  providerRefundId: string | null = 're_1',
  caseId = 'case-1',
) =>
  applyRefundStatus(db.client, 'ledger', {
    customerId,
    chargeId: 'ch-1',
    caseId,
    providerRefundId,
    status,
    ...(status === 'failed' ? { failureReason: 'expired_or_canceled_card' } : {}),
    at: '2026-03-02T00:01:00.000Z',
  });

describe('reserveRefund', () => {
  it('writes the line pending with an idempotency key from (case, charge, amount) and counts it at once', async () => {
    await givenCharge(charge());
    const reserved = await reserveRefund(db.client, tables, attempt());
    expect(reserved.line).toMatchObject({
      amount: 1499,
      status: 'pending',
      provider: 'stripe',
      attempt: 1,
      idempotencyKey: 'refund-hub:refund:case-1:ch-1:1499',
    });
    expect(reserved.currency).toBe('USD');
    expect(await ledgerItem()).toMatchObject({
      refundedTotal: 1499,
      autoRefundCaseId: 'case-1',
      currency: 'USD',
    });
  });

  it('gives a retry of the same case the same line and key, and counts it once', async () => {
    await givenCharge(charge());
    const first = await reserveRefund(db.client, tables, attempt());
    const retry = await reserveRefund(db.client, tables, attempt({ at: '2026-03-02T00:05:00.000Z' }));
    expect(retry.line).toEqual(first.line);
    expect((await ledgerItem())?.refundedTotal).toBe(1499);
  });

  it('never reuses a key for another amount', async () => {
    await givenCharge(charge({ amount: 5000 }));
    const a = await reserveRefund(
      db.client,
      tables,
      attempt({ caseId: 'case-a', amount: 1000, source: 'agent' }),
    );
    const b = await reserveRefund(
      db.client,
      tables,
      attempt({ caseId: 'case-b', amount: 2000, source: 'agent' }),
    );
    expect(a.line?.idempotencyKey).not.toBe(b.line?.idempotencyKey);
    expect((await ledgerItem())?.refundedTotal).toBe(3000);
  });

  it('refunds nothing for a second case once the charge was refunded automatically', async () => {
    await givenCharge(charge());
    await reserveRefund(db.client, tables, attempt({ caseId: 'case-1' }));
    const second = await reserveRefund(db.client, tables, attempt({ caseId: 'case-2' }));
    expect(second.line).toBeNull();
    expect((await ledgerItem())?.refundedTotal).toBe(1499);
  });

  it('lets only one of two concurrent cases take the charge', async () => {
    await givenCharge(charge());
    const results = await Promise.all(
      ['case-a', 'case-b', 'case-c'].map((caseId) => reserveRefund(db.client, tables, attempt({ caseId }))),
    );
    expect(results.filter((r) => r.line !== null)).toHaveLength(1);
    expect((await ledgerItem())?.refundedTotal).toBe(1499);
  });

  it('refuses more than the remainder after refunds made outside Refund Hub, writing nothing', async () => {
    await givenCharge(charge({ refundedAmount: 1000 }));
    const reserved = await reserveRefund(db.client, tables, attempt({ amount: 500, source: 'agent' }));
    expect(reserved.line).toBeNull();
    expect(await ledgerItem()).toBeUndefined();
  });

  it('reserves nothing for a charge the account does not hold', async () => {
    const reserved = await reserveRefund(db.client, tables, attempt({ chargeId: 'ch-unknown' }));
    expect(reserved).toMatchObject({ line: null, currency: null });
  });

  it('after a failure: an automatic refund is not tried again; an agent tries again with a new key', async () => {
    await givenCharge(charge());
    await reserveRefund(db.client, tables, attempt());
    await settle('failed', null);
    const auto = await reserveRefund(db.client, tables, attempt());
    expect(auto.line?.status).toBe('failed');
    const agent = await reserveRefund(db.client, tables, attempt({ source: 'agent' }));
    expect(agent.line).toMatchObject({
      status: 'pending',
      attempt: 2,
      idempotencyKey: 'refund-hub:refund:case-1:ch-1:1499:2',
    });
    expect((await ledgerItem())?.refundedTotal).toBe(1499);
  });
});

describe('applyRefundStatus', () => {
  beforeEach(async () => {
    await givenCharge(charge());
    await reserveRefund(db.client, tables, attempt());
  });

  it('records the provider refund id and status', async () => {
    const applied = await settle('succeeded');
    expect(applied).toMatchObject({ changed: true, previous: 'pending' });
    const line = (await ledgerItem())?.['case:case-1'];
    expect(line).toMatchObject({ status: 'succeeded', providerRefundId: 're_1' });
  });

  it('is idempotent: the same status again changes nothing', async () => {
    await settle('succeeded');
    expect(await settle('succeeded')).toMatchObject({ changed: false, previous: 'succeeded' });
  });

  it('gives the amount back exactly once when a succeeded refund fails later', async () => {
    await settle('succeeded');
    const failed = await settle('failed');
    expect(failed).toMatchObject({
      changed: true,
      previous: 'succeeded',
      line: { failureReason: 'expired_or_canceled_card' },
    });
    await settle('failed');
    await settle('canceled');
    expect((await ledgerItem())?.refundedTotal).toBe(0);
    expect(await ledgerTotals(db.client, 'ledger', customerId)).toEqual(new Map([['ch-1', 0]]));
  });

  it('never moves a failed refund back to succeeded (an event out of order)', async () => {
    await settle('failed');
    expect(await settle('succeeded')).toMatchObject({ changed: false, previous: 'failed' });
    expect((await ledgerItem())?.['case:case-1']).toMatchObject({ status: 'failed' });
  });

  it('ignores an update about another refund than the line records', async () => {
    await settle('pending', 're_1');
    expect(await settle('failed', 're_other')).toMatchObject({ changed: false });
    expect((await ledgerItem())?.refundedTotal).toBe(1499);
  });

  it('given the line it just wrote, skips the read; given a stale one, reads again and applies once', async () => {
    const reserved = (await reserveRefund(db.client, tables, attempt())).line ?? undefined;
    const update = {
      customerId,
      chargeId: 'ch-1',
      caseId: 'case-1',
      at: '2026-03-02T00:01:00.000Z',
    } as const;
    await applyRefundStatus(
      db.client,
      'ledger',
      { ...update, providerRefundId: 're_1', status: 'succeeded' },
      reserved,
    );
    // The same stale line again (it says pending): the conditional write fails, the line is read, the failure applies once.
    const failed = await applyRefundStatus(
      db.client,
      'ledger',
      { ...update, providerRefundId: 're_1', status: 'failed' },
      reserved,
    );
    expect(failed).toMatchObject({ changed: true, previous: 'succeeded' });
    expect((await ledgerItem())?.refundedTotal).toBe(0);
  });

  it('answers no line for a case that has none on the charge', async () => {
    expect(await settle('succeeded', 're_1', 'case-none')).toEqual({
      changed: false,
      previous: null,
      line: null,
    });
  });

  it('moves a line written before statuses (recorded: succeeded) to failed', async () => {
    await db.client.send(
      new PutCommand({
        TableName: 'ledger',
        Item: {
          customerId,
          chargeId: 'ch-1',
          refundedTotal: 700,
          currency: 'USD',
          'case:case-1': { amount: 700, source: 'agent', at: 'x' },
        },
      }),
    );
    expect(await settle('failed', null)).toMatchObject({ changed: true, previous: 'succeeded' });
    expect((await ledgerItem())?.refundedTotal).toBe(0);
  });
});

describe('what the ledger says a case refunded', () => {
  it('counts pending and succeeded lines, never failed ones, and lists every line with its status', async () => {
    await givenCharge(charge());
    await givenCharge(charge({ id: 'ch-2', amount: 999 }));
    await reserveRefund(db.client, tables, attempt());
    await reserveRefund(db.client, tables, attempt({ chargeId: 'ch-2', amount: 999 }));
    await applyRefundStatus(db.client, 'ledger', {
      customerId,
      chargeId: 'ch-2',
      caseId: 'case-1',
      providerRefundId: 're_2',
      status: 'failed',
      at: '2026-03-02T00:02:00.000Z',
    });
    expect(await refundsByCase(db.client, 'ledger', customerId, 'case-1')).toMatchObject({
      refundedChargeIds: ['ch-1'],
      refundedAmount: 1499,
      currency: 'USD',
    });
    const lines = await ledgerLines(db.client, 'ledger', customerId);
    expect(lines.map((l) => [l.chargeId, l.status])).toEqual([
      ['ch-1', 'pending'],
      ['ch-2', 'failed'],
    ]);
    // The case's own view leaves its lines out (a re-run decides as the first run did).
    expect(await ledgerTotals(db.client, 'ledger', customerId, 'case-1')).toEqual(
      new Map([
        ['ch-1', 0],
        ['ch-2', 0],
      ]),
    );
  });
});

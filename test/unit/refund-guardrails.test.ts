/** POLICY.md v2 rules 7 and 8: the windows' edges, and the daily budget held atomically against dynalite. */

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  autoRefundsLast30Days,
  type BudgetReservation,
  type CountedRefund,
  checkBudget,
  maxTotalForReservation,
  pruneReservations,
} from '../../functions/refund-guardrails/domain.js';
import { reserveBudget, seedBudget } from '../../functions/shared/refund-budget.js';
import { type DynaliteTables, startDynaliteTables } from './dynalite-tables.js';

const NOW = '2026-05-20T10:00:00Z';
const refund = (at: string, overrides: Partial<CountedRefund> = {}): CountedRefund => ({
  caseId: `case-${at}`,
  source: 'auto',
  at,
  holdsMoney: true,
  ...overrides,
});

describe('rule 7: automatic refunds in the 30 days before now', () => {
  it('counts an automatic refund one millisecond inside the window, not one exactly 30 days old', () => {
    expect(autoRefundsLast30Days([refund('2026-04-20T10:00:00.001Z')], NOW, 'case-x')).toBe(1);
    expect(autoRefundsLast30Days([refund('2026-04-20T10:00:00Z')], NOW, 'case-x')).toBe(0);
  });

  it('compares instants, not strings: an offset time inside the window counts', () => {
    // 2026-04-20T03:00:01-07:00 is 10:00:01Z, inside; as a string it sorts before the window's start.
    expect(autoRefundsLast30Days([refund('2026-04-20T03:00:01-07:00')], NOW, 'case-x')).toBe(1);
  });

  it("leaves out agents' refunds, failed refunds, refunds after now and the case's own lines", () => {
    const refunds = [
      refund('2026-05-01T00:00:00Z', { source: 'agent' }),
      refund('2026-05-02T00:00:00Z', { holdsMoney: false }),
      refund('2026-05-21T00:00:00Z'),
      refund('2026-05-03T00:00:00Z', { caseId: 'case-self' }),
      refund('2026-05-04T00:00:00Z'),
    ];
    expect(autoRefundsLast30Days(refunds, NOW, 'case-self')).toBe(1);
  });
});

describe('rule 8: the daily budget', () => {
  const reservations: Record<string, BudgetReservation> = {
    a: { amount: 300_000, at: '2026-05-19T10:00:01Z' },
    b: { amount: 199_000, at: '2026-05-20T09:00:00Z' },
    old: { amount: 400_000, at: '2026-05-19T10:00:00Z' },
  };
  const request = { caseId: 'c', currency: 'USD', amount: 1_000, now: NOW };

  it('lets a refund reach the budget exactly, and refuses one unit more', () => {
    expect(checkBudget(reservations, request, 500_000)).toMatchObject({
      usedLast24h: 499_000,
      withinBudget: true,
      left: 0,
    });
    expect(checkBudget(reservations, { ...request, amount: 1_001 }, 500_000)).toMatchObject({
      withinBudget: false,
      left: 1_000,
    });
  });

  it('refuses every automatic refund in a currency with no budget', () => {
    expect(checkBudget({}, request, null)).toMatchObject({ withinBudget: false, limit: null });
  });

  it('never drops a reservation that still counts when it prunes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 * 86_400 }), { minLength: 1, maxLength: 700 }),
        (offsets) => {
          const base = Date.parse('2026-05-01T00:00:00Z');
          const all = Object.fromEntries(
            offsets.map((s, i) => [`r${i}`, { amount: 1, at: new Date(base + s * 1000).toISOString() }]),
          );
          const newest = new Date(base + Math.max(...offsets) * 1000).toISOString();
          const probe = { caseId: 'probe', currency: 'USD', amount: 0, now: newest };
          expect(checkBudget(pruneReservations(all), probe, 10_000).usedLast24h).toBe(
            checkBudget(all, probe, 10_000).usedLast24h,
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('the budget store (dynalite: conditional writes for real)', () => {
  let db: DynaliteTables;
  beforeAll(async () => {
    db = await startDynaliteTables([{ name: 'budgets', partitionKey: 'currency' }]);
  });
  afterAll(async () => {
    await db.stop();
  });

  it('lets exactly as many concurrent cases through as the budget holds', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        reserveBudget(
          db.client,
          'budgets',
          { caseId: `case-${i}`, currency: 'EUR', amount: 1_000, now: NOW },
          5_000,
        ),
      ),
    );
    expect(results.filter((r) => r.withinBudget)).toHaveLength(5);
  });

  it('lets 48 cases refunding at once all reserve on a well-filled item, none given up as contended', async () => {
    // Days of earlier reservations (as a replay spread over days leaves them), then 48 writers at the same moment.
    const history = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [
        `old-${i}`,
        { amount: 100, at: new Date(Date.parse(NOW) - 3_600_000 * (25 + (i % 100))).toISOString() },
      ]),
    );
    await seedBudget(db.client, 'budgets', 'GBP', history);
    const results = await Promise.allSettled(
      Array.from({ length: 48 }, (_, i) =>
        reserveBudget(
          db.client,
          'budgets',
          { caseId: `busy-${i}`, currency: 'GBP', amount: 1_000, now: NOW },
          500_000,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    expect(results.every((r) => r.status === 'fulfilled' && r.value.withinBudget)).toBe(true);
  });

  it('passes a retried case again without counting it twice', async () => {
    const request = { caseId: 'case-retry', currency: 'CAD', amount: 3_000, now: NOW };
    expect((await reserveBudget(db.client, 'budgets', request, 5_000)).withinBudget).toBe(true);
    expect((await reserveBudget(db.client, 'budgets', request, 5_000)).withinBudget).toBe(true);
    const other = { ...request, caseId: 'case-other' };
    expect(await reserveBudget(db.client, 'budgets', other, 5_000)).toMatchObject({
      withinBudget: false,
      usedLast24h: 3_000,
    });
  });

  it('counts seeded history inside the window and not after it', async () => {
    await seedBudget(db.client, 'budgets', 'AUD', { h1: { amount: 4_500, at: '2026-05-19T12:00:00Z' } });
    const request = { caseId: 'case-aud', currency: 'AUD', amount: 1_000, now: NOW };
    expect((await reserveBudget(db.client, 'budgets', request, 5_000)).withinBudget).toBe(false);
    const nextDay = { ...request, now: '2026-05-20T12:00:01Z' };
    expect((await reserveBudget(db.client, 'budgets', nextDay, 5_000)).withinBudget).toBe(true);
  });

  it("counts reservations after this case's now as outside its window, and a concurrent one inside it as inside", async () => {
    // A later case (replay runs clocks out of order) already reserved 4,500: it is outside this case's 24 hours.
    await seedBudget(db.client, 'budgets', 'NZD', { later: { amount: 4_500, at: '2026-05-21T09:00:00Z' } });
    const first = { caseId: 'nzd-1', currency: 'NZD', amount: 3_000, now: NOW };
    const second = { ...first, caseId: 'nzd-2' };
    const [a, b] = await Promise.all([
      reserveBudget(db.client, 'budgets', first, 5_000),
      reserveBudget(db.client, 'budgets', second, 5_000),
    ]);
    expect([a.withinBudget, b.withinBudget].sort()).toEqual([false, true]);
    const { Item } = await db.client.send(new GetCommand({ TableName: 'budgets', Key: { currency: 'NZD' } }));
    expect(Item?.total).toBe(7_500);
  });

  it('reads an item written before it had a total, writes the total, and goes on counting', async () => {
    await db.client.send(
      new PutCommand({
        TableName: 'budgets',
        Item: {
          currency: 'SEK',
          version: 3,
          reservations: { old: { amount: 4_000, at: '2026-05-20T08:00:00Z' } },
        },
      }),
    );
    const request = { caseId: 'sek-1', currency: 'SEK', amount: 1_000, now: NOW };
    expect((await reserveBudget(db.client, 'budgets', request, 5_000)).withinBudget).toBe(true);
    expect(
      (await reserveBudget(db.client, 'budgets', { ...request, caseId: 'sek-2' }, 5_000)).withinBudget,
    ).toBe(false);
    const { Item } = await db.client.send(new GetCommand({ TableName: 'budgets', Key: { currency: 'SEK' } }));
    expect(Item?.total).toBe(5_000);
  });
});

describe('the conditional write of a reservation', () => {
  it('allows the total as read plus nothing when the refund exactly fills the window', () => {
    const check = { currency: 'USD', limit: 5_000, usedLast24h: 4_000, left: 0, withinBudget: true };
    // 2,500 of the 6,500 in the item lie outside the window: the write must fail once the total passes 6,500.
    expect(maxTotalForReservation(6_500, check, 1_000)).toBe(6_500);
    expect(maxTotalForReservation(6_500, { ...check, limit: null }, 1_000)).toBeNull();
  });
});

/**
 * The queue's record of recent claims on dynalite, where conditional writes are evaluated for real: claims made at
 * once on one queue are all kept (each loser re-reads and appends again), the record stays bounded, queues stay apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedClaim } from '../../functions/shared/answers/wait.js';
import { RECORD_CLAIM_ATTEMPTS, readQueueClaims, recordClaim } from '../../functions/shared/queue-claims.js';
import { type DynaliteTables, startDynaliteTables } from './dynalite-tables.js';

let tables: DynaliteTables;

beforeAll(async () => {
  tables = await startDynaliteTables([{ name: 'cases', partitionKey: 'caseId' }]);
});

afterAll(async () => {
  await tables?.stop();
});

const now = new Date('2026-12-02T12:00:00.000Z');
const claimOf = (n: number, claimedAgoSeconds = n): RecordedClaim => ({
  caseId: `case-${String(n).padStart(32, '0')}`,
  dispatchedAt: new Date(now.getTime() - (claimedAgoSeconds + 120) * 1000).toISOString(),
  claimedAt: new Date(now.getTime() - claimedAgoSeconds * 1000).toISOString(),
});

describe("recordClaim (a queue's record of recent claims, conditional writes)", () => {
  it(`keeps every one of ${RECORD_CLAIM_ATTEMPTS} claims made at the same moment on one queue`, async () => {
    const claims = Array.from({ length: RECORD_CLAIM_ATTEMPTS }, (_, i) => claimOf(i + 1));

    await Promise.all(claims.map((claim) => recordClaim(tables.client, 'cases', 'billing', claim, now)));

    const record = await readQueueClaims(tables.client, 'cases', 'billing', true);
    expect(record.version).toBe(RECORD_CLAIM_ATTEMPTS);
    expect(record.claims.map((c) => c.caseId)).toEqual(claims.map((c) => c.caseId));
  });

  it('keeps the latest 20 after many claims, and another queue apart', async () => {
    for (let n = 100; n > 70; n -= 1) await recordClaim(tables.client, 'cases', 'delivery', claimOf(n), now);
    await recordClaim(tables.client, 'cases', 'security', claimOf(500), now);

    const delivery = await readQueueClaims(tables.client, 'cases', 'delivery');
    expect(delivery.claims).toHaveLength(20);
    expect(delivery.claims[0]?.caseId).toBe(claimOf(71).caseId);
    expect(delivery.claims.at(-1)?.caseId).toBe(claimOf(90).caseId);
    expect((await readQueueClaims(tables.client, 'cases', 'security')).claims).toEqual([claimOf(500)]);
    expect(await readQueueClaims(tables.client, 'cases', 'general')).toEqual({ version: 0, claims: [] });
  });
});

import { describe, expect, it } from 'vitest';
import {
  appendClaims,
  liveWaitMinutes,
  type RecentClaim,
  type RecordedClaim,
} from '../../functions/shared/answers/wait.js';

const now = new Date('2026-12-02T12:00:00.000Z');
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
/** A claim `claimedAgo` minutes ago after waiting `waited` minutes. */
const claim = (claimedAgo: number, waited: number): RecentClaim => ({
  dispatchedAt: at(claimedAgo + waited),
  claimedAt: at(claimedAgo),
});

describe('liveWaitMinutes (estimated callback wait)', () => {
  it('with no history promises the configured default', () => {
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: [] }, now)).toBe(5);
    expect(liveWaitMinutes('security', 'urgent', { ahead: 0, recentClaims: [] }, now)).toBe(2);
  });

  it('with too few or only stale claims still uses the default', () => {
    // Older than the record's 24 hours.
    const stale = [claim(24 * 60 + 1, 1), claim(25 * 60, 1), claim(26 * 60, 1)];
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: [claim(1, 1)] }, now)).toBe(5);
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: stale }, now)).toBe(5);
  });

  it('a deeper queue means a longer wait, with and without history', () => {
    const claims = [claim(2, 2), claim(6, 2), claim(10, 2)];
    const shallow = liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: claims }, now);
    const deep = liveWaitMinutes('billing', 'normal', { ahead: 4, recentClaims: claims }, now);
    expect(shallow).toBe(2);
    // One claim every 4 minutes (the median gap): four cases ahead add 16 minutes.
    expect(deep).toBe(18);
    expect(liveWaitMinutes('billing', 'normal', { ahead: 3, recentClaims: [] }, now)).toBe(8);
  });

  it('faster recent claims mean a shorter wait than the default', () => {
    const slow = [claim(5, 9), claim(15, 10), claim(25, 11)];
    const fast = [claim(1, 1), claim(2, 1), claim(3, 1.5)];
    const slowWait = liveWaitMinutes('billing', 'normal', { ahead: 1, recentClaims: slow }, now);
    const fastWait = liveWaitMinutes('billing', 'normal', { ahead: 1, recentClaims: fast }, now);
    expect(fastWait).toBeLessThan(slowWait);
    expect(fastWait).toBeLessThan(5);
  });

  it('uses the median, so one long wait does not move the promise', () => {
    const claims = [claim(1, 1), claim(2, 1), claim(3, 90)];
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: claims }, now)).toBe(1);
  });

  it('rounds up to whole minutes and never promises less than one', () => {
    const quick = [claim(1, 0.1), claim(2, 0.1), claim(3, 0.1)];
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: quick }, now)).toBe(1);
    const twoAndABit = [claim(1, 2.2), claim(3, 2.2), claim(5, 2.2)];
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: twoAndABit }, now)).toBe(3);
  });
});

describe('liveWaitMinutes over a day of claims', () => {
  it("uses yesterday evening's claims when this morning has none (within 24 hours), not the default", () => {
    const evening = [claim(15 * 60, 8), claim(15 * 60 + 10, 8), claim(15 * 60 + 20, 8)];
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: evening }, now)).toBe(8);
  });

  it('counts the time per case ahead from the median gap between claims, so the night between shifts does not count', () => {
    // Two bursts, 5 minutes between claims, 14 hours apart: a case ahead adds 5 minutes, not hours.
    const morning = [claim(1, 2), claim(6, 2), claim(11, 2)];
    const evening = [claim(14 * 60, 2), claim(14 * 60 + 5, 2), claim(14 * 60 + 10, 2)];
    const state = { ahead: 2, recentClaims: [...evening, ...morning] };
    expect(liveWaitMinutes('billing', 'normal', state, now)).toBe(12);
  });
});

/** A recorded claim of case `id`, claimed `claimedAgo` minutes before now after waiting `waited` minutes. */
const recorded = (id: string, claimedAgo: number, waited = 1): RecordedClaim => ({
  caseId: id,
  ...claim(claimedAgo, waited),
});
const ids = (claims: readonly RecordedClaim[]) => claims.map((c) => c.caseId);

describe("appendClaims (a queue's record of recent claims)", () => {
  it('keeps the latest claim first, whatever order they come in', () => {
    const record = appendClaims(
      [recorded('b', 5), recorded('a', 9)],
      [recorded('c', 1), recorded('d', 7)],
      now,
    );
    expect(ids(record)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('keeps at most the latest 20 (or the bound given), dropping the oldest', () => {
    const many = Array.from({ length: 25 }, (_, i) => recorded(`case-${i}`, i + 1));
    const record = appendClaims([], many, now);
    expect(record).toHaveLength(20);
    expect(ids(record).at(0)).toBe('case-0');
    expect(ids(record).at(-1)).toBe('case-19');
    const next = appendClaims(record, [recorded('new', 0.5)], now);
    expect(next).toHaveLength(20);
    expect(ids(next).slice(0, 2)).toEqual(['new', 'case-0']);
    expect(ids(next)).not.toContain('case-19');
    expect(appendClaims(record, [], now, { maxClaims: 3 })).toHaveLength(3);
  });

  it('drops claims older than 24 hours (or the window given), from the future, before their dispatch or unreadable', () => {
    const record = appendClaims(
      [recorded('yesterday', 24 * 60 + 1), recorded('today', 23 * 60)],
      [
        recorded('future', -1),
        { caseId: 'backwards', dispatchedAt: at(1), claimedAt: at(2) },
        { caseId: 'garbled', dispatchedAt: 'soon', claimedAt: at(1) },
        recorded('fresh', 1),
      ],
      now,
    );
    expect(ids(record)).toEqual(['fresh', 'today']);
    expect(ids(appendClaims(record, [], now, { windowMinutes: 60 }))).toEqual(['fresh']);
  });

  it('counts a claim of one dispatch once (a retried write), but a re-dispatched case claimed again twice', () => {
    const first = recorded('case-1', 10, 2);
    const record = appendClaims([first], [first, { ...first, claimedAt: at(9) }], now);
    expect(record).toEqual([first]);
    const again = { caseId: 'case-1', dispatchedAt: at(4), claimedAt: at(3) };
    expect(appendClaims(record, [again], now)).toEqual([again, first]);
  });

  it('merges like a set: two claims appended in either order, or again after a lost write, give the same record', () => {
    const base = Array.from({ length: 19 }, (_, i) => recorded(`old-${i}`, 30 + i));
    const x = recorded('x', 2);
    const y = recorded('y', 2); // the same instant: ordered by case id
    const xThenY = appendClaims(appendClaims(base, [x], now), [y], now);
    const yThenX = appendClaims(appendClaims(base, [y], now), [x], now);
    expect(xThenY).toEqual(yThenX);
    expect(ids(xThenY).slice(0, 2)).toEqual(['x', 'y']);
    expect(xThenY).toHaveLength(20);
    // The writer whose conditional write lost re-reads the winner's record and appends its own claim again.
    const winner = appendClaims(base, [y], now);
    expect(appendClaims(winner, [x], now)).toEqual(xThenY);
    expect(appendClaims(xThenY, [x], now)).toEqual(xThenY);
  });

  it('feeds the estimate: the median of the recorded claims, not the default', () => {
    const record = appendClaims([], [recorded('a', 1, 3), recorded('b', 4, 3), recorded('c', 7, 40)], now);
    expect(liveWaitMinutes('delivery', 'normal', { ahead: 0, recentClaims: record }, now)).toBe(3);
  });
});

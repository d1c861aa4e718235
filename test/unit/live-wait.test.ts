import { describe, expect, it } from 'vitest';
import { liveWaitMinutes, type RecentClaim } from '../../functions/shared/answers/wait.js';

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
    const stale = [claim(300, 1), claim(310, 1), claim(320, 1)];
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: [claim(1, 1)] }, now)).toBe(5);
    expect(liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: stale }, now)).toBe(5);
  });

  it('a deeper queue means a longer wait, with and without history', () => {
    const claims = [claim(2, 2), claim(6, 2), claim(10, 2)];
    const shallow = liveWaitMinutes('billing', 'normal', { ahead: 0, recentClaims: claims }, now);
    const deep = liveWaitMinutes('billing', 'normal', { ahead: 4, recentClaims: claims }, now);
    expect(shallow).toBe(2);
    // One claim every 4 minutes: four cases ahead add 16 minutes.
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

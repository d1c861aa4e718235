/**
 * How long the customer waits for a person, as the handoff message and the callback dispatch say it. One pure function
 * of the queue and the priority over configured defaults, and `liveWaitMinutes` from the queue's depth and its record
 * of recent claims (`appendClaims`, written by AgentClaim).
 */
import type { Priority, TeamQueue } from '../types.js';

/** Minutes per queue and priority; `default` for any pair not listed. Operator configuration, not literals. */
export interface WaitEstimates {
  readonly default: number;
  readonly byQueue?: Partial<Record<TeamQueue, Partial<Record<Priority, number>>>>;
}

/** The security team answers urgent cases first (24/7); every other callback is answered within the 5-minute SLA. */
export const DEFAULT_WAIT_ESTIMATES: WaitEstimates = { default: 5, byQueue: { security: { urgent: 2 } } };

export function estimatedWaitMinutes(
  queue: TeamQueue,
  priority: Priority,
  estimates: WaitEstimates = DEFAULT_WAIT_ESTIMATES,
): number {
  return estimates.byQueue?.[queue]?.[priority] ?? estimates.default;
}

/** One recent claim of a queue's case: when it was dispatched and when an agent claimed it (ISO 8601). */
export interface RecentClaim {
  readonly dispatchedAt: string;
  readonly claimedAt: string;
}

/** A claim as the queue's record of recent claims keeps it: whose, so one claim is never counted twice. */
export interface RecordedClaim extends RecentClaim {
  readonly caseId: string;
}

/** How many claims a queue's record keeps, and for how long (the estimate reads no further back either). */
export interface ClaimHistoryLimits {
  /** At most this many claims, the latest (default 20). */
  readonly maxClaims?: number;
  /** Claims older than this are dropped (default 1440: 24 hours). */
  readonly windowMinutes?: number;
}

export const CLAIM_HISTORY_MAX = 20;
export const CLAIM_HISTORY_WINDOW_MINUTES = 24 * 60;

const claimKey = (claim: RecordedClaim) => `${claim.caseId}#${claim.dispatchedAt}`;

/**
 * The queue's record after more claims: the union of both lists (a case's claim of one dispatch counted once, its
 * earliest claim kept), latest claim first (ties by case id), at most `maxClaims`, none claimed more than
 * `windowMinutes` before `now` (nor after it, nor before its dispatch, nor with an unreadable instant).
 *
 * The answer depends only on the set of claims given, never on their order or on which list holds which: two claims
 * appended to the same record in either order, or one appended to a record that already holds it, give the same
 * record. So a writer that lost a conditional write re-reads the record and appends again, and no claim is lost.
 */
export function appendClaims(
  record: readonly RecordedClaim[],
  claims: readonly RecordedClaim[],
  now: Date,
  limits: ClaimHistoryLimits = {},
): RecordedClaim[] {
  const maxClaims = limits.maxClaims ?? CLAIM_HISTORY_MAX;
  const windowMs = (limits.windowMinutes ?? CLAIM_HISTORY_WINDOW_MINUTES) * 60_000;
  const byKey = new Map<string, { claim: RecordedClaim; claimed: number }>();
  for (const claim of [...record, ...claims]) {
    const dispatched = Date.parse(claim.dispatchedAt);
    const claimed = Date.parse(claim.claimedAt);
    if (!Number.isFinite(dispatched) || !Number.isFinite(claimed) || claimed < dispatched) continue;
    if (claimed > now.getTime() || now.getTime() - claimed > windowMs) continue;
    const key = claimKey(claim);
    const seen = byKey.get(key);
    if (
      !seen ||
      claimed < seen.claimed ||
      (claimed === seen.claimed && claim.claimedAt < seen.claim.claimedAt)
    )
      byKey.set(key, {
        claim: { caseId: claim.caseId, dispatchedAt: claim.dispatchedAt, claimedAt: claim.claimedAt },
        claimed,
      });
  }
  return [...byKey.values()]
    .sort((a, b) => b.claimed - a.claimed || (claimKey(a.claim) < claimKey(b.claim) ? -1 : 1))
    .slice(0, Math.max(0, maxClaims))
    .map((entry) => entry.claim);
}

/** What the queue looks like at the moment of a new dispatch. Plain data, read by the handler. */
export interface QueueState {
  /** Cases still waiting in this queue that an agent takes before this one (as urgent or more, dispatched earlier). */
  readonly ahead: number;
  /** The queue's latest claims, any order; only those claimed within `windowMinutes` of now count. */
  readonly recentClaims: readonly RecentClaim[];
}

export interface LiveWaitOptions {
  /** Claims older than this do not describe the queue's staffing (default 1440: the record's 24 hours). */
  readonly windowMinutes?: number;
  /** At most this many latest claims are used (default 20, as many as the record keeps). */
  readonly maxSamples?: number;
  /** Fewer claims than this in the window is "no history": the configured estimate is used (default 3). */
  readonly minSamples?: number;
  /** Minutes each waiting case ahead adds when there is no history (default 1). */
  readonly defaultMinutesPerCaseAhead?: number;
}

const median = (sorted: readonly number[]): number => {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * The live estimate, in whole minutes (rounded up, at least 1):
 *
 *   estimate = base + ahead × minutes per case
 *
 * - base: the median dispatch-to-claim time of the queue's latest claims (at most `maxSamples`, within
 *   `windowMinutes`); with fewer than `minSamples` of them, the configured estimate for the queue and priority.
 * - minutes per case: the median gap between consecutive claims of those; with no history (or all claims at one
 *   instant), `defaultMinutesPerCaseAhead`.
 *
 * Medians, not means, so one case left waiting over lunch, or the night between two shifts, does not move every
 * later promise.
 */
export function liveWaitMinutes(
  queue: TeamQueue,
  priority: Priority,
  state: QueueState,
  now: Date,
  estimates: WaitEstimates = DEFAULT_WAIT_ESTIMATES,
  options: LiveWaitOptions = {},
): number {
  const windowMs = (options.windowMinutes ?? CLAIM_HISTORY_WINDOW_MINUTES) * 60_000;
  const maxSamples = options.maxSamples ?? CLAIM_HISTORY_MAX;
  const minSamples = options.minSamples ?? 3;
  const perCaseDefault = options.defaultMinutesPerCaseAhead ?? 1;
  const claims = state.recentClaims
    .map((c) => ({ dispatched: Date.parse(c.dispatchedAt), claimed: Date.parse(c.claimedAt) }))
    .filter((c) => Number.isFinite(c.dispatched) && Number.isFinite(c.claimed) && c.claimed >= c.dispatched)
    .filter((c) => c.claimed <= now.getTime() && now.getTime() - c.claimed <= windowMs)
    .sort((a, b) => b.claimed - a.claimed)
    .slice(0, maxSamples);
  const ahead = Math.max(0, Math.floor(state.ahead));
  let base: number;
  let minutesPerCase = perCaseDefault;
  if (claims.length < minSamples) {
    base = estimatedWaitMinutes(queue, priority, estimates);
  } else {
    base = median(claims.map((c) => (c.claimed - c.dispatched) / 60_000).sort((a, b) => a - b));
    const gaps = claims
      .slice(1)
      .map((c, i) => ((claims[i]?.claimed ?? c.claimed) - c.claimed) / 60_000)
      .sort((a, b) => a - b);
    const gap = median(gaps);
    if (gap > 0) minutesPerCase = gap;
  }
  return Math.max(1, Math.ceil(base + ahead * minutesPerCase - 1e-9));
}

/**
 * How long the customer waits for a person, as the handoff message and the callback dispatch say it. One pure function
 * of the queue and the priority over configured defaults; a later issue (#18) computes it from queue depth here.
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

/** What the queue looks like at the moment of a new dispatch. Plain data, read by the handler. */
export interface QueueState {
  /** Cases still waiting in this queue that an agent takes before this one (as urgent or more, dispatched earlier). */
  readonly ahead: number;
  /** The queue's latest claims, any order; only those claimed within `windowMinutes` of now count. */
  readonly recentClaims: readonly RecentClaim[];
}

export interface LiveWaitOptions {
  /** Claims older than this do not describe today's staffing (default 120). */
  readonly windowMinutes?: number;
  /** At most this many latest claims are used (default 20). */
  readonly maxSamples?: number;
  /** Fewer claims than this in the window is "no history": the configured estimate is used (default 3). */
  readonly minSamples?: number;
  /** Minutes each waiting case ahead adds when there is no history (default 1). */
  readonly defaultMinutesPerCaseAhead?: number;
}

/**
 * The live estimate, in whole minutes (rounded up, at least 1):
 *
 *   estimate = base + ahead / throughput
 *
 * - base: the median dispatch-to-claim time of the queue's latest claims (at most `maxSamples`, within
 *   `windowMinutes`); with fewer than `minSamples` of them, the configured estimate for the queue and priority.
 * - throughput: claims per minute over the same claims (their count over the span from the earliest to the latest
 *   claim); with no history (or all claims at one instant), one case per `defaultMinutesPerCaseAhead`.
 *
 * The median, not the mean, so one case left waiting over lunch does not move every later promise.
 */
export function liveWaitMinutes(
  queue: TeamQueue,
  priority: Priority,
  state: QueueState,
  now: Date,
  estimates: WaitEstimates = DEFAULT_WAIT_ESTIMATES,
  options: LiveWaitOptions = {},
): number {
  const windowMs = (options.windowMinutes ?? 120) * 60_000;
  const maxSamples = options.maxSamples ?? 20;
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
    const durations = claims.map((c) => (c.claimed - c.dispatched) / 60_000).sort((a, b) => a - b);
    const mid = Math.floor(durations.length / 2);
    base =
      durations.length % 2 === 1
        ? (durations[mid] ?? 0)
        : ((durations[mid - 1] ?? 0) + (durations[mid] ?? 0)) / 2;
    const spanMinutes = ((claims[0]?.claimed ?? 0) - (claims.at(-1)?.claimed ?? 0)) / 60_000;
    if (spanMinutes > 0) minutesPerCase = spanMinutes / (claims.length - 1);
  }
  return Math.max(1, Math.ceil(base + ahead * minutesPerCase - 1e-9));
}

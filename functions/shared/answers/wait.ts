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

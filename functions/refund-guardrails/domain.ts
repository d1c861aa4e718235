/**
 * POLICY.md v2 rules 7 and 8, the refund guardrails that do not depend on the model. Pure: the handler reads the ledger
 * and the budget, these functions decide. Rule 6 (`autoRefundMode: approve`) is a Choice state of the workflow; its
 * new-customer test (`approvalForCustomersNewerThanDays`) is in new-customer.ts.
 */
import { toEpochMs } from '../shared/instants.js';
import type { IsoInstant, MinorUnits } from '../shared/types.js';

const HOUR_MS = 3_600_000;
export const VELOCITY_WINDOW_MS = 30 * 24 * HOUR_MS;
export const BUDGET_WINDOW_MS = 24 * HOUR_MS;

/** One automatic refund as the guardrails count it: a ledger line (or a replay `ledger` entry). */
export interface CountedRefund {
  readonly caseId: string;
  /** Only `auto` counts; agents' refunds and returns' refunds are not the assistant's. */
  readonly source: string;
  readonly at: IsoInstant;
  /** Whether the line still holds money (pending or paid); a failed refund is not a refund. */
  readonly holdsMoney: boolean;
}

/** Inside the window that ends at `now`: after `now - windowMs`, and not after `now`. */
export function inWindowBefore(at: IsoInstant, now: IsoInstant, windowMs: number): boolean {
  const t = toEpochMs(at);
  const end = toEpochMs(now);
  return t <= end && t > end - windowMs;
}

/**
 * Rule 7: the customer's automatic refunds in the 30 days before `now`, one per refunded charge. This case's own lines
 * are left out, so a re-run after a crash counts what the case first saw.
 */
export function autoRefundsLast30Days(
  refunds: readonly CountedRefund[],
  now: IsoInstant,
  caseId: string,
): number {
  return refunds.filter(
    (r) =>
      r.source === 'auto' &&
      r.holdsMoney &&
      r.caseId !== caseId &&
      inWindowBefore(r.at, now, VELOCITY_WINDOW_MS),
  ).length;
}

/** One case's claim on the day's automatic-refund budget of a currency. */
export interface BudgetReservation {
  readonly amount: MinorUnits;
  readonly at: IsoInstant;
}

export interface BudgetCheck {
  readonly currency: string;
  /** The configured budget; null: this currency has none (then every automatic refund in it is over budget). */
  readonly limit: MinorUnits | null;
  /** Automatic refunds of the 24 hours before `now`, all customers together, this case's own left out. */
  readonly usedLast24h: MinorUnits;
  /** What is left after this refund, when it fits; else what was left before it. */
  readonly left: MinorUnits;
  readonly withinBudget: boolean;
}

/** Rule 8: the 24 hours' automatic refunds in this currency plus this one must not exceed the daily budget. */
export function checkBudget(
  reservations: Readonly<Record<string, BudgetReservation>>,
  request: {
    readonly caseId: string;
    readonly currency: string;
    readonly amount: MinorUnits;
    readonly now: IsoInstant;
  },
  limit: MinorUnits | null,
): BudgetCheck {
  const usedLast24h = Object.entries(reservations)
    .filter(([caseId, r]) => caseId !== request.caseId && inWindowBefore(r.at, request.now, BUDGET_WINDOW_MS))
    .reduce((sum, [, r]) => sum + r.amount, 0);
  const withinBudget = limit !== null && usedLast24h + request.amount <= limit;
  const left = limit === null ? 0 : Math.max(0, limit - usedLast24h - (withinBudget ? request.amount : 0));
  return { currency: request.currency, limit, usedLast24h, left, withinBudget };
}

/** The sum of every reservation of a budget item, whatever its instant. */
export function reservationsTotal(reservations: Readonly<Record<string, BudgetReservation>>): MinorUnits {
  return Object.values(reservations).reduce((sum, r) => sum + r.amount, 0);
}

/**
 * The highest `total` (the sum of every reservation in the item) at which this refund still fits, for the conditional
 * write. Of `total` as read, all but `check.usedLast24h` lies outside this case's window (older, or after its `now`),
 * and entries other cases add later only raise `total`: so "total ≤ limit − amount + outside" holds exactly when the
 * window's refunds plus this one stay within the limit, or errs towards refusing (then the case reads again).
 */
export function maxTotalForReservation(
  total: MinorUnits,
  check: BudgetCheck,
  amount: MinorUnits,
): MinorUnits | null {
  if (check.limit === null) return null;
  return check.limit - amount + (total - check.usedLast24h);
}

/** Keeps a budget item bounded: reservations older than the window before the newest one can never count again. */
export function pruneReservations(
  reservations: Readonly<Record<string, BudgetReservation>>,
  keepAtLeast = 500,
): Record<string, BudgetReservation> {
  const entries = Object.entries(reservations);
  if (entries.length <= keepAtLeast) return { ...reservations };
  const newest = Math.max(...entries.map(([, r]) => toEpochMs(r.at)));
  // A week, not a day: replay runs scenarios whose clocks differ, out of order.
  return Object.fromEntries(entries.filter(([, r]) => toEpochMs(r.at) > newest - 7 * BUDGET_WINDOW_MS));
}

export type GuardrailVerdict = 'ok' | 'refund_velocity' | 'budget_exceeded';

export interface GuardrailResult {
  readonly verdict: GuardrailVerdict;
  readonly autoRefundsLast30Days: number;
  readonly maxAutoRefundsPer30Days: number;
  /** Null when the velocity rule stopped the refund first (the budget was then neither checked nor touched). */
  readonly budget: BudgetCheck | null;
}

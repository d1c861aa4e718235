/**
 * Which business metrics a step emits, as plain data: pure functions from a step's result to the metric points, so a
 * unit test can say what a step reports without Powertools. functions/shared/metrics.ts publishes them (EMF); the
 * dashboard in lib/constructs/operations.ts draws each name in BUSINESS_METRICS. Dimensions stay low-cardinality:
 * outcome, reason, queue, currency, never a customer or case id.
 */
import type { CaseState } from './step-events.js';

export type MetricUnitName = 'Count' | 'Milliseconds' | 'None';

export interface MetricPoint {
  readonly name: string;
  readonly unit: MetricUnitName;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Every business metric the handlers emit; the dashboard draws each one. */
export const BUSINESS_METRICS = [
  'Cases',
  'CasesByReason',
  'RefundedMinorUnits',
  'Handoffs',
  'CallbackWait',
  'CreditedMinorUnits',
  'CreditFailed',
  'StuckCasesFound',
  'CasesRestarted',
  'TimeToDecision',
  'BudgetExceeded',
  'RefundFailed',
  'RefundVelocityHandoffs',
  'SlaEscalations',
  'ClaimsNotRecorded',
  'ReturnsStarted',
  'ReturnsFinished',
] as const;

export type BusinessMetric = (typeof BUSINESS_METRICS)[number];

/**
 * The alarms (lib/constructs/operations.ts, case-sweeper.ts) that one point of a business metric fires, by metric:
 * the same names locally, where `npm start` prints a line for each point that would fire one.
 */
export const ALARM_ON_METRIC: Readonly<Partial<Record<BusinessMetric, string>>> = {
  BudgetExceeded: 'AutoRefundBudgetExceeded',
  RefundFailed: 'RefundFailures',
  StuckCasesFound: 'CasesSweptToNeedsAttention',
};

export const count = (
  name: BusinessMetric,
  dimensions: Record<string, string> = {},
  value = 1,
): MetricPoint => ({
  name,
  unit: 'Count',
  value,
  dimensions,
});

/** Money in integer minor units of one currency: never summed across currencies, so the currency is a dimension. */
export const money = (name: BusinessMetric, currency: string, minorUnits: number): MetricPoint => ({
  name,
  unit: 'None',
  value: minorUnits,
  dimensions: { currency: currency.toUpperCase() },
});

export const duration = (
  name: BusinessMetric,
  ms: number,
  dimensions: Record<string, string> = {},
): MetricPoint => ({
  name,
  unit: 'Milliseconds',
  value: Math.max(0, ms),
  dimensions,
});

/**
 * What RecordOutcome reports for a decided case: one case by outcome and reason, the money refunded per currency, and
 * the time from the request to the decision. A follow-up execution (callback, failed refund) decided nothing new.
 */
export function decidedCaseMetrics(
  state: Pick<CaseState, 'decision' | 'refund' | 'requestedAt' | 'followUp'>,
  decidedAt: Date,
): MetricPoint[] {
  if (state.followUp?.kind === 'callback' || state.followUp?.kind === 'refund_failed') return [];
  const { outcome, reason } = state.decision;
  // Two metrics, not one with both dimensions: CloudWatch keeps each dimension set apart, and the dashboard graphs by each.
  const points = [count('Cases', { outcome }), count('CasesByReason', { reason })];
  for (const total of refundedTotals(state.refund)) {
    if (total.amount > 0) points.push(money('RefundedMinorUnits', total.currency, total.amount));
  }
  const requestedAt = Date.parse(state.requestedAt);
  if (Number.isFinite(requestedAt))
    points.push(duration('TimeToDecision', decidedAt.getTime() - requestedAt));
  return points;
}

/**
 * What RequestHumanCallback reports: one handoff on its team queue (a follow-up's handoff counts too), or, when no
 * agent claimed it within the SLA and it is dispatched again, one SLA escalation on that queue instead.
 */
export function handoffMetrics(state: Pick<CaseState, 'decision'>, escalations = 0): MetricPoint[] {
  const queue = state.decision.queue ?? 'general';
  return [escalations > 0 ? count('SlaEscalations', { queue }) : count('Handoffs', { queue })];
}

/** What POST /v1/returns reports for a return it created (not for a replay of the same Idempotency-Key): its policy. */
export function returnStartedMetrics(refundPolicy: string): MetricPoint[] {
  return [count('ReturnsStarted', { policy: refundPolicy })];
}

/** What RecordReturn reports when a return reaches a final status (once: a retry that changes nothing reports nothing). */
export function returnFinishedMetrics(status: string, changed: boolean): MetricPoint[] {
  return changed ? [count('ReturnsFinished', { status })] : [];
}

/** What an agent's first claim reports: how long the case waited from its dispatch to the claim, per queue. */
export function claimMetrics(
  dispatchedAt: string | undefined,
  queue: string | undefined,
  claimedAt: Date,
): MetricPoint[] {
  const dispatched = dispatchedAt ? Date.parse(dispatchedAt) : Number.NaN;
  if (!Number.isFinite(dispatched)) return [];
  return [duration('CallbackWait', claimedAt.getTime() - dispatched, { queue: queue ?? 'general' })];
}

/** What AgentClaim reports when its claim could not be added to the queue's record of recent claims (the claim stands). */
export function claimNotRecordedMetrics(queue: string | undefined): MetricPoint[] {
  return [count('ClaimsNotRecorded', { queue: queue ?? 'general' })];
}

/** What BookGoodwillCredit reports when it settled a credit in this invocation: the money per currency, or a failure. */
export function creditMetrics(credit: { status: string; amount: number; currency: string }): MetricPoint[] {
  if (credit.status === 'succeeded' && credit.amount > 0)
    return [money('CreditedMinorUnits', credit.currency, credit.amount)];
  if (credit.status === 'failed') return [count('CreditFailed')];
  return [];
}

/** What a sweep reports: the stuck cases it marked needs_attention and the lost executions it started again. */
export function sweepMetrics(counts: { needs_attention: number; start: number }): MetricPoint[] {
  const points: MetricPoint[] = [];
  if (counts.needs_attention > 0) points.push(count('StuckCasesFound', {}, counts.needs_attention));
  if (counts.start > 0) points.push(count('CasesRestarted', {}, counts.start));
  return points;
}

function refundedTotals(refund: CaseState['refund']): { currency: string; amount: number }[] {
  if (!refund) return [];
  if (refund.refundedTotals?.length) return refund.refundedTotals;
  if (refund.refundedAmount && refund.currency)
    return [{ currency: refund.currency, amount: refund.refundedAmount }];
  return [];
}

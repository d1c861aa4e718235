/**
 * Refund ledger rules, pure. The ledger holds one item per (customer, charge) with the total
 * Refund Hub has refunded on it and one `case:<caseId>` attribute per case that refunded it.
 */
import { type CurrencyTotal, singleCurrency, totalsByCurrency } from '../shared/money.js';
import type { RefundStatus } from '../shared/payments/provider.js';
import type { MinorUnits } from '../shared/types.js';

/** `return`: a return's refund (the returns workflow), once per return; not an automatic refund for the velocity rule. */
export type RefundSource = 'auto' | 'agent' | 'return';

export interface RefundRequestLine {
  readonly chargeId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
}

/** Attribute that marks "case X refunded this charge"; its presence makes a retry a no-op. */
export function caseAttribute(caseId: string): string {
  return `case:${caseId}`;
}

/**
 * The most the ledger may already hold before this refund, so that ledger + refund never exceeds
 * what is left of the charge after refunds made outside Refund Hub. Negative: refuse outright.
 */
export function maxPriorLedgerTotal(
  chargeAmount: MinorUnits,
  refundedOutside: MinorUnits,
  refund: MinorUnits,
): MinorUnits {
  return chargeAmount - refundedOutside - refund;
}

export interface RefundResult {
  readonly refundedChargeIds: string[];
  /** The refund in `currency`; null only for a refund in more than one currency (see `refundedTotals`). */
  readonly refundedAmount: MinorUnits | null;
  readonly currency: string | null;
  /** The refund per currency: the truth when it spans currencies, which the workflow never asks for. */
  readonly refundedTotals: CurrencyTotal[];
}

/** What a case refunded, from its refunded lines: per currency, and the single-currency view the case record shows. */
export function refundResult(
  lines: readonly { readonly chargeId: string; readonly amount: MinorUnits; readonly currency: string }[],
): RefundResult {
  const refunded = lines.filter((l) => l.amount > 0);
  const refundedTotals = totalsByCurrency(refunded);
  const single = singleCurrency(refundedTotals);
  return {
    refundedChargeIds: refunded.map((l) => l.chargeId),
    refundedAmount: single.amount,
    currency: single.currency,
    refundedTotals,
  };
}

/** One charge's refund as the case and the customer see it. */
export interface RefundLineView {
  readonly chargeId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly status: RefundStatus;
  readonly providerRefundId?: string;
  readonly failureReason?: string;
}

export interface RefundStepResult extends RefundResult {
  readonly skippedChargeIds: string[];
  /** Every line this step made or found, whatever its status. */
  readonly refunds: RefundLineView[];
  /** Charges the provider refused: the case goes to a person (`refund_failed`). */
  readonly failedChargeIds: string[];
  readonly failed: boolean;
}

/**
 * What the refund step did: `refunded` counts only money that is pending or paid; a line the provider
 * failed is reported as failed (and its amount is not in the totals); no line means nothing was left.
 */
export function summarize(
  lines: readonly {
    readonly chargeId: string;
    readonly line: RefundLineView | null;
    readonly currency: string;
  }[],
): RefundStepResult {
  const held = (l: (typeof lines)[number]) =>
    l.line && (l.line.status === 'pending' || l.line.status === 'succeeded') ? l.line.amount : 0;
  const failedChargeIds = lines
    .filter((l) => l.line && (l.line.status === 'failed' || l.line.status === 'canceled'))
    .map((l) => l.chargeId);
  return {
    ...refundResult(lines.map((l) => ({ chargeId: l.chargeId, amount: held(l), currency: l.currency }))),
    skippedChargeIds: lines.filter((l) => !l.line).map((l) => l.chargeId),
    refunds: lines.flatMap((l) => (l.line ? [l.line] : [])),
    failedChargeIds,
    failed: failedChargeIds.length > 0,
  };
}

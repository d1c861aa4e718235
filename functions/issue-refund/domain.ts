/**
 * Refund ledger rules, pure. The ledger holds one item per (customer, charge) with the total
 * Refund Hub has refunded on it and one `case:<caseId>` attribute per case that refunded it.
 */
import type { MinorUnits } from '../shared/types.js';

export type RefundSource = 'auto' | 'agent';

export interface RefundRequestLine {
  readonly chargeId: string;
  readonly amount: MinorUnits;
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
  readonly refundedAmount: MinorUnits;
  /** Charges this case did not refund: already refunded (by another case) or nothing left. */
  readonly skippedChargeIds: string[];
}

export function summarize(
  lines: readonly { readonly chargeId: string; readonly refunded: MinorUnits }[],
): RefundResult {
  const refunded = lines.filter((l) => l.refunded > 0);
  return {
    refundedChargeIds: refunded.map((l) => l.chargeId),
    refundedAmount: refunded.reduce((sum, l) => sum + l.refunded, 0),
    skippedChargeIds: lines.filter((l) => l.refunded === 0).map((l) => l.chargeId),
  };
}

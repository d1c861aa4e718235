/**
 * What an agent's resolution does to a waiting case, decided before the workflow is resumed. Pure.
 * approve_refund pays back at most the refundable remainder; goodwill_credit is capped.
 */
import type { MinorUnits } from '../shared/types.js';

export type AgentDecision = 'approve_refund' | 'goodwill_credit' | 'deny';

export interface ResolutionRequest {
  readonly decision: AgentDecision;
  readonly amount?: MinorUnits;
  /** The one currency to refund in; needed only when the case's charges are in several. */
  readonly currency?: string;
  readonly note: string;
}

export interface RefundableCharge {
  readonly chargeId: string;
  readonly refundable: MinorUnits;
  readonly currency: string;
}

/** The output handed to the waiting Task (SendTaskSuccess), which the state machine routes on. */
export interface ResolutionOutput {
  readonly decision: AgentDecision;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly note: string;
  readonly agentId: string;
  readonly charges: readonly {
    readonly chargeId: string;
    readonly amount: MinorUnits;
    readonly currency: string;
  }[];
}

export class ResolutionRefused extends Error {
  override readonly name = 'ResolutionRefused';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The one currency an agent's refund is in (POLICY "Data": amounts are never added across currencies):
 * the one the agent named, else the case's, else the only one with something left; several: the agent names one.
 */
export function refundCurrency(
  charges: readonly RefundableCharge[],
  requested: string | undefined,
  caseCurrency: string | null,
): string {
  if (requested) return requested;
  if (caseCurrency) return caseCurrency;
  const withRemainder = [...new Set(charges.filter((c) => c.refundable > 0).map((c) => c.currency))].sort();
  if (withRemainder.length > 1) {
    throw new ResolutionRefused(
      'currency_required',
      `This case's charges are in ${withRemainder.join(' and ')}: a refund is in one currency, so name it (currency).`,
    );
  }
  return withRemainder[0] ?? charges[0]?.currency ?? 'USD';
}

/**
 * Spreads a refund over the refundable charges, in the order given (the case's billing errors first),
 * never more than each charge's remainder. Without an amount, everything refundable. One currency only.
 */
export function allocateRefund(charges: readonly RefundableCharge[], amount: MinorUnits | undefined) {
  if (new Set(charges.map((c) => c.currency)).size > 1) {
    throw new ResolutionRefused(
      'mixed_currency',
      'A refund is in one currency; these charges are in several.',
    );
  }
  const available = charges.reduce((sum, c) => sum + c.refundable, 0);
  if (available === 0)
    throw new ResolutionRefused(
      'nothing_refundable',
      'Nothing is left to refund: these charges were already refunded in full (by another case or outside Refund Hub).',
    );
  const wanted = amount ?? available;
  if (wanted <= 0) throw new ResolutionRefused('invalid_amount', 'A refund amount must be positive.');
  if (wanted > available) {
    throw new ResolutionRefused(
      'amount_exceeds_refundable',
      `A refund of ${wanted} is more than the ${available} left to refund on this case.`,
    );
  }
  let left = wanted;
  const lines: { chargeId: string; amount: MinorUnits; currency: string }[] = [];
  for (const charge of charges) {
    if (left === 0) break;
    const take = Math.min(left, charge.refundable);
    if (take > 0) lines.push({ chargeId: charge.chargeId, amount: take, currency: charge.currency });
    left -= take;
  }
  return { amount: wanted, lines };
}

/**
 * `caseCurrency` is the currency the case was decided in (its billing errors', else its order's), when it has one;
 * an approval refunds only charges of the refund's one currency.
 */
export function planResolution(
  request: ResolutionRequest,
  refundable: readonly RefundableCharge[],
  goodwillCapMinor: MinorUnits,
  agentId: string,
  caseCurrency: string | null = null,
): ResolutionOutput {
  switch (request.decision) {
    case 'approve_refund': {
      const currency = refundCurrency(refundable, request.currency, caseCurrency);
      const inCurrency = refundable.filter((c) => c.currency === currency);
      const { amount, lines } = allocateRefund(inCurrency, request.amount);
      return { decision: request.decision, amount, currency, note: request.note, agentId, charges: lines };
    }
    case 'goodwill_credit': {
      const currency = request.currency ?? caseCurrency ?? refundable[0]?.currency ?? 'USD';
      const amount = request.amount ?? 0;
      if (amount <= 0)
        throw new ResolutionRefused('invalid_amount', 'A goodwill credit needs a positive amount.');
      if (amount > goodwillCapMinor) {
        throw new ResolutionRefused(
          'goodwill_over_cap',
          `A goodwill credit of ${amount} is over the cap of ${goodwillCapMinor} set by the operator.`,
        );
      }
      return { decision: request.decision, amount, currency, note: request.note, agentId, charges: [] };
    }
    default: {
      const currency = request.currency ?? caseCurrency ?? 'USD';
      return { decision: 'deny', amount: 0, currency, note: request.note, agentId, charges: [] };
    }
  }
}

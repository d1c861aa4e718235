/**
 * What an agent's resolution does to a waiting case, decided before the workflow is resumed. Pure.
 * approve_refund pays back at most the refundable remainder; goodwill_credit is capped.
 */
import type { MinorUnits } from '../shared/types.js';

export type AgentDecision = 'approve_refund' | 'goodwill_credit' | 'deny';

export interface ResolutionRequest {
  readonly decision: AgentDecision;
  readonly amount?: MinorUnits;
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
  readonly charges: readonly { readonly chargeId: string; readonly amount: MinorUnits }[];
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
 * Spreads a refund over the refundable charges, in the order given (the case's billing errors first),
 * never more than each charge's remainder. Without an amount, everything refundable.
 */
export function allocateRefund(charges: readonly RefundableCharge[], amount: MinorUnits | undefined) {
  const available = charges.reduce((sum, c) => sum + c.refundable, 0);
  if (available === 0)
    throw new ResolutionRefused('nothing_refundable', 'No charge on this case has anything left to refund.');
  const wanted = amount ?? available;
  if (wanted <= 0) throw new ResolutionRefused('invalid_amount', 'A refund amount must be positive.');
  if (wanted > available) {
    throw new ResolutionRefused(
      'amount_exceeds_refundable',
      `A refund of ${wanted} is more than the ${available} left to refund on this case.`,
    );
  }
  let left = wanted;
  const lines: { chargeId: string; amount: MinorUnits }[] = [];
  for (const charge of charges) {
    if (left === 0) break;
    const take = Math.min(left, charge.refundable);
    if (take > 0) lines.push({ chargeId: charge.chargeId, amount: take });
    left -= take;
  }
  return { amount: wanted, lines };
}

export function planResolution(
  request: ResolutionRequest,
  refundable: readonly RefundableCharge[],
  goodwillCapMinor: MinorUnits,
  agentId: string,
): ResolutionOutput {
  const currency = refundable[0]?.currency ?? 'USD';
  switch (request.decision) {
    case 'approve_refund': {
      const { amount, lines } = allocateRefund(refundable, request.amount);
      return { decision: request.decision, amount, currency, note: request.note, agentId, charges: lines };
    }
    case 'goodwill_credit': {
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
    default:
      return { decision: 'deny', amount: 0, currency, note: request.note, agentId, charges: [] };
  }
}

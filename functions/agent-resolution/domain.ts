/**
 * What an agent's resolution does to a waiting case, decided before the workflow is resumed (POLICY.md v2
 * "Agent resolutions"). Pure. approve_refund pays named charges (or the case's own) at most their remainders,
 * never "the newest charge"; goodwill_credit is capped; deny and resolve move no money and speak to the customer.
 */
import { formatMoney } from '../shared/money.js';
import type { MinorUnits } from '../shared/types.js';

export const AGENT_DECISIONS = ['approve_refund', 'goodwill_credit', 'deny', 'resolve'] as const;
export type AgentDecision = (typeof AGENT_DECISIONS)[number];

export interface ResolutionRequest {
  readonly decision: AgentDecision;
  readonly charges?: readonly { readonly chargeId: string; readonly amount: MinorUnits }[];
  readonly amount?: MinorUnits;
  /** The one currency to refund in; needed only when the case's charges are in several. */
  readonly currency?: string;
  /** Internal: kept on the case for agents, never shown to the customer. */
  readonly note: string;
  /** What the customer is told (required for deny and resolve). */
  readonly customerMessage?: string;
}

/** One of the customer's charges and what is left to refund of it (after refunds, the ledger and pending approvals). */
export interface RefundableCharge {
  readonly chargeId: string;
  readonly refundable: MinorUnits;
  readonly currency: string;
  /** When it was charged: the customer is told about a charge by its date, never its id. */
  readonly chargedAt?: string;
}

export interface RefundLine {
  readonly chargeId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly chargedAt?: string;
}

/** The output handed to the waiting Task (SendTaskSuccess), which the state machine routes on. */
export interface ResolutionOutput {
  readonly decision: AgentDecision;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly note: string;
  readonly customerMessage?: string;
  /** The deciding agent (kept as `agentId` too: the credit booking records it). */
  readonly agentId: string;
  readonly decidedBy: string;
  /** The second agent, when the decision needed a dual approval. */
  readonly approvedBy?: string;
  readonly charges: readonly RefundLine[];
}

/** What the handler knows of the case to plan a decision on. */
export interface PlanContext {
  /** Every charge of the customer with its remainder (for approvals naming charges). */
  readonly customerCharges: readonly RefundableCharge[];
  /** The case's own charges, in order: its billing errors, else the charge of its order; empty when neither. */
  readonly defaultChargeIds: readonly string[];
  readonly goodwillCapMinor: MinorUnits;
  readonly agentId: string;
  /** The currency the case was decided in (its billing errors', else its order's), when it has one. */
  readonly caseCurrency: string | null;
}

export class ResolutionRefused extends Error {
  override readonly name = 'ResolutionRefused';
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: 400 | 409 | 422 = 422,
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

const line = (charge: RefundableCharge, amount: MinorUnits): RefundLine => ({
  chargeId: charge.chargeId,
  amount,
  currency: charge.currency,
  ...(charge.chargedAt ? { chargedAt: charge.chargedAt } : {}),
});

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
      `A refund of ${wanted} is more than the ${available} left to refund on this case: ask for at most ${available}.`,
    );
  }
  let left = wanted;
  const lines: RefundLine[] = [];
  for (const charge of charges) {
    if (left === 0) break;
    const take = Math.min(left, charge.refundable);
    if (take > 0) lines.push(line(charge, take));
    left -= take;
  }
  return { amount: wanted, lines };
}

/**
 * The charges an agent named, each checked against the customer's charges and its remainder. Nothing is
 * spread or trimmed: what the agent asked for is paid exactly, or the request is refused with what to change.
 */
export function namedRefund(
  named: readonly { readonly chargeId: string; readonly amount: MinorUnits }[],
  customerCharges: readonly RefundableCharge[],
  requestedCurrency: string | undefined,
) {
  const seen = new Set<string>();
  const lines: RefundLine[] = [];
  for (const { chargeId, amount } of named) {
    if (seen.has(chargeId)) {
      throw new ResolutionRefused(
        'duplicate_charge',
        `Charge ${chargeId} is named twice: name each charge once, with its whole amount.`,
        400,
      );
    }
    seen.add(chargeId);
    const charge = customerCharges.find((c) => c.chargeId === chargeId);
    if (!charge) {
      throw new ResolutionRefused(
        'not_this_customers_charge',
        `Charge ${chargeId} is not one of this customer's charges: name a charge from the case's evidence pack.`,
      );
    }
    if (amount > charge.refundable) {
      throw new ResolutionRefused(
        'amount_exceeds_remainder',
        `Charge ${chargeId} has ${formatMoney(charge.refundable, charge.currency)} (${charge.refundable}) left to refund: ` +
          `ask for at most ${charge.refundable} on it.`,
      );
    }
    lines.push(line(charge, amount));
  }
  const currencies = [...new Set(lines.map((l) => l.currency))].sort();
  if (currencies.length > 1) {
    throw new ResolutionRefused(
      'mixed_currency',
      `These charges are in ${currencies.join(' and ')}: one approval refunds one currency, so approve each separately.`,
    );
  }
  const currency = currencies[0] ?? 'USD';
  if (requestedCurrency && requestedCurrency !== currency) {
    throw new ResolutionRefused(
      'mixed_currency',
      `The charges named are in ${currency}, not ${requestedCurrency}: drop currency or name charges in ${requestedCurrency}.`,
    );
  }
  return { amount: lines.reduce((sum, l) => sum + l.amount, 0), currency, lines };
}

function noMoney(request: ResolutionRequest): void {
  if (request.charges !== undefined || request.amount !== undefined) {
    throw new ResolutionRefused(
      'no_money_in_decision',
      `A ${request.decision} moves no money: drop charges and amount (or decide approve_refund or goodwill_credit).`,
      400,
    );
  }
  if (!request.customerMessage?.trim()) {
    throw new ResolutionRefused(
      'customer_message_required',
      `A ${request.decision} needs a customerMessage: what the customer is told (the note stays internal).`,
      400,
    );
  }
}

function approveRefund(request: ResolutionRequest, context: PlanContext) {
  if (request.charges !== undefined) {
    const named = namedRefund(request.charges, context.customerCharges, request.currency);
    if (request.amount !== undefined && request.amount !== named.amount) {
      throw new ResolutionRefused(
        'amount_mismatch',
        `amount ${request.amount} is not the ${named.amount} the named charges add up to: drop amount or correct it.`,
        400,
      );
    }
    return named;
  }
  const defaults = context.defaultChargeIds
    .map((id) => context.customerCharges.find((c) => c.chargeId === id))
    .filter((c): c is RefundableCharge => c !== undefined);
  if (defaults.length === 0) {
    throw new ResolutionRefused(
      'charges_required',
      'This case has no billing error and no order charge to refund: name the charges (charges, --charge CHARGE:AMOUNT).',
    );
  }
  const currency = refundCurrency(defaults, request.currency, context.caseCurrency);
  const { amount, lines } = allocateRefund(
    defaults.filter((c) => c.currency === currency),
    request.amount,
  );
  return { amount, currency, lines };
}

export function planResolution(request: ResolutionRequest, context: PlanContext): ResolutionOutput {
  const who = { agentId: context.agentId, decidedBy: context.agentId };
  const said = request.customerMessage?.trim() ? { customerMessage: request.customerMessage.trim() } : {};
  switch (request.decision) {
    case 'approve_refund': {
      const { amount, currency, lines } = approveRefund(request, context);
      return {
        decision: request.decision,
        amount,
        currency,
        note: request.note,
        ...said,
        ...who,
        charges: lines,
      };
    }
    case 'goodwill_credit': {
      if (request.charges !== undefined) {
        throw new ResolutionRefused(
          'charges_not_allowed',
          'A goodwill credit is not paid on charges: drop charges and give the amount.',
          400,
        );
      }
      if (request.amount === undefined) {
        throw new ResolutionRefused(
          'amount_required',
          'A goodwill credit needs an amount (minor units).',
          400,
        );
      }
      if (request.amount > context.goodwillCapMinor) {
        throw new ResolutionRefused(
          'goodwill_over_cap',
          `A goodwill credit of ${request.amount} is over the cap of ${context.goodwillCapMinor} set by the operator: ` +
            `give at most ${context.goodwillCapMinor}.`,
        );
      }
      const currency =
        request.currency ?? context.caseCurrency ?? context.customerCharges[0]?.currency ?? 'USD';
      return {
        decision: request.decision,
        amount: request.amount,
        currency,
        note: request.note,
        ...said,
        ...who,
        charges: [],
      };
    }
    default: {
      noMoney(request);
      const currency = request.currency ?? context.caseCurrency ?? 'USD';
      return {
        decision: request.decision,
        amount: 0,
        currency,
        note: request.note,
        ...said,
        ...who,
        charges: [],
      };
    }
  }
}

/** Money over the threshold (in the approval's own currency) waits for a second, different agent. */
export function needsSecondApproval(output: ResolutionOutput, thresholdMinor: MinorUnits): boolean {
  return (
    (output.decision === 'approve_refund' || output.decision === 'goodwill_credit') &&
    output.amount > thresholdMinor
  );
}

/**
 * Whether a pending approval's refund still fits the charges' remainders at confirmation time (money may have
 * moved since the first agent decided): the refusal names the charge and what is left of it.
 */
export function recheckRemainders(
  output: ResolutionOutput,
  customerCharges: readonly RefundableCharge[],
): void {
  if (output.decision !== 'approve_refund') return;
  namedRefund(
    output.charges.map((c) => ({ chargeId: c.chargeId, amount: c.amount })),
    customerCharges,
    undefined,
  );
}

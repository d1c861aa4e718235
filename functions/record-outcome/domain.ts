/**
 * What the customer and the case record are told once the workflow has decided. Pure.
 */
import type { Receipt, TimelineEntry } from '../shared/case-record.js';
import { type CurrencyTotal, formatMoney, totalsByCurrency } from '../shared/money.js';
import { failureInWords } from '../shared/refund-words.js';
import type { CaseState } from '../shared/step-events.js';

type RefundFacts = NonNullable<CaseState['refund']>;

/** A refund's per-currency totals (a result without them is one currency, as older cases recorded it). */
export function refundTotals(
  refund: RefundFacts | null | undefined,
  fallbackCurrency: string,
): CurrencyTotal[] {
  if (!refund) return [];
  if (refund.refundedTotals) return refund.refundedTotals;
  const amount = refund.refundedAmount ?? 0;
  return amount > 0 ? [{ currency: refund.currency ?? fallbackCurrency, amount }] : [];
}

/** "$14.99", or "$14.99 and ¥45,000" for a refund in several currencies: never one sum across them. */
export function formatTotals(totals: readonly CurrencyTotal[]): string {
  return totals.map((t) => formatMoney(t.amount, t.currency)).join(' and ');
}

export interface OutcomeRecord {
  readonly fields: Record<string, unknown>;
  readonly receipt: Receipt;
  readonly message: { readonly subject: string; readonly body: string };
}

const SELF_SERVICE_HELP: Record<string, string> = {
  order_tracking: 'You can follow your order live under Your Orders > Track package.',
  return_request: 'You can start a return under Your Orders > Return or replace items; the label is free.',
  cancellation:
    'You can cancel under Your Account > Memberships & subscriptions, or Your Orders for an order.',
  product_question: 'Our assistant can answer product questions from the product page.',
  human_agent: 'Choose "Call Me Now" if you would like a person to call you.',
  billing_refund: 'You can see your charges under Your Account > Payments.',
  account_security: 'Go to Your Account > Login & security to review your sign-in details.',
  other: 'Browse help topics, or choose "Call Me Now" to talk to a person.',
};

/** The timeline entries that say what the workflow understood, decided and refunded. */
export function decisionTimeline(state: CaseState, at: string): TimelineEntry[] {
  const { classification, decision, refund } = state;
  return [
    { at, step: 'classified', detail: `${classification.intent} (${classification.confidence.toFixed(2)})` },
    { at, step: 'decided', detail: `rule ${decision.rule}: ${decision.outcome} / ${decision.reason}` },
    ...(refund && refund.refundedChargeIds.length > 0 ? [refundEntry(refund, at)] : []),
  ];
}

export function refundEntry(refund: RefundFacts, at: string): TimelineEntry {
  return {
    at,
    step: 'refund_issued',
    detail: `${formatTotals(refundTotals(refund, 'USD'))} refunded on ${refund.refundedChargeIds.join(', ')}`,
  };
}

export function receiptFor(state: CaseState): Receipt {
  return {
    rule: state.decision.rule,
    reason: state.decision.reason,
    facts: { classification: state.classification, ...state.facts, refund: state.refund },
    thresholds: state.policy,
  };
}

export function outcomeRecord(state: CaseState): OutcomeRecord {
  const { decision, refund } = state;
  // Whatever the outcome: a refund paid before a later step failed still shows on the case.
  const refundedChargeIds = refund?.refundedChargeIds ?? [];
  const billing = state.facts.billing as { currency?: string | null } | null | undefined;
  const totals = refundTotals(refund, billing?.currency ?? 'USD');
  // The case record's single-currency view; a refund in several currencies has no single amount.
  const refundedAmount = totals.length > 1 ? null : (totals[0]?.amount ?? 0);
  const currency = totals.length > 1 ? null : (totals[0]?.currency ?? null);
  // "no_refund_due always offers it", whatever the state that decided.
  const callbackOffered = decision.outcome === 'no_refund_due' || (decision.callbackOffered ?? false);
  const offer = callbackOffered
    ? ' If you would like to talk it through, choose "Call Me Now" and a person will call you.'
    : '';

  let subject: string;
  let body: string;
  switch (decision.outcome) {
    case 'auto_refunded': {
      // Issued (the provider has it, not settled yet) or done: the customer hears again when it is confirmed or fails.
      const pending = (refund?.refunds ?? []).some((r) => r.status === 'pending');
      subject = pending ? 'Your refund has been issued' : 'Your refund is on its way';
      body = pending
        ? `We found a billing error and issued a refund of ${formatTotals(totals)} (charges ${refundedChargeIds.join(', ')}). ` +
          `The payment provider is processing it; we will tell you here when it is confirmed.${offer}`
        : `We found a billing error and refunded ${formatTotals(totals)} (charges ${refundedChargeIds.join(', ')}). It reaches your original payment method in 3-5 business days.${offer}`;
      break;
    }
    case 'no_refund_due':
      subject = 'About your refund request';
      body =
        decision.reason === 'already_refunded'
          ? `The charges in question have already been refunded.${offer}`
          : `We compared your cancellation date with your charges and found no charge made after cancellation and no duplicate charge.${offer}`;
      break;
    case 'human_handoff': {
      const failed = (refund?.refunds ?? []).filter((r) => r.status === 'failed' || r.status === 'canceled');
      if (decision.reason === 'refund_failed' && failed.length > 0) {
        const first = failed[0];
        subject = 'Your refund could not be completed';
        body =
          `We tried to refund ${formatTotals(totalsByCurrency(failed))} to your original payment method, but ${failureInWords(first?.failureReason)}. ` +
          'A billing specialist will call you or open a live chat to pay it another way.';
        break;
      }
      subject = 'A specialist will contact you';
      body = 'We have passed your request to a specialist, who will call you or open a live chat shortly.';
      break;
    }
    default:
      subject = 'Here is how to get this done';
      body = `${SELF_SERVICE_HELP[decision.reason] ?? SELF_SERVICE_HELP.other}${offer}`;
  }

  return {
    fields: {
      status: decision.outcome === 'human_handoff' ? 'awaiting_agent' : 'resolved',
      intent: state.classification.intent,
      classification: state.classification,
      outcome: decision.outcome,
      reason: decision.reason,
      rule: decision.rule,
      handoffQueue: decision.outcome === 'human_handoff' ? (decision.queue ?? 'general') : null,
      priority: decision.outcome === 'human_handoff' ? (decision.priority ?? 'normal') : null,
      refundedChargeIds,
      refundedAmount,
      currency,
      refundedTotals: totals,
      callbackOffered,
    },
    receipt: receiptFor(state),
    message: { subject, body },
  };
}

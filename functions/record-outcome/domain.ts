/**
 * What the customer and the case record are told once the workflow has decided. Pure.
 */
import type { IntentDecision } from '../shared/answers/intent-from-account.js';
import {
  autoRefundAnswer,
  type BillingFacts,
  type CustomerAnswer,
  cancellationAnswer,
  decidedLead,
  generalAnswer,
  type HandoffContact,
  handoffAnswer,
  noRefundAnswer,
  returnAnswer,
  trackingAnswer,
} from '../shared/answers/outcome-messages.js';
import { DEFAULT_WAIT_ESTIMATES } from '../shared/answers/wait.js';
import type { Receipt, TimelineEntry } from '../shared/case-record.js';
import { type CurrencyTotal, formatMoney, totalsByCurrency } from '../shared/money.js';
import { failureInWords } from '../shared/refund-words.js';
import type { CaseState } from '../shared/step-events.js';
import type { Intent } from '../shared/types.js';

/** A handoff recorded without the dispatch's contact details: live chat, the default wait. */
const NO_CONTACT: HandoffContact = {
  phoneNumber: null,
  estimatedWaitMinutes: DEFAULT_WAIT_ESTIMATES.default,
};

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
  readonly message: CustomerAnswer;
}

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

/** The receipt: the rule, the facts it used (with who decided the intent, when the account did) and the thresholds. */
export function receiptFor(state: CaseState): Receipt {
  const { intentDecision, ...facts } = state.facts as Record<string, unknown> & {
    intentDecision?: IntentDecision;
  };
  return {
    rule: state.decision.rule,
    reason: state.decision.reason,
    facts: {
      classification: state.classification,
      ...facts,
      ...(intentDecision?.decided
        ? {
            intentDecidedBy: {
              by: intentDecision.by,
              from: intentDecision.from,
              to: intentDecision.to,
              why: intentDecision.why,
              unsure: intentDecision.unsure,
            },
          }
        : {}),
      refund: state.refund,
    },
    thresholds: state.policy,
  };
}

/** The message for the outcome, from what the account holds (functions/shared/answers). */
export function answerFor(
  state: CaseState,
  callbackOffered: boolean,
  contact: HandoffContact,
): CustomerAnswer {
  const { decision, refund } = state;
  const view = state.answers ?? null;
  const billing = (state.facts.billing ?? null) as BillingFacts | null;
  const intentDecision = (state.facts.intentDecision ?? null) as IntentDecision | null;
  const lead = decidedLead(intentDecision, view);
  const led = (answer: CustomerAnswer) => ({ ...answer, body: `${lead}${answer.body}` });
  switch (decision.outcome) {
    case 'auto_refunded': {
      const currency = (billing as { currency?: string | null } | null)?.currency ?? 'USD';
      return autoRefundAnswer(
        {
          totals: refundTotals(refund, currency),
          chargeIds: refund?.refundedChargeIds ?? [],
          // Issued (the provider has it, not settled yet) or done: the customer hears again when it is confirmed or fails.
          pending: (refund?.refunds ?? []).some((r) => r.status === 'pending'),
          view,
          billing,
        },
        callbackOffered,
      );
    }
    case 'no_refund_due':
      return noRefundAnswer(decision.reason, view, billing, callbackOffered);
    case 'human_handoff': {
      const failedRefunds = (refund?.refunds ?? []).filter(
        (r) => r.status === 'failed' || r.status === 'canceled',
      );
      return led(
        handoffAnswer({
          reason: decision.reason,
          queue: decision.queue ?? 'general',
          contact,
          view,
          billing,
          failed:
            failedRefunds.length > 0
              ? {
                  totals: totalsByCurrency(failedRefunds),
                  failure: failureInWords(failedRefunds[0]?.failureReason),
                }
              : null,
        }),
      );
    }
    default: {
      const offer = callbackOffered
        ? ' If you would like to talk it through, choose "Call Me Now" and a person will call you.'
        : '';
      const withOffer = (answer: CustomerAnswer) => ({ ...answer, body: `${answer.body}${offer}` });
      switch (decision.reason) {
        case 'order_tracking':
          return led(withOffer(trackingAnswer(view)));
        case 'cancellation':
          return withOffer(cancellationAnswer(view));
        case 'return_request':
          return led(withOffer(returnAnswer(view)));
        default:
          return generalAnswer(decision.reason as Intent, view, callbackOffered);
      }
    }
  }
}

export function outcomeRecord(state: CaseState, contact: HandoffContact = NO_CONTACT): OutcomeRecord {
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
  const message = answerFor(state, callbackOffered, contact);

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
      // The same subject and body as the message center's entry: GET /v1/support-requests/{id} shows it.
      answer: message,
    },
    receipt: receiptFor(state),
    message,
  };
}

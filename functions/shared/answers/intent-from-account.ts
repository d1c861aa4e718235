/**
 * The account decides short or ambiguous messages (issue #15): "refund", "it never came", "help". When the classifier
 * cannot tell the topics apart, the account's state may: an unrefunded billing error supports `billing_refund`, a late
 * or lost order `order_tracking`, a delivered order inside its return window `return_request`. Exactly one supported
 * topic decides; anything else changes nothing. Never touches `account_security`. Pure.
 */
import type { Classification, Intent } from '../types.js';
import type { AccountView } from './account-view.js';

/** The topics an account's state can support. */
export const ACCOUNT_TOPICS = ['billing_refund', 'order_tracking', 'return_request'] as const;
type AccountTopic = (typeof ACCOUNT_TOPICS)[number];

export interface IntentRules {
  /** A message of at most this many words (after redaction) is short. */
  readonly maxShortWords: number;
  /** The classifier's top two intents are close when their probabilities differ by at most this. */
  readonly closeMargin: number;
  /** An alternative at or above this probability is a plausible topic (and `account_security` there blocks the step). */
  readonly plausibleAt: number;
}

export const DEFAULT_INTENT_RULES: IntentRules = { maxShortWords: 6, closeMargin: 0.15, plausibleAt: 0.15 };

/** What the receipt says (`facts.intentDecidedBy`); `decided: false` when nothing changed. */
export interface IntentDecision {
  readonly decided: boolean;
  /** The classifier was under the confidence threshold: a decided `billing_refund` must not refund automatically. */
  readonly unsure: boolean;
  readonly by: 'account' | null;
  readonly from: Intent | null;
  readonly to: Intent | null;
  readonly why: string | null;
}

export const NOT_DECIDED: IntentDecision = {
  decided: false,
  unsure: false,
  by: null,
  from: null,
  to: null,
  why: null,
};

type ClassificationWithAlternatives = Classification & { readonly classifiedIntent?: Intent };

export function wordCount(message: string): number {
  return message
    .trim()
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Why the account supports a topic, in words for the receipt; null when it does not. */
export function accountSupport(view: AccountView, topic: AccountTopic): string | null {
  switch (topic) {
    case 'billing_refund': {
      const error = view.billingErrors[0];
      if (!error) return null;
      const kind = error.kinds.includes('after_cancellation')
        ? 'a charge after cancellation'
        : 'a duplicate charge';
      return `unrefunded billing error: ${kind} (${error.plan}, ${error.chargedAt})`;
    }
    case 'order_tracking': {
      const order = view.order;
      if (order?.status === 'lost') return `order ${order.id} is lost`;
      if (order?.late) return `order ${order.id} is late (promised by ${order.promisedBy})`;
      return null;
    }
    case 'return_request': {
      const r = view.returnOrder;
      return r?.eligible
        ? `order ${r.order.id} was delivered and can be returned until ${r.windowEndsAt}`
        : null;
    }
  }
}

function isAccountTopic(intent: Intent): intent is AccountTopic {
  return (ACCOUNT_TOPICS as readonly string[]).includes(intent);
}

/** The topics the classifier found plausible, or null when the rule does not apply to this message. */
function candidateTopics(
  classification: ClassificationWithAlternatives,
  message: string,
  unsure: boolean,
  rules: IntentRules,
): readonly AccountTopic[] | null {
  const alternatives = classification.alternatives ?? [];
  // Without the model's alternatives only the confidence rule applies: an unsure message whose one known plausible
  // topic (the classifier's guess) the account supports. Gibberish (intent other, confidence 0) stays other.
  if (alternatives.length === 0) return unsure ? [classification.intent].filter(isAccountTopic) : null;
  if (alternatives.some((a) => a.intent === 'account_security' && a.confidence >= rules.plausibleAt))
    return null;
  const ranked = [...alternatives].sort((a, b) => b.confidence - a.confidence);
  const close =
    ranked.length > 1 && (ranked[0]?.confidence ?? 0) - (ranked[1]?.confidence ?? 0) <= rules.closeMargin;
  const short = wordCount(message) <= rules.maxShortWords;
  if (!short && !close && !unsure) return null;
  const plausible = [
    ...new Set(ranked.filter((a) => a.confidence >= rules.plausibleAt).map((a) => a.intent)),
  ];
  if (plausible.length < 2) return null;
  return plausible.filter(isAccountTopic);
}

/**
 * The classification the policy should route on, and what the receipt says about it. The markers (frustrated,
 * urgent, humanRequested) always stay as the classifier found them.
 */
export function intentFromAccount(
  input: {
    readonly classification: ClassificationWithAlternatives;
    readonly message: string;
    readonly confidenceThreshold: number;
    readonly view: AccountView;
  },
  rules: IntentRules = DEFAULT_INTENT_RULES,
): { readonly classification: ClassificationWithAlternatives; readonly decision: IntentDecision } {
  const { classification, view } = input;
  const unchanged = { classification, decision: NOT_DECIDED };
  const from = classification.intent;
  if (from === 'account_security' || classification.classifiedIntent === 'account_security') return unchanged;
  const unsure = classification.confidence < input.confidenceThreshold;
  const candidates = candidateTopics(classification, input.message, unsure, rules);
  if (!candidates) return unchanged;
  const supported = candidates
    .map((topic) => ({ topic, why: accountSupport(view, topic) }))
    .filter((s): s is { topic: AccountTopic; why: string } => s.why !== null);
  const [only] = supported;
  if (supported.length !== 1 || !only) return unchanged;
  // A confident classification the account agrees with needs no decision; an unsure one does (it would count as other).
  if (only.topic === from && !unsure) return unchanged;
  return {
    classification: { ...classification, intent: only.topic },
    decision: { decided: true, unsure, by: 'account', from, to: only.topic, why: only.why },
  };
}

/**
 * The "Call Me Now" callback request an agent receives. Pure. It carries what the agent needs and
 * never the task token (which stays on the case record) or card data (redacted at intake).
 */
import { estimatedWaitMinutes } from '../shared/answers/wait.js';
import { isCardNumber } from '../shared/card-number.js';
import type { CaseState } from '../shared/step-events.js';
import type { Priority, TeamQueue } from '../shared/types.js';

const E164 = /^\+[1-9]\d{6,14}$/;

export interface CallbackRequest {
  readonly caseId: string;
  readonly customerId: string;
  readonly queue: TeamQueue;
  readonly priority: Priority;
  readonly reason: string;
  /** `call` when there is a usable E.164 number, else `live_chat`. */
  readonly contact: 'call' | 'live_chat';
  readonly phoneNumber: string | null;
  readonly message: string;
  readonly intent: string;
  readonly escalation: number;
  readonly facts: Record<string, unknown>;
  readonly requestedAt: string;
  /** What the customer was told: roughly how many minutes until the team calls or chats (functions/shared/answers/wait.ts). */
  readonly estimatedWaitMinutes: number;
}

/**
 * The request's number, else the profile's, if it is E.164 and not a payment card number: "a phone number field holds a
 * phone number", and card numbers never leave intake, whichever way the number reached the case (a profile, an import).
 */
export function callbackNumber(...candidates: readonly (string | null | undefined)[]): string | null {
  return (
    candidates.find((n): n is string => typeof n === 'string' && E164.test(n) && !isCardNumber(n.slice(1))) ??
    null
  );
}

/** The team queue and urgency of a handoff: an escalation (no agent within the SLA) is always urgent. */
export function callbackQueue(
  decision: CaseState['decision'],
  escalation: number,
): { readonly queue: TeamQueue; readonly priority: Priority } {
  return {
    queue: decision.queue ?? 'general',
    priority: escalation > 0 ? 'urgent' : (decision.priority ?? 'normal'),
  };
}

export function callbackRequest(
  state: CaseState,
  customerMessage: string,
  phones: { readonly callbackPhone: string | null; readonly profilePhone: string | null },
  escalation: number,
  /** The live estimate (liveWaitMinutes over the queue's state); the configured default without it. */
  waitMinutes?: number,
): CallbackRequest {
  const phoneNumber = callbackNumber(phones.callbackPhone, phones.profilePhone);
  const { queue, priority } = callbackQueue(state.decision, escalation);
  return {
    caseId: state.caseId,
    customerId: state.customerId,
    queue,
    priority,
    reason: state.decision.reason,
    contact: phoneNumber ? 'call' : 'live_chat',
    phoneNumber,
    message: customerMessage,
    intent: state.classification.intent,
    escalation,
    facts: {
      rule: state.decision.rule,
      classification: state.classification,
      ...state.facts,
      refund: state.refund,
    },
    requestedAt: state.requestedAt,
    estimatedWaitMinutes: waitMinutes ?? estimatedWaitMinutes(queue, priority),
  };
}

/** POLICY rule 0: a step failed and the case went to a person (reason `system_error`). */
export const SYSTEM_ERROR_RULE = 0;

/**
 * Whether the refund step may have run before this handoff, so the ledger has to say what it paid.
 * Every other handoff rule is decided before IssueRefund; only a failure at or after it (rule 0) and
 * a refund the provider failed (`refund_failed`) follow a refund. The synthesized definition is checked for this in test/cdk.
 */
export function mayFollowRefund(decision: CaseState['decision']): boolean {
  return decision.rule === SYSTEM_ERROR_RULE || decision.reason === 'refund_failed';
}

/**
 * Schemas of the state the workflow carries, as the Task states pass it to the steps.
 * One place, so the state machine's Parameters and the handlers cannot drift apart unnoticed.
 */

import { accountViewSchema } from './answers/account-view.js';
import { INTENTS, PRIORITIES, QUEUES } from './types.js';
import * as z from './zod.js';

export const classificationSchema = z.object({
  intent: z.enum(INTENTS),
  confidence: z.number().check(z.gte(0), z.lte(1)),
  frustrated: z.boolean(),
  urgent: z.boolean(),
  humanRequested: z.boolean(),
  /** The model's top 3 intents with their probabilities, best first (absent from Bedrock and follow-ups). */
  alternatives: z.optional(
    z
      .array(z.object({ intent: z.enum(INTENTS), confidence: z.number().check(z.gte(0), z.lte(1)) }))
      .check(z.maxLength(3)),
  ),
  /** Set when the confidence gate turned an unsure classification into `other`. */
  classifiedIntent: z.optional(z.enum(INTENTS)),
});

export const decisionSchema = z.object({
  outcome: z.enum(['auto_refunded', 'no_refund_due', 'human_handoff', 'self_service']),
  /** POLICY.md v2 rows 1-12; 0 is the system-error handoff. */
  rule: z.int().check(z.gte(0), z.lte(12)),
  reason: z.string().check(z.minLength(1)),
  queue: z.nullish(z.enum(QUEUES)),
  priority: z.nullish(z.enum(PRIORITIES)),
  callbackOffered: z.optional(z.boolean()),
});

const currencyTotalSchema = z.object({ currency: z.string(), amount: z.int().check(z.nonnegative()) });

export const refundResultSchema = z.object({
  refundedChargeIds: z.array(z.string()),
  /** In `currency`; null only for a refund in more than one currency (`refundedTotals` then says what). */
  refundedAmount: z.nullable(z.int().check(z.nonnegative())),
  currency: z.nullish(z.string()),
  refundedTotals: z.optional(z.array(currencyTotalSchema)),
  skippedChargeIds: z.optional(z.array(z.string())),
  /** Each charge's refund with the provider's status (the refund step's result; absent in older states). */
  refunds: z.optional(
    z.array(
      z.object({
        chargeId: z.string(),
        amount: z.int().check(z.nonnegative()),
        currency: z.string(),
        status: z.enum(['pending', 'succeeded', 'failed', 'canceled']),
        providerRefundId: z.optional(z.string()),
        failureReason: z.optional(z.string()),
      }),
    ),
  ),
  failedChargeIds: z.optional(z.array(z.string())),
  failed: z.optional(z.boolean()),
});

/** What every recording step receives: the case, the decision and the facts behind it. */
export const caseStateSchema = z.object({
  caseId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  requestedAt: z.iso.datetime({ offset: true }),
  classification: classificationSchema,
  decision: decisionSchema,
  facts: z.record(z.string(), z.unknown()),
  policy: z.record(z.string(), z.unknown()),
  refund: z.nullable(refundResultSchema),
  /** `callback` for the customer's "Call Me Now" follow-up of an answered case; `none` (or absent) otherwise. */
  followUp: z.optional(z.object({ kind: z.enum(['none', 'callback', 'refund_failed']) })),
  /** What the answers need from the account (LoadCustomerAccount's `answers`); null when the account was not read. */
  answers: z.nullish(accountViewSchema),
});

/** The follow-up execution of an answered case (a callback, a failed refund): it hands the case over and never rewrites its decision. */
export function isCallbackFollowUp(state: Pick<CaseState, 'followUp'>): boolean {
  return state.followUp?.kind === 'callback' || state.followUp?.kind === 'refund_failed';
}

export type CaseState = z.infer<typeof caseStateSchema>;

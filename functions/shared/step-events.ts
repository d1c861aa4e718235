/**
 * Schemas of the state the workflow carries, as the Task states pass it to the steps.
 * One place, so the state machine's Parameters and the handlers cannot drift apart unnoticed.
 */
import * as z from 'zod';
import { accountViewSchema } from './answers/account-view.js';
import { INTENTS, PRIORITIES, QUEUES } from './types.js';

export const classificationSchema = z.object({
  intent: z.enum(INTENTS),
  confidence: z.number().min(0).max(1),
  frustrated: z.boolean(),
  urgent: z.boolean(),
  humanRequested: z.boolean(),
  /** The model's top 3 intents with their probabilities, best first (absent from Bedrock and follow-ups). */
  alternatives: z
    .array(z.object({ intent: z.enum(INTENTS), confidence: z.number().min(0).max(1) }))
    .max(3)
    .optional(),
  /** Set when the confidence gate turned an unsure classification into `other`. */
  classifiedIntent: z.enum(INTENTS).optional(),
});

export const decisionSchema = z.object({
  outcome: z.enum(['auto_refunded', 'no_refund_due', 'human_handoff', 'self_service']),
  /** POLICY.md v2 rows 1-12; 0 is the system-error handoff. */
  rule: z.number().int().min(0).max(12),
  reason: z.string().min(1),
  queue: z.enum(QUEUES).nullish(),
  priority: z.enum(PRIORITIES).nullish(),
  callbackOffered: z.boolean().optional(),
});

const currencyTotalSchema = z.object({ currency: z.string(), amount: z.number().int().nonnegative() });

export const refundResultSchema = z.object({
  refundedChargeIds: z.array(z.string()),
  /** In `currency`; null only for a refund in more than one currency (`refundedTotals` then says what). */
  refundedAmount: z.number().int().nonnegative().nullable(),
  currency: z.string().nullish(),
  refundedTotals: z.array(currencyTotalSchema).optional(),
  skippedChargeIds: z.array(z.string()).optional(),
  /** Each charge's refund with the provider's status (the refund step's result; absent in older states). */
  refunds: z
    .array(
      z.object({
        chargeId: z.string(),
        amount: z.number().int().nonnegative(),
        currency: z.string(),
        status: z.enum(['pending', 'succeeded', 'failed', 'canceled']),
        providerRefundId: z.string().optional(),
        failureReason: z.string().optional(),
      }),
    )
    .optional(),
  failedChargeIds: z.array(z.string()).optional(),
  failed: z.boolean().optional(),
});

/** What every recording step receives: the case, the decision and the facts behind it. */
export const caseStateSchema = z.object({
  caseId: z.string().min(1),
  customerId: z.string().min(1),
  requestedAt: z.iso.datetime({ offset: true }),
  classification: classificationSchema,
  decision: decisionSchema,
  facts: z.record(z.string(), z.unknown()),
  policy: z.record(z.string(), z.unknown()),
  refund: refundResultSchema.nullable(),
  /** `callback` for the customer's "Call Me Now" follow-up of an answered case; `none` (or absent) otherwise. */
  followUp: z.object({ kind: z.enum(['none', 'callback', 'refund_failed']) }).optional(),
  /** What the answers need from the account (LoadCustomerAccount's `answers`); null when the account was not read. */
  answers: accountViewSchema.nullish(),
});

/** The follow-up execution of an answered case (a callback, a failed refund): it hands the case over and never rewrites its decision. */
export function isCallbackFollowUp(state: Pick<CaseState, 'followUp'>): boolean {
  return state.followUp?.kind === 'callback' || state.followUp?.kind === 'refund_failed';
}

export type CaseState = z.infer<typeof caseStateSchema>;

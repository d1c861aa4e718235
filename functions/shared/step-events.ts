/**
 * Schemas of the state the workflow carries, as the Task states pass it to the steps.
 * One place, so the state machine's Parameters and the handlers cannot drift apart unnoticed.
 */
import { z } from 'zod';
import { INTENTS, PRIORITIES, QUEUES } from './types.js';

export const classificationSchema = z.object({
  intent: z.enum(INTENTS),
  confidence: z.number().min(0).max(1),
  frustrated: z.boolean(),
  urgent: z.boolean(),
  humanRequested: z.boolean(),
  /** Set when the confidence gate turned an unsure classification into `other`. */
  classifiedIntent: z.enum(INTENTS).optional(),
});

export const decisionSchema = z.object({
  outcome: z.enum(['auto_refunded', 'no_refund_due', 'human_handoff', 'self_service']),
  rule: z.number().int().min(0).max(8),
  reason: z.string().min(1),
  queue: z.enum(QUEUES).nullish(),
  priority: z.enum(PRIORITIES).nullish(),
  callbackOffered: z.boolean().optional(),
});

export const refundResultSchema = z.object({
  refundedChargeIds: z.array(z.string()),
  refundedAmount: z.number().int().nonnegative(),
  skippedChargeIds: z.array(z.string()).optional(),
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
});

export type CaseState = z.infer<typeof caseStateSchema>;

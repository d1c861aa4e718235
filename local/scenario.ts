/**
 * The replay format (POLICY.md "Replay format"): one scenario a line in, one result a line out.
 * Shared by replay, the demo data the local API seeds and the benchmark's generator.
 */
import * as z from 'zod';
import type { CustomerAccount } from '../functions/shared/accounts.js';
import { chargeSchema, instant, orderSchema, subscriptionSchema } from '../functions/shared/schemas.js';
import { INTENTS, QUEUES } from '../functions/shared/types.js';

const OUTCOMES = ['auto_refunded', 'no_refund_due', 'human_handoff', 'self_service'] as const;

export const replayResultSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  intent: z.enum(INTENTS).nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  reason: z.string().nullable(),
  refundedChargeIds: z.array(z.string()),
  refundedAmount: z.number().int().nonnegative(),
  handoffQueue: z.enum(QUEUES).nullable(),
  callbackOffered: z.boolean(),
});

export type ReplayResult = z.infer<typeof replayResultSchema>;
export const RESULT_FIELDS = Object.keys(replayResultSchema.shape) as (keyof ReplayResult)[];

/** `expect`: any of the output fields (absent ones are not checked). */
export const expectationSchema = replayResultSchema.omit({ id: true, caseId: true }).partial();

/** A refund Refund Hub made earlier (POLICY "Replay format" `ledger`): it counts for remainders and for rules 7 and 8. */
export const ledgerHistorySchema = z.object({
  chargeId: z.string().min(1),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as "USD"'),
  source: z.enum(['auto', 'agent']),
  at: instant,
});

export type LedgerHistoryEntry = z.infer<typeof ledgerHistorySchema>;

/** The scenario's customer; `customerSince` is the profile's (rule 6's new-customer setting counts tenure from it). */
const scenarioCustomer = z.object({
  id: z.string().min(1),
  phone: z.string().optional(),
  customerSince: z.optional(instant),
});

export const scenarioSchema = z.object({
  id: z.string().min(1),
  now: z.optional(instant),
  // Phone numbers are data here, not input to refuse: one that is not E.164 is simply unusable, so
  // the callback request is marked for live chat (as a profile with a bad number would be).
  customer: scenarioCustomer,
  subscriptions: z.array(subscriptionSchema).default([]),
  charges: z.array(chargeSchema).default([]),
  orders: z.array(orderSchema).default([]),
  ledger: z.array(ledgerHistorySchema).default([]),
  message: z.string().trim().min(1, 'must not be empty'),
  orderId: z.string().min(1).optional(),
  callbackPhone: z.string().optional(),
  expect: expectationSchema.optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** Where a line's problem is, the way a person reads it: `charges.0.amount: expected integer`. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid scenario';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  const message = issue.message
    .replace(/^Invalid input: /, '')
    .replace(/expected int\b/, 'expected integer')
    .replace(/^expected (\w+), received undefined$/, 'required ($1)')
    .replace(
      /^Invalid ISO datetime$/,
      'expected an ISO-8601 instant with an offset, e.g. 2026-03-20T12:00:00Z',
    );
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${where}${message}${more}`;
}

/** The scenario's account, under the given customer id (replay namespaces it per scenario). */
export function accountOf(
  scenario: Pick<Scenario, 'customer' | 'subscriptions' | 'charges' | 'orders'>,
  customerId: string,
): CustomerAccount {
  return {
    profile: {
      id: customerId,
      ...(scenario.customer.phone ? { phone: scenario.customer.phone } : {}),
      ...(scenario.customer.customerSince ? { customerSince: scenario.customer.customerSince } : {}),
    },
    subscriptions: scenario.subscriptions,
    charges: scenario.charges,
    orders: scenario.orders,
  };
}

// ---- Return scenarios (POLICY v2 "Replay format": `return` instead of `message`, then `carrierEvents`) ----

export const returnReplayResultSchema = z.object({
  id: z.string(),
  returnId: z.string().nullable(),
  returnStatus: z.string().nullable(),
  refundPolicy: z.enum(['refund_at_first_scan', 'inspect_then_refund']).nullable(),
  refundedChargeIds: z.array(z.string()),
  refundedAmount: z.number().int().nonnegative(),
  rejection: z.string().nullable(),
});
export type ReturnReplayResult = z.infer<typeof returnReplayResultSchema>;

const itemRequest = z.object({ sku: z.string().min(1), quantity: z.number().int().min(1) });

export const returnScenarioSchema = z.object({
  id: z.string().min(1),
  now: z.optional(instant),
  customer: scenarioCustomer,
  subscriptions: z.array(subscriptionSchema).default([]),
  charges: z.array(chargeSchema).default([]),
  orders: z.array(orderSchema).default([]),
  /** Refunds Refund Hub made earlier (they count for the order charge's remainder). */
  ledger: z
    .array(
      z.object({
        chargeId: z.string().min(1),
        amount: z.number().int().nonnegative(),
        currency: z.string().min(3),
        source: z.enum(['auto', 'agent']),
        at: instant,
      }),
    )
    .default([]),
  /** Returns started earlier: they count for quantities and for `maxReturnsPer90Days`. */
  returns: z
    .array(z.object({ orderId: z.string().min(1), at: instant, items: z.array(itemRequest).min(1) }))
    .default([]),
  return: z.object({
    orderId: z.string().min(1),
    items: z.array(itemRequest).min(1),
    reason: z.enum(['damaged', 'wrong_item', 'not_as_described', 'no_longer_needed', 'other']),
    comment: z.string().optional(),
  }),
  carrierEvents: z
    .array(z.object({ event: z.enum(['first_scan', 'in_transit', 'delivered_to_warehouse']), at: instant }))
    .default([]),
  /** This project's addition: an agent's inspection, scripted, once the return awaits it. */
  inspection: z
    .object({
      result: z.enum(['pass', 'fail']),
      note: z.string().optional(),
      customerMessage: z.string().optional(),
    })
    .optional(),
  expect: returnReplayResultSchema.omit({ id: true, returnId: true }).partial().optional(),
});
export type ReturnScenario = z.infer<typeof returnScenarioSchema>;

/** A line is a return scenario when it has `return` (and no `message`). */
export function isReturnLine(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'return' in value && !('message' in value);
}

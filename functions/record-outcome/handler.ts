import { updateCase } from '../shared/cases.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { refundsByCase } from '../shared/ledger.js';
import { postMessage } from '../shared/messages.js';
import { decidedCaseMetrics } from '../shared/metric-points.js';
import { emitMetrics } from '../shared/metrics.js';
import { formatMoney } from '../shared/money.js';
import { caseStateSchema, isCallbackFollowUp, refundResultSchema } from '../shared/step-events.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';
import { decisionTimeline, outcomeRecord, receiptFor, refundEntry } from './domain.js';
import { NEEDS_ATTENTION_MESSAGE, resolutionMessage } from './resolution.js';

const casesTable = requiredEnv(ENV.casesTable);
const messagesTable = requiredEnv(ENV.messagesTable);
const refundLedgerTable = requiredEnv(ENV.refundLedgerTable);
const goodwillCapMinor = numberEnv(ENV.goodwillCapMinor, 5000);

const resolutionSchema = z.object({
  decision: z.enum(['approve_refund', 'goodwill_credit', 'deny', 'resolve']),
  amount: z.nullish(z.int().check(z.nonnegative())),
  currency: z.nullish(z.string()),
  /** Internal, kept on the case for agents; never in a message to the customer. */
  note: z.nullish(z.string()),
  customerMessage: z.nullish(z.string()),
  agentId: z.nullish(z.string()),
  decidedBy: z.nullish(z.string()),
  approvedBy: z.nullish(z.string()),
  charges: z.nullish(
    z.array(
      z.object({
        chargeId: z.string(),
        amount: z.int().check(z.nonnegative()),
        currency: z.nullish(z.string()),
        chargedAt: z.nullish(z.string()),
      }),
    ),
  ),
});

const eventSchema = z.discriminatedUnion('mode', [
  z.extend(caseStateSchema, { mode: z.literal('decided') }),
  z.extend(caseStateSchema, {
    mode: z.literal('resolved'),
    resolution: resolutionSchema,
    agentRefund: z.nullable(refundResultSchema),
    /** The goodwill credit's booking (BookGoodwillCredit); status `none` when the decision was no credit. */
    credit: z.nullish(
      z.object({
        amount: z.int().check(z.nonnegative()),
        currency: z.nullish(z.string()),
        status: z.enum(['none', 'pending', 'succeeded', 'failed']),
        failureReason: z.nullish(z.string()),
      }),
    ),
  }),
  z.extend(z.partial(caseStateSchema), {
    mode: z.literal('needs_attention'),
    caseId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    error: z.optional(z.unknown()),
  }),
]);

/** Writes the outcome to the case record (with its receipt) and to the customer's message center. */
export const handler = stepHandler(eventSchema, async (event) => {
  const at = new Date().toISOString();
  if (event.mode === 'decided') {
    // The refund step's own result is exact here: had it failed, the case would be on the
    // system_error path (RequestHumanCallback reads the ledger there).
    const record = outcomeRecord(event);
    await updateCase(
      documentClient,
      casesTable,
      event.caseId,
      [...decisionTimeline(event, at), { at, step: 'customer_notified' }],
      { ...record.fields, receipt: record.receipt, updatedAt: at },
    );
    await postMessage(
      documentClient,
      messagesTable,
      event.customerId,
      { caseId: event.caseId, ...record.message },
      at,
      'outcome',
    );
    emitMetrics(decidedCaseMetrics(event, new Date(at)));
    return { status: record.fields.status };
  }

  if (event.mode === 'resolved') {
    // Everything this case refunded (automatically before the handoff, and by the agent), per the ledger.
    const refund = await refundsByCase(documentClient, refundLedgerTable, event.customerId, event.caseId);
    const agentRefunded = event.agentRefund?.refundedAmount ?? 0;
    // The agent endpoint refuses credits over the cap; a resolution sent by any other client is capped here.
    const resolution =
      event.resolution.decision === 'goodwill_credit'
        ? { ...event.resolution, amount: Math.min(event.resolution.amount ?? 0, goodwillCapMinor) }
        : event.resolution;
    const credit =
      event.credit && event.credit.status !== 'none'
        ? { ...event.credit, status: event.credit.status }
        : null;
    const message = resolutionMessage(resolution, agentRefunded, credit?.status);
    await updateCase(
      documentClient,
      casesTable,
      event.caseId,
      [
        { at, step: 'agent_resolved', detail: resolution.decision },
        ...(credit
          ? [
              {
                at,
                step: credit.status === 'failed' ? 'credit_failed' : 'credit_booked',
                detail: `${formatMoney(credit.amount, credit.currency ?? 'USD')}${credit.failureReason ? `: ${credit.failureReason}` : ''}`,
              },
            ]
          : []),
        ...(event.agentRefund && agentRefunded > 0 ? [refundEntry(event.agentRefund, at)] : []),
        ...(resolution.decision === 'approve_refund' && agentRefunded === 0
          ? [
              {
                at,
                step: 'nothing_left_to_refund',
                detail: 'the approved charges were already refunded in full',
              },
            ]
          : []),
        { at, step: 'customer_notified' },
      ],
      {
        status: 'resolved',
        resolution: {
          ...resolution,
          refundedAmount: agentRefunded,
          ...(credit ? { creditStatus: credit.status } : {}),
          resolvedAt: at,
        },
        refundedChargeIds: refund.refundedChargeIds,
        refundedAmount: refund.refundedAmount,
        currency: refund.currency,
        refundedTotals: refund.refundedTotals,
        answer: message,
        // The receipt of the decision that answered the case stays; a follow-up's facts are only its handoff.
        ...(isCallbackFollowUp(event) ? {} : { receipt: receiptFor({ ...event, refund }) }),
        updatedAt: at,
      },
      // Off the agents' queue index: a resolved case is no longer waiting for anyone.
      ['taskToken', 'agentQueue', 'agentRank'],
    );
    await postMessage(
      documentClient,
      messagesTable,
      event.customerId,
      { caseId: event.caseId, ...message },
      at,
      'resolution',
    );
    return { status: 'resolved' };
  }

  await updateCase(
    documentClient,
    casesTable,
    event.caseId,
    [{ at, step: 'needs_attention', detail: 'no agent resolved the case in time, or a step kept failing' }],
    { status: 'needs_attention', answer: NEEDS_ATTENTION_MESSAGE, updatedAt: at },
    ['taskToken'],
  );
  await postMessage(
    documentClient,
    messagesTable,
    event.customerId,
    { caseId: event.caseId, ...NEEDS_ATTENTION_MESSAGE },
    at,
    'needs_attention',
  );
  return { status: 'needs_attention' };
});

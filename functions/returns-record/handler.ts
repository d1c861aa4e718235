import {
  expiredNotice,
  inspectionFailedNotice,
  needsAttentionNotice,
  refundedNotice,
  rejectedNotice,
} from '../returns-core/notices.js';
import { changeStatus, getReturn, notifyCustomer, setAttributes } from '../returns-core/store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { logger } from '../shared/logger.js';
import { returnFinishedMetrics } from '../shared/metric-points.js';
import { emitMetrics } from '../shared/metrics.js';
import { minorUnits } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import { QUEUES } from '../shared/types.js';
import * as z from '../shared/zod.js';

const returnsTable = requiredEnv(ENV.returnsTable);
const messagesTable = requiredEnv(ENV.messagesTable);

const base = { returnId: z.string().check(z.minLength(1)), customerId: z.string().check(z.minLength(1)) };
const eventSchema = z.discriminatedUnion('mode', [
  z.object({
    ...base,
    mode: z.literal('rejected'),
    rejection: z.enum(['not_delivered', 'window_closed', 'final_sale', 'quantity']),
  }),
  z.object({
    ...base,
    mode: z.literal('refunded'),
    refund: z.object({
      chargeId: z.string(),
      refundedAmount: minorUnits,
      currency: z.string(),
      status: z.string(),
    }),
  }),
  z.object({
    ...base,
    mode: z.literal('inspection_failed'),
    inspection: z.object({
      result: z.literal('fail'),
      note: z.string(),
      customerMessage: z.optional(z.string()),
    }),
  }),
  z.object({ ...base, mode: z.literal('expired') }),
  z.object({
    ...base,
    mode: z.literal('needs_attention'),
    queue: z.enum(QUEUES),
    reason: z.string().check(z.minLength(1)),
    error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
  }),
]);

/** RecordReturn: the return's final status (or a person's attention) on its timeline and in the message center, once. */
export const handler = stepHandler(eventSchema, async (input) => {
  const at = new Date().toISOString();
  const { returnId, customerId } = input;
  const who = { returnId, customerId };
  switch (input.mode) {
    case 'rejected': {
      const { changed, record } = await changeStatus(documentClient, returnsTable, {
        returnId,
        status: 'rejected',
        at,
        note: `Not eligible when checked again: ${input.rejection}.`,
        set: { rejection: input.rejection },
        from: ['requested'],
      });
      emitMetrics(returnFinishedMetrics('rejected', changed));
      if (changed && record)
        await notifyCustomer(
          documentClient,
          messagesTable,
          who,
          rejectedNotice(record, input.rejection),
          'rejected',
          at,
        );
      return { status: record?.status ?? null };
    }
    case 'refunded': {
      const refund = {
        chargeId: input.refund.chargeId,
        amount: input.refund.refundedAmount,
        currency: input.refund.currency,
        status: input.refund.status,
      };
      const { changed, record } = await changeStatus(documentClient, returnsTable, {
        returnId,
        status: 'refunded',
        at,
        note: `Refunded ${input.refund.refundedAmount} ${input.refund.currency} minor units on the order's charge.`,
        set: { refund },
        remove: ['agentState', 'agentQueue', 'inspectionToken', 'waitToken', 'waitFor'],
        from: ['label_created', 'in_transit', 'awaiting_inspection'],
      });
      emitMetrics(returnFinishedMetrics('refunded', changed));
      // The message is keyed by kind: a retry rewrites it, never a second one.
      if (record?.status === 'refunded')
        await notifyCustomer(
          documentClient,
          messagesTable,
          who,
          refundedNotice(record, refund.amount, refund.currency),
          'refunded',
          at,
        );
      return { status: record?.status ?? null };
    }
    case 'inspection_failed': {
      const { changed, record } = await changeStatus(documentClient, returnsTable, {
        returnId,
        status: 'rejected',
        at,
        note: 'Did not pass inspection: nothing refunded.',
        set: { rejection: 'inspection_failed' },
        remove: ['agentState', 'agentQueue', 'inspectionToken'],
        from: ['awaiting_inspection'],
      });
      emitMetrics(returnFinishedMetrics('inspection_failed', changed));
      if (record?.status === 'rejected')
        await notifyCustomer(
          documentClient,
          messagesTable,
          who,
          inspectionFailedNotice(record, input.inspection.customerMessage),
          'rejected',
          at,
        );
      return { status: record?.status ?? null };
    }
    case 'expired': {
      const { changed, record } = await changeStatus(documentClient, returnsTable, {
        returnId,
        status: 'expired',
        at,
        note: 'No carrier scan within the label’s life: nothing refunded.',
        remove: ['waitToken', 'waitFor'],
        from: ['label_created'],
      });
      emitMetrics(returnFinishedMetrics('expired', changed));
      if (record?.status === 'expired')
        await notifyCustomer(
          documentClient,
          messagesTable,
          who,
          expiredNotice(record, record.label?.expiresAt),
          'expired',
          at,
        );
      return { status: record?.status ?? null };
    }
    case 'needs_attention': {
      const stored = await getReturn(documentClient, returnsTable, returnId);
      if (!stored) throw new Error(`Return ${returnId} is not in the returns table`);
      logger.error('A return needs a person', { returnId, reason: input.reason, error: input.error?.Error });
      emitMetrics(returnFinishedMetrics('needs_attention', true));
      const record = await setAttributes(
        documentClient,
        returnsTable,
        returnId,
        {
          agentState: 'needs_attention',
          agentQueue: input.queue,
          attentionReason: input.reason,
          timeline: [
            ...stored.timeline,
            { at, status: stored.status, note: `Handed to the ${input.queue} team: ${input.reason}.` },
          ],
          updatedAt: at,
        },
        ['inspectionToken', 'waitToken', 'waitFor'],
      );
      await notifyCustomer(
        documentClient,
        messagesTable,
        who,
        needsAttentionNotice(record),
        'needs_attention',
        at,
      );
      return { status: record.status };
    }
  }
});

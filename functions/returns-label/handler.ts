import type { ReturnLabel } from '../returns-core/domain.js';
import { labelCreatedNotice } from '../returns-core/notices.js';
import { changeStatus, getReturn, notifyCustomer } from '../returns-core/store.js';
import { carrierFromEnv } from '../shared/carriers/index.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { toEpochMs } from '../shared/instants.js';
import { DAY_MS } from '../shared/return-eligibility.js';
import { instant } from '../shared/schemas.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';

const returnsTable = requiredEnv(ENV.returnsTable);
const messagesTable = requiredEnv(ENV.messagesTable);
const labelLifeDays = numberEnv(ENV.labelLifeDays, 28);
const carrier = carrierFromEnv();

const eventSchema = z.object({
  returnId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  orderId: z.string().check(z.minLength(1)),
  requestedAt: instant,
});

/** CreateLabel: a prepaid label from the carrier port, stored once (a retry finds it), `label_created` and a message. */
export const handler = stepHandler(eventSchema, async ({ returnId, customerId, orderId, requestedAt }) => {
  const stored = await getReturn(documentClient, returnsTable, returnId);
  if (!stored) throw new Error(`Return ${returnId} is not in the returns table`);
  if (stored.label) return stored.label;
  const issued = await carrier.createLabel({
    returnId,
    customerId,
    orderId,
    issuedAt: requestedAt,
    expiresAt: new Date(toEpochMs(requestedAt) + labelLifeDays * DAY_MS).toISOString(),
  });
  const label: ReturnLabel = { ...issued };
  const at = new Date().toISOString();
  const { record } = await changeStatus(documentClient, returnsTable, {
    returnId,
    status: 'label_created',
    at,
    note: `Prepaid label issued by ${label.carrier}: tracking ${label.trackingId}.`,
    set: { label, trackingId: label.trackingId },
    from: ['requested'],
  });
  await notifyCustomer(
    documentClient,
    messagesTable,
    { returnId, customerId },
    labelCreatedNotice(record ?? stored, label),
    'label_created',
    at,
  );
  return record?.label ?? label;
});

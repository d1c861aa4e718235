import { awaitingInspectionNotice } from '../returns-core/notices.js';
import { changeStatus, notifyCustomer, setAttributes } from '../returns-core/store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';

const returnsTable = requiredEnv(ENV.returnsTable);
const messagesTable = requiredEnv(ENV.messagesTable);

const eventSchema = z.object({
  taskToken: z.string().check(z.minLength(1)),
  returnId: z.string().check(z.minLength(1)),
});

/**
 * AwaitInspection (waitForTaskToken): the package is at the warehouse; the return is `awaiting_inspection` in the
 * delivery team's list with the token the inspection endpoint answers. A retry replaces the token.
 */
export const handler = stepHandler(eventSchema, async ({ taskToken, returnId }) => {
  const at = new Date().toISOString();
  const waitingForAgent = {
    inspectionToken: taskToken,
    agentState: 'awaiting_inspection',
    agentQueue: 'delivery',
  };
  const { changed, record } = await changeStatus(documentClient, returnsTable, {
    returnId,
    status: 'awaiting_inspection',
    at,
    note: 'At the warehouse: waiting for an agent to inspect the items.',
    set: waitingForAgent,
    from: ['label_created', 'in_transit'],
  });
  if (!changed && record?.status === 'awaiting_inspection')
    await setAttributes(documentClient, returnsTable, returnId, waitingForAgent);
  if (record)
    await notifyCustomer(
      documentClient,
      messagesTable,
      record,
      awaitingInspectionNotice(record),
      'awaiting_inspection',
      at,
    );
  return { waiting: true };
});

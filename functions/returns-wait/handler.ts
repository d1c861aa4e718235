import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { eventEndingWait } from '../returns-core/domain.js';
import { claimToken, storeWaitToken } from '../returns-core/store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { sfnClient } from '../shared/sfn-client.js';
import { stepHandler } from '../shared/step-handler.js';
import * as z from '../shared/zod.js';

const returnsTable = requiredEnv(ENV.returnsTable);

const eventSchema = z.object({
  taskToken: z.string().check(z.minLength(1)),
  returnId: z.string().check(z.minLength(1)),
  wait: z.enum(['first_scan', 'delivered_to_warehouse']),
});

/**
 * WaitForCarrier (waitForTaskToken): stores the token on the return, then looks at the events already stored. The
 * carrier webhook does the same in the other order (event first, then the token), so whichever writes second sees
 * both and sends the task's success; the token's conditional removal lets exactly one of them send it.
 */
export const handler = stepHandler(eventSchema, async ({ taskToken, returnId, wait }) => {
  const record = await storeWaitToken(documentClient, returnsTable, returnId, taskToken, wait);
  const event = eventEndingWait(record.carrierEvents ?? [], wait);
  if (event && (await claimToken(documentClient, returnsTable, returnId, 'waitToken', taskToken))) {
    await sfnClient.send(
      new SendTaskSuccessCommand({
        taskToken,
        output: JSON.stringify({ eventId: event.eventId, event: event.event, at: event.at }),
      }),
    );
  }
  return { waiting: event === undefined };
});

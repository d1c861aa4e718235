import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { isReturnId } from '../returns-core/domain.js';
import { claimToken, getReturn } from '../returns-core/store.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { isTaskGone } from '../shared/errors.js';
import { agentIdOf, HttpError, httpHandler, json, parseBody } from '../shared/http.js';
import { sfnClient } from '../shared/sfn-client.js';
import * as z from '../shared/zod.js';

const returnsTable = requiredEnv(ENV.returnsTable);

const inspectionSchema = z.strictObject({
  result: z.enum(['pass', 'fail'], { error: 'result must be pass or fail' }),
  note: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'note is required (kept on the return, never shown to the customer)'),
      z.maxLength(2000),
    ),
  customerMessage: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
});

/** POST /v1/agent/returns/{returnId}/inspection: an agent's inspection resumes the return's workflow, once. */
export const handler = httpHandler(async (event) => {
  const agentId = agentIdOf(event);
  const returnId = event.pathParameters?.returnId;
  if (!isReturnId(returnId))
    throw new HttpError(404, 'return_not_found', 'No return with this id was found.');
  const inspection = parseBody(event, inspectionSchema);
  const record = await getReturn(documentClient, returnsTable, returnId);
  if (!record) throw new HttpError(404, 'return_not_found', 'No return with this id was found.');
  const token = record.inspectionToken;
  const notWaiting = new HttpError(
    409,
    'not_awaiting_inspection',
    `This return is ${record.status}, not awaiting inspection.`,
  );
  if (record.status !== 'awaiting_inspection' || !token) throw notWaiting;
  const at = new Date().toISOString();
  const decided = { ...inspection, agentId, at };
  if (
    !(await claimToken(documentClient, returnsTable, returnId, 'inspectionToken', token, {
      inspection: decided,
    }))
  )
    throw notWaiting;
  try {
    await sfnClient.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(inspection) }),
    );
  } catch (error) {
    if (isTaskGone(error))
      throw new HttpError(409, 'not_awaiting_inspection', 'The inspection wait of this return is over.');
    throw error;
  }
  return json(200, { returnId, result: inspection.result, inspectedBy: agentId, at });
});

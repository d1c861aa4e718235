import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callbackFollowUp, currentExecution } from '../intake/domain.js';
import type { CaseRecord } from '../shared/case-record.js';
import { readCaseRecord } from '../shared/cases.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { isNamedError } from '../shared/errors.js';
import { startNamedExecution } from '../shared/executions.js';
import { caseIdOf, customerIdOf, HttpError, httpHandler, json, parseBody } from '../shared/http.js';
import { e164 } from '../shared/schemas.js';
import { sfnClient } from '../shared/sfn-client.js';
import * as z from '../shared/zod.js';

const casesTable = requiredEnv(ENV.casesTable);
const stateMachineArn = requiredEnv(ENV.stateMachineArn);

const bodySchema = z.strictObject({ phoneNumber: e164 });

const CALLBACK_REQUESTED = 'callback_requested';

/** Outcomes the AI answered on its own, where "a person can still help". */
const AI_ANSWERED = new Set(['no_refund_due', 'self_service', 'auto_refunded']);

/**
 * POST /v1/support-requests/{caseId}/callback: the customer asks for "Call Me Now" on a case the AI
 * answered. Runs the same workflow again for the case as a follow-up that goes straight to a person.
 */
export const handler = httpHandler(async (event) => {
  const customerId = customerIdOf(event);
  const caseId = caseIdOf(event);
  const { phoneNumber } = parseBody(event, bodySchema);
  const record = await readCaseRecord(documentClient, casesTable, caseId);
  if (!record || record.customerId !== customerId) {
    throw new HttpError(404, 'case_not_found', `No support request ${caseId} was found for you.`);
  }
  const answeredByAi = record.status === 'resolved' && !!record.outcome && AI_ANSWERED.has(record.outcome);
  // Once a callback was started, the follow-up soon puts the case in a person's hands; a client's
  // retry of the request must still get its 202, so it goes on to the (idempotent) StartExecution.
  if (!answeredByAi && !record.followUp) {
    throw new HttpError(
      409,
      'callback_not_available',
      ['awaiting_agent', 'claimed', 'awaiting_second_approval'].includes(record.status)
        ? 'A person already has this case and will contact you.'
        : `A callback can be requested once the assistant has answered (this case is ${record.status}).`,
    );
  }
  const recorded = await recordFollowUp(record, phoneNumber);
  // The first number recorded is the callback's: another one is a different request.
  if (recorded.followUp?.callbackPhone !== phoneNumber) throw alreadyRequested();
  if (!(await startNamedExecution(sfnClient, stateMachineArn, currentExecution(recorded))))
    throw alreadyRequested();
  return json(202, { caseId, status: 'callback_requested' });
});

const alreadyRequested = () =>
  new HttpError(409, 'callback_already_requested', 'A callback was already requested for this case.');

/**
 * Records the follow-up on the case before its execution starts, once however often or concurrently
 * it is asked for (the first request's number stays): one `callback_requested` entry, written before
 * the follow-up's own, and what the sweeper needs to start the follow-up again if it is lost.
 */
async function recordFollowUp(record: CaseRecord, phoneNumber: string): Promise<CaseRecord> {
  const at = new Date().toISOString();
  try {
    const result = await documentClient.send(
      new UpdateCommand({
        TableName: casesTable,
        Key: { caseId: record.caseId },
        UpdateExpression:
          'SET followUp = :followUp, callbackRequestedAt = :at, updatedAt = :at, timeline = list_append(if_not_exists(timeline, :empty), :entries)',
        ConditionExpression: 'attribute_exists(caseId) AND attribute_not_exists(followUp)',
        ExpressionAttributeValues: {
          ':followUp': callbackFollowUp(record, phoneNumber),
          ':at': at,
          ':empty': [],
          ':entries': [{ at, step: CALLBACK_REQUESTED, detail: 'by the customer' }],
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes as CaseRecord;
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    // Recorded by an earlier (or a concurrent) request.
    return (await readCaseRecord(documentClient, casesTable, record.caseId)) ?? record;
  }
}

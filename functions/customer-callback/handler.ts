import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { executionInput } from '../intake/domain.js';
import { appendOnce, readCaseRecord } from '../shared/cases.js';
import { documentClient, sfnClient } from '../shared/clients.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { isNamedError } from '../shared/errors.js';
import { caseIdOf, customerIdOf, HttpError, httpHandler, json, parseBody } from '../shared/http.js';
import { e164 } from '../shared/schemas.js';

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
  const callbackStarted = record.timeline.some((entry) => entry.step === CALLBACK_REQUESTED);
  if (!answeredByAi && !callbackStarted) {
    throw new HttpError(
      409,
      'callback_not_available',
      record.status === 'awaiting_agent'
        ? 'A person already has this case and will contact you.'
        : `A callback can be requested once the assistant has answered (this case is ${record.status}).`,
    );
  }
  // Recorded before the follow-up starts, so its entry comes before the follow-up's; once, however often asked.
  await appendOnce(documentClient, casesTable, caseId, 'callbackRequestedAt', {
    at: new Date().toISOString(),
    step: CALLBACK_REQUESTED,
    detail: 'by the customer',
  });
  try {
    await sfnClient.send(
      new StartExecutionCommand({
        stateMachineArn,
        // One callback per case: a repeated request finds the same execution.
        name: `${caseId}-callback`,
        input: JSON.stringify({
          ...executionInput(record),
          callbackPhone: phoneNumber,
          followUp: { kind: 'callback', intent: record.intent ?? 'other' },
        }),
      }),
    );
  } catch (error) {
    if (!isNamedError(error, 'ExecutionAlreadyExists')) throw error;
    throw new HttpError(409, 'callback_already_requested', 'A callback was already requested for this case.');
  }
  return json(202, { caseId, status: 'callback_requested' });
});

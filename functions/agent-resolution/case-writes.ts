/** Case writes and workflow calls shared by the resolution and approval endpoints. */
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../shared/case-record.js';
import { documentClient } from '../shared/document-client.js';
import { isNamedError, isTaskGone } from '../shared/errors.js';
import { HttpError } from '../shared/http.js';
import { sfnClient } from '../shared/sfn-client.js';
import type { ResolutionOutput } from './domain.js';

/** The 409 for a case no decision can be made on now, saying why. */
export function notWaiting(record: CaseRecord): HttpError {
  if (record.resolution) {
    return new HttpError(
      409,
      'already_resolved',
      `Case ${record.caseId} already has a resolution (${String(record.resolution.decision)}).`,
    );
  }
  if (record.status === 'awaiting_second_approval' && record.pendingApproval) {
    return new HttpError(
      409,
      'awaiting_second_approval',
      `Case ${record.caseId} has a decision by ${record.pendingApproval.agentId} waiting for a second agent: ` +
        'another agent confirms it (approve), or it lapses when the case is re-dispatched.',
    );
  }
  return new HttpError(
    409,
    'case_not_waiting',
    `Case ${record.caseId} is not waiting for an agent (status ${record.status}).`,
  );
}

export const reDispatched = (caseId: string) =>
  new HttpError(
    409,
    'case_not_waiting',
    `Case ${caseId} stopped waiting for this callback (it was re-dispatched); fetch it and decide again.`,
  );

/**
 * SendTaskSuccess with the claimed resolution; if the wait ended first (SLA escalation re-dispatched it, or the case
 * was stopped), the claim is released and the agent gets a 409 that changes nothing.
 */
export async function resumeWorkflow(
  casesTable: string,
  caseId: string,
  taskToken: string,
  output: ResolutionOutput,
  claimedAt: string,
  previousUpdatedAt: string,
): Promise<void> {
  try {
    await sfnClient.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  } catch (error) {
    if (!isTaskGone(error)) throw error;
    await releaseClaim(casesTable, caseId, claimedAt, previousUpdatedAt);
    throw reDispatched(caseId);
  }
}

/**
 * Undoes a claim whose workflow could not be resumed: the case is left as it was (a 409 changes
 * nothing), unless a step has written it since, whose `updatedAt` then stays.
 */
async function releaseClaim(
  casesTable: string,
  caseId: string,
  claimedAt: string,
  previousUpdatedAt: string,
): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: casesTable,
        Key: { caseId },
        UpdateExpression: 'SET updatedAt = :previous REMOVE resolution',
        ConditionExpression: 'updatedAt = :claimedAt',
        ExpressionAttributeValues: { ':previous': previousUpdatedAt, ':claimedAt': claimedAt },
      }),
    );
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    await documentClient.send(
      new UpdateCommand({ TableName: casesTable, Key: { caseId }, UpdateExpression: 'REMOVE resolution' }),
    );
  }
}

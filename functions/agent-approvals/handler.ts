import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { notWaiting, resumeWorkflow } from '../agent-resolution/case-writes.js';
import { type ResolutionOutput, ResolutionRefused, recheckRemainders } from '../agent-resolution/domain.js';
import { caseCharges } from '../agent-resolution/remainders.js';
import { readCaseRecord } from '../shared/cases.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { isNamedError } from '../shared/errors.js';
import { agentIdOf, caseIdOf, HttpError, httpHandler, json, parseBody } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import * as z from '../shared/zod.js';

const casesTable = requiredEnv(ENV.casesTable);
const tables = {
  casesTable,
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};

const bodySchema = z.strictObject({
  note: z.optional(
    z.string().check(z.trim(), z.minLength(1, 'note, when given, is not empty'), z.maxLength(2000)),
  ),
});

/**
 * POST /v1/agent/cases/{caseId}/approvals (IAM): a second, different agent confirms a decision over the
 * dual-approval threshold. One conditional write claims the case's single resolution (so of several confirmations
 * at once exactly one moves the money), then the workflow resumes with the decision and both agents on it.
 */
export const handler = httpHandler(async (event) => {
  const agentId = agentIdOf(event);
  const caseId = caseIdOf(event);
  const { note } = event.body ? parseBody(event, bodySchema) : {};

  const record = await readCaseRecord(documentClient, casesTable, caseId);
  if (!record) throw new HttpError(404, 'case_not_found', `No case ${caseId}.`);
  const pending = record.pendingApproval;
  if (record.resolution || record.status !== 'awaiting_second_approval' || !pending) {
    if (record.resolution) throw notWaiting(record);
    throw new HttpError(
      409,
      'not_awaiting_approval',
      `Case ${caseId} has no decision waiting for a second approval (status ${record.status}).`,
    );
  }
  if (!record.taskToken || pending.taskToken !== record.taskToken) {
    throw new HttpError(
      409,
      'approval_stale',
      `Case ${caseId} was re-dispatched after ${pending.agentId} decided: that decision lapsed; decide again.`,
    );
  }
  if (pending.agentId === agentId) {
    throw new HttpError(
      409,
      'same_agent',
      `You made this decision: a second, different agent confirms it (not ${agentId}).`,
    );
  }

  const decided = pending.decision as unknown as ResolutionOutput;
  const output: ResolutionOutput = { ...decided, approvedBy: agentId };
  if (output.decision === 'approve_refund') {
    // Money may have moved since the first agent decided (another case, a refund outside Refund Hub).
    try {
      recheckRemainders(output, (await caseCharges(documentClient, tables, record)).customerCharges);
    } catch (error) {
      if (error instanceof ResolutionRefused)
        throw new HttpError(
          error.statusCode,
          error.code,
          `${error.message} The pending decision can be replaced.`,
        );
      throw error;
    }
  }

  const at = new Date().toISOString();
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: casesTable,
        Key: { caseId },
        UpdateExpression:
          'SET resolution = :claim, updatedAt = :at, timeline = list_append(if_not_exists(timeline, :empty), :entries)',
        ConditionExpression:
          '#status = :pending AND attribute_not_exists(resolution) AND pendingApproval.agentId = :first ' +
          'AND pendingApproval.#at = :decidedAt AND taskToken = :token',
        ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
        ExpressionAttributeValues: {
          ':claim': { ...output, ...(note ? { approvalNote: note } : {}), state: 'resuming_workflow', at },
          ':at': at,
          ':empty': [],
          ':entries': [{ at, step: 'second_approval', detail: `${output.decision} approved by ${agentId}` }],
          ':pending': 'awaiting_second_approval',
          ':first': pending.agentId,
          ':decidedAt': pending.at,
          ':token': record.taskToken,
        },
      }),
    );
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    throw notWaiting((await readCaseRecord(documentClient, casesTable, caseId)) ?? record);
  }

  await resumeWorkflow(casesTable, caseId, record.taskToken, output, at, record.updatedAt);
  logger.info('Agent decision confirmed by a second agent', { caseId, decision: output.decision });
  return json(202, {
    caseId,
    decision: output.decision,
    status: 'resolving',
    amount: output.amount,
    currency: output.currency,
    charges: output.charges,
    decidedBy: output.decidedBy,
    approvedBy: agentId,
  });
});

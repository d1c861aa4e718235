import { SendTaskHeartbeatCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord, PendingApproval } from '../shared/case-record.js';
import { readCaseRecord } from '../shared/cases.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { isNamedError, isTaskGone } from '../shared/errors.js';
import { agentIdOf, caseIdOf, HttpError, httpHandler, json, parseBody } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { formatMoney } from '../shared/money.js';
import { sfnClient } from '../shared/sfn-client.js';
import * as z from '../shared/zod.js';
import { notWaiting, reDispatched, resumeWorkflow } from './case-writes.js';
import {
  AGENT_DECISIONS,
  needsSecondApproval,
  planResolution,
  type ResolutionOutput,
  ResolutionRefused,
} from './domain.js';
import { caseCharges, caseCurrency } from './remainders.js';

const casesTable = requiredEnv(ENV.casesTable);
const tables = {
  casesTable,
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};
const goodwillCapMinor = numberEnv(ENV.goodwillCapMinor, 5000);
const dualApprovalThresholdMinor = numberEnv(ENV.dualApprovalThresholdMinor, 100_000);

const minor = z
  .number()
  .check(z.int('amounts are in minor units (cents), a whole number'), z.positive('amounts must be positive'));
const bodySchema = z.strictObject({
  decision: z.enum(AGENT_DECISIONS, {
    error: 'decision must be approve_refund, goodwill_credit, deny or resolve',
  }),
  charges: z.optional(
    z
      .array(
        z.strictObject({
          chargeId: z.string().check(z.trim(), z.minLength(1, 'chargeId is required'), z.maxLength(200)),
          amount: minor,
        }),
      )
      .check(z.minLength(1, 'charges, when given, names at least one charge'), z.maxLength(50)),
  ),
  amount: z.optional(minor),
  currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code such as USD'))),
  note: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'note is required: say why (internal, never shown to the customer)'),
      z.maxLength(2000),
    ),
  customerMessage: z.optional(
    z
      .string()
      .check(z.trim(), z.minLength(1, 'customerMessage, when given, is not empty'), z.maxLength(2000)),
  ),
});

/**
 * Statuses an agent may decide on: waiting, or claimed (by anyone: claiming is a courtesy, not a lock), or holding a
 * pending approval, which a new decision replaces (when money moved meanwhile and it can no longer be confirmed).
 */
const DECIDABLE = ['awaiting_agent', 'claimed', 'awaiting_second_approval'] as const;

const refusal = (error: unknown) =>
  error instanceof ResolutionRefused ? new HttpError(error.statusCode, error.code, error.message) : error;

/**
 * POST /v1/agent/cases/{caseId}/resolution (IAM): the agent's decision. Under the dual-approval threshold it claims
 * the case's single resolution with a conditional write and resumes the waiting workflow (SendTaskSuccess); over it,
 * the decision waits on the case for a second agent (POST .../approvals) and the workflow gets a heartbeat only.
 */
export const handler = httpHandler(async (event) => {
  const agentId = agentIdOf(event);
  const caseId = caseIdOf(event);
  const request = parseBody(event, bodySchema);

  const record = await readCaseRecord(documentClient, casesTable, caseId);
  if (!record) throw new HttpError(404, 'case_not_found', `No case ${caseId}.`);
  if (!(DECIDABLE as readonly string[]).includes(record.status) || !record.taskToken || record.resolution)
    throw notWaiting(record);

  let output: ResolutionOutput;
  try {
    const charges =
      request.decision === 'approve_refund'
        ? await caseCharges(documentClient, tables, record)
        : { customerCharges: [], defaultChargeIds: [] };
    output = planResolution(request, {
      ...charges,
      goodwillCapMinor,
      agentId,
      caseCurrency: caseCurrency(record),
    });
  } catch (error) {
    throw refusal(error);
  }

  const answer = {
    caseId,
    decision: output.decision,
    amount: output.amount,
    currency: output.currency,
    charges: output.charges,
  };
  if (needsSecondApproval(output, dualApprovalThresholdMinor)) {
    await holdForSecondApproval(record, output);
    logger.info('Agent decision waits for a second approval', { caseId, decision: output.decision });
    return json(202, { ...answer, status: 'awaiting_second_approval' });
  }

  const at = new Date().toISOString();
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: casesTable,
        Key: { caseId },
        // A decision under the threshold replaces any pending one.
        UpdateExpression: 'SET resolution = :claim, updatedAt = :at REMOVE pendingApproval',
        ConditionExpression:
          '#status IN (:waiting, :claimed, :second) AND attribute_not_exists(resolution) AND taskToken = :token',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':claim': { ...output, state: 'resuming_workflow', at },
          ':waiting': 'awaiting_agent',
          ':claimed': 'claimed',
          ':second': 'awaiting_second_approval',
          ':token': record.taskToken,
          ':at': at,
        },
      }),
    );
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    throw notWaiting((await readCaseRecord(documentClient, casesTable, caseId)) ?? record);
  }

  await resumeWorkflow(casesTable, caseId, record.taskToken, output, at, record.updatedAt);
  logger.info('Case resolved by agent', { caseId, decision: output.decision });
  return json(202, { ...answer, status: 'resolving' });
});

/**
 * Over the threshold: the decision is stored as the case's `pendingApproval` (one conditional write, on the wait it
 * was decided on) and the workflow gets a heartbeat, so the SLA counts from now while the second agent looks.
 */
async function holdForSecondApproval(record: CaseRecord, output: ResolutionOutput): Promise<void> {
  const at = new Date().toISOString();
  const taskToken = record.taskToken ?? '';
  const pendingApproval: PendingApproval = {
    decision: { ...output },
    agentId: output.decidedBy,
    at,
    taskToken,
  };
  const total = formatMoney(output.amount, output.currency);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: casesTable,
        Key: { caseId: record.caseId },
        UpdateExpression:
          'SET #status = :pending, pendingApproval = :approval, updatedAt = :at, timeline = list_append(if_not_exists(timeline, :empty), :entries)',
        ConditionExpression:
          '#status IN (:waiting, :claimed, :second) AND attribute_not_exists(resolution) AND taskToken = :token',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'awaiting_second_approval',
          ':approval': pendingApproval,
          ':at': at,
          ':empty': [],
          ':entries': [
            {
              at,
              step: 'awaiting_second_approval',
              detail: `${output.decision} ${total} by ${output.decidedBy}`,
            },
          ],
          ':waiting': 'awaiting_agent',
          ':claimed': 'claimed',
          ':second': 'awaiting_second_approval',
          ':token': taskToken,
        },
      }),
    );
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    throw notWaiting((await readCaseRecord(documentClient, casesTable, record.caseId)) ?? record);
  }
  try {
    await sfnClient.send(new SendTaskHeartbeatCommand({ taskToken }));
  } catch (error) {
    if (!isTaskGone(error)) throw error;
    // The wait ended meanwhile (re-dispatched): the pending approval is for a dead token; put the case back.
    await documentClient
      .send(
        new UpdateCommand({
          TableName: casesTable,
          Key: { caseId: record.caseId },
          UpdateExpression: 'SET #status = :before REMOVE pendingApproval',
          ConditionExpression: '#status = :pending AND taskToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':before': record.status === 'awaiting_second_approval' ? 'awaiting_agent' : record.status,
            ':pending': 'awaiting_second_approval',
            ':token': taskToken,
          },
        }),
      )
      .catch((e: unknown) => {
        if (!isNamedError(e, 'ConditionalCheckFailedException')) throw e;
      });
    throw reDispatched(record.caseId);
  }
}

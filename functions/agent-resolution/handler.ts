import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { loadCustomerAccount } from '../shared/account-store.js';
import type { CaseRecord } from '../shared/case-record.js';
import { pendingAgentRefunds, readCaseRecord } from '../shared/cases.js';
import { documentClient, sfnClient } from '../shared/clients.js';
import { ENV, numberEnv, requiredEnv } from '../shared/env.js';
import { isNamedError } from '../shared/errors.js';
import { agentIdOf, caseIdOf, HttpError, httpHandler, json, parseBody } from '../shared/http.js';
import { toEpochMs } from '../shared/instants.js';
import { logger } from '../shared/logger.js';
import { planResolution, type RefundableCharge, ResolutionRefused } from './domain.js';

const casesTable = requiredEnv(ENV.casesTable);
const tables = {
  accountsTable: requiredEnv(ENV.accountsTable),
  refundLedgerTable: requiredEnv(ENV.refundLedgerTable),
};
const goodwillCapMinor = numberEnv(ENV.goodwillCapMinor, 5000);

const bodySchema = z.strictObject({
  decision: z.enum(['approve_refund', 'goodwill_credit', 'deny'], {
    error: 'decision must be approve_refund, goodwill_credit or deny',
  }),
  amount: z.number().int('amount is in minor units (cents), a whole number').positive().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code such as USD')
    .optional(),
  note: z.string().trim().min(1, 'note is required: say why').max(2000),
});

type Facts = {
  billing?: { billingErrors?: { chargeId: string }[]; currency?: string | null } | null;
  order?: { found?: boolean; currency?: string | null } | null;
};

/** The currency the case was decided in: its billing errors' (one currency), else its order's. */
function caseCurrency(record: CaseRecord): string | null {
  const facts = (record.receipt?.facts ?? {}) as Facts;
  if ((facts.billing?.billingErrors ?? []).length > 0) return facts.billing?.currency ?? null;
  return facts.order?.found ? (facts.order.currency ?? null) : null;
}

/**
 * The case's billing-error charges first (as decided), then, if it had none, the customer's others newest first.
 * A remainder is the charge less what was refunded outside Refund Hub, what its ledger holds (both merged by
 * loadCustomerAccount) and what other cases' approvals already claimed but the workflow has not paid yet.
 */
async function refundableCharges(record: CaseRecord): Promise<RefundableCharge[]> {
  const [account, pending] = await Promise.all([
    loadCustomerAccount(documentClient, tables, record.customerId),
    pendingAgentRefunds(documentClient, { casesTable, ...tables }, record.customerId, record.caseId),
  ]);
  const billing = (record.receipt?.facts as Facts | undefined)?.billing;
  const errorIds = (billing?.billingErrors ?? []).map((e) => e.chargeId);
  const remainder = (id: string) => {
    const charge = account.charges.find((c) => c.id === id);
    return charge
      ? {
          chargeId: id,
          refundable: Math.max(0, charge.amount - (charge.refundedAmount ?? 0) - (pending.get(id) ?? 0)),
          currency: charge.currency,
        }
      : null;
  };
  if (errorIds.length > 0) return errorIds.map(remainder).filter((c): c is RefundableCharge => c !== null);
  return [...account.charges]
    .sort((a, b) => toEpochMs(b.chargedAt) - toEpochMs(a.chargedAt))
    .map((c) => remainder(c.id))
    .filter((c): c is RefundableCharge => c !== null);
}

function notWaiting(record: CaseRecord): HttpError {
  if (record.resolution) {
    return new HttpError(
      409,
      'already_resolved',
      `Case ${record.caseId} already has a resolution (${String(record.resolution.decision)}).`,
    );
  }
  return new HttpError(
    409,
    'case_not_waiting',
    `Case ${record.caseId} is not waiting for an agent (status ${record.status}).`,
  );
}

/**
 * POST /v1/agent/cases/{caseId}/resolution (IAM): claims the case's single resolution with a
 * conditional write, then resumes the waiting workflow with SendTaskSuccess.
 */
export const handler = httpHandler(async (event) => {
  const agentId = agentIdOf(event);
  const caseId = caseIdOf(event);
  const request = parseBody(event, bodySchema);

  const record = await readCaseRecord(documentClient, casesTable, caseId);
  if (!record) throw new HttpError(404, 'case_not_found', `No case ${caseId}.`);
  if (record.status !== 'awaiting_agent' || !record.taskToken || record.resolution) throw notWaiting(record);

  let output: ReturnType<typeof planResolution>;
  try {
    const refundable = request.decision === 'approve_refund' ? await refundableCharges(record) : [];
    output = planResolution(request, refundable, goodwillCapMinor, agentId, caseCurrency(record));
  } catch (error) {
    if (error instanceof ResolutionRefused) throw new HttpError(422, error.code, error.message);
    throw error;
  }

  const at = new Date().toISOString();
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: casesTable,
        Key: { caseId },
        UpdateExpression: 'SET resolution = :claim, updatedAt = :at',
        ConditionExpression: '#status = :waiting AND attribute_not_exists(resolution) AND taskToken = :token',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':claim': { ...output, state: 'resuming_workflow', at },
          ':waiting': 'awaiting_agent',
          ':token': record.taskToken,
          ':at': at,
        },
      }),
    );
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    throw notWaiting((await readCaseRecord(documentClient, casesTable, caseId)) ?? record);
  }

  try {
    await sfnClient.send(
      new SendTaskSuccessCommand({ taskToken: record.taskToken, output: JSON.stringify(output) }),
    );
  } catch (error) {
    // The wait ended first (SLA escalation re-dispatched it, or the case was stopped): release the claim.
    await releaseClaim(caseId, at, record.updatedAt);
    const name = (error as Error).name;
    if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') {
      throw new HttpError(
        409,
        'case_not_waiting',
        `Case ${caseId} stopped waiting for this callback (it was re-dispatched); fetch it and resolve again.`,
      );
    }
    throw error;
  }
  logger.info('Case resolved by agent', { caseId, decision: output.decision });
  return json(202, { caseId, decision: output.decision, amount: output.amount, status: 'resolving' });
});

/**
 * Undoes a claim whose workflow could not be resumed: the case is left as it was (a 409 changes
 * nothing), unless a step has written it since, whose `updatedAt` then stays.
 */
async function releaseClaim(caseId: string, claimedAt: string, previousUpdatedAt: string): Promise<void> {
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

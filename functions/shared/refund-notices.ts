/**
 * What happens when the provider settles a refund after the case was answered (a webhook, or the
 * refund step itself): a confirmation in the message center, or, for a refund that failed, the
 * customer told in words and the case handed to a person (queue billing, reason `refund_failed`)
 * by a follow-up execution of the same state machine.
 */
import { createHash } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { currentExecution } from '../intake/domain.js';
import type { CallbackFollowUp } from './case-record.js';
import { readCaseRecord, updateCase } from './cases.js';
import { startNamedExecution } from './executions.js';
import { postMessage } from './messages.js';
import { formatMoney } from './money.js';
import { refundConfirmedMessage, refundFailedMessage } from './refund-words.js';
import type { MinorUnits } from './types.js';

export interface NoticeDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly sfnClient: SFNClient;
  readonly casesTable: string;
  readonly messagesTable: string;
  readonly stateMachineArn: string;
}

export interface SettledRefund {
  readonly caseId: string;
  readonly customerId: string;
  readonly chargeId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly failureReason?: string;
  readonly at: string;
}

/** A follow-up execution's name: one per charge and failure, within Step Functions' 80 characters. */
function followUpName(caseId: string, chargeId: string): string {
  return `${caseId}-refund-failed-${createHash('sha256').update(chargeId).digest('hex').slice(0, 12)}`;
}

export async function confirmRefund(deps: NoticeDeps, refund: SettledRefund): Promise<void> {
  await updateCase(deps.documentClient, deps.casesTable, refund.caseId, [
    {
      at: refund.at,
      step: 'refund_confirmed',
      detail: `${formatMoney(refund.amount, refund.currency)} on ${refund.chargeId}`,
    },
  ]);
  await postMessage(
    deps.documentClient,
    deps.messagesTable,
    refund.customerId,
    { caseId: refund.caseId, ...refundConfirmedMessage(refund) },
    refund.at,
    `refund_confirmed:${refund.chargeId}`,
  );
}

/**
 * Tells the customer and hands the case to a person. A case someone is already working (waiting for an agent,
 * or still being decided) only gets the timeline entry and the message: the agent sees it. Idempotent: the message key and the
 * execution name are the same for the same failure, and Step Functions refuses a second execution of a name.
 */
export async function handOffFailedRefund(deps: NoticeDeps, refund: SettledRefund): Promise<void> {
  const record = await readCaseRecord(deps.documentClient, deps.casesTable, refund.caseId);
  if (!record) return;
  await postMessage(
    deps.documentClient,
    deps.messagesTable,
    refund.customerId,
    { caseId: refund.caseId, ...refundFailedMessage(refund) },
    refund.at,
    `refund_failed:${refund.chargeId}`,
  );
  const entry = {
    at: refund.at,
    step: 'refund_failed',
    detail: `${formatMoney(refund.amount, refund.currency)} on ${refund.chargeId}: ${refund.failureReason ?? 'failed'}`,
  };
  const followUp: CallbackFollowUp = {
    kind: 'refund_failed',
    executionName: followUpName(record.caseId, refund.chargeId),
    intent: record.intent ?? 'billing_refund',
    callbackPhone: record.callbackPhone,
  };
  // Already handed off for this failure (a redelivered event): only make sure its execution runs.
  if (record.followUp?.executionName !== followUp.executionName) {
    // Still open (a person has it or will): the failure joins the case's timeline.
    if (['received', 'awaiting_agent', 'claimed', 'awaiting_second_approval'].includes(record.status)) {
      await updateCase(deps.documentClient, deps.casesTable, record.caseId, [entry]);
      return;
    }
    // Written before the start, so the sweeper knows which execution the case waits on.
    await updateCase(deps.documentClient, deps.casesTable, record.caseId, [entry], {
      followUp,
      status: 'received',
      updatedAt: refund.at,
    });
  }
  await startNamedExecution(deps.sfnClient, deps.stateMachineArn, currentExecution({ ...record, followUp }));
}

/**
 * The exactly-once refund ledger (DynamoDB, conditional writes only: no transactions, so the
 * same code runs on dynalite). Shared by the automatic refund step and agent resolutions.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  caseAttribute,
  maxPriorLedgerTotal,
  type RefundResult,
  type RefundSource,
  refundResult,
} from '../issue-refund/domain.js';
import { ACCOUNT_SK } from './accounts.js';
import { queryAll } from './dynamo.js';
import { isNamedError } from './errors.js';
import type { Charge, MinorUnits } from './types.js';

export interface LedgerTables {
  readonly accountsTable: string;
  readonly refundLedgerTable: string;
}

export interface RefundAttempt {
  readonly caseId: string;
  readonly customerId: string;
  readonly chargeId: string;
  readonly amount: MinorUnits;
  readonly source: RefundSource;
  readonly at: string;
}

/** What one refund call did on one charge: the amount this case has refunded on it, in the charge's currency. */
export interface RefundedCharge {
  readonly refunded: MinorUnits;
  /** The charge's own currency (from the account, else the ledger); null when neither knows the charge. */
  readonly currency: string | null;
}

/**
 * Refunds `amount` of one charge for one case, at most once. Returns what this case has refunded on
 * the charge (the earlier amount when the call is a retry), or 0 when the charge was already
 * refunded by another case or has less left than asked.
 */
export async function refundCharge(
  client: DynamoDBDocumentClient,
  tables: LedgerTables,
  attempt: RefundAttempt,
): Promise<RefundedCharge> {
  const chargeItem = await client.send(
    new GetCommand({
      TableName: tables.accountsTable,
      Key: { customerId: attempt.customerId, sk: ACCOUNT_SK.charge(attempt.chargeId) },
      ConsistentRead: true,
    }),
  );
  const charge = chargeItem.Item?.data as Charge | undefined;
  // Nothing to pay now; but a retry of a refund this case already made still reports it.
  if (!charge || attempt.amount <= 0) return refundedByCase(client, tables, attempt, charge?.currency);
  const maxPrior = maxPriorLedgerTotal(charge.amount, charge.refundedAmount ?? 0, attempt.amount);
  if (maxPrior < 0) return refundedByCase(client, tables, attempt, charge.currency);

  const conditions = [
    'attribute_not_exists(#case)',
    '(attribute_not_exists(refundedTotal) OR refundedTotal <= :maxPrior)',
  ];
  // An automatic refund happens once per charge, ever, whichever case asks.
  if (attempt.source === 'auto') conditions.push('attribute_not_exists(autoRefundCaseId)');
  try {
    await client.send(
      new UpdateCommand({
        TableName: tables.refundLedgerTable,
        Key: { customerId: attempt.customerId, chargeId: attempt.chargeId },
        UpdateExpression: [
          'SET #case = :line, refundedTotal = if_not_exists(refundedTotal, :zero) + :amount',
          'currency = :currency, updatedAt = :at',
          ...(attempt.source === 'auto' ? ['autoRefundCaseId = :caseId'] : []),
        ].join(', '),
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { '#case': caseAttribute(attempt.caseId) },
        ExpressionAttributeValues: {
          ':line': { amount: attempt.amount, source: attempt.source, at: attempt.at },
          ':amount': attempt.amount,
          ':zero': 0,
          ':maxPrior': maxPrior,
          ':currency': charge.currency,
          ':at': attempt.at,
          ...(attempt.source === 'auto' ? { ':caseId': attempt.caseId } : {}),
        },
      }),
    );
    return { refunded: attempt.amount, currency: charge.currency };
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) {
      throw error;
    }
    // Either this case refunded it already (a retried step: report the same refund again)
    // or another case did (refund nothing).
    return refundedByCase(client, tables, attempt, charge.currency);
  }
}

/** What this case has already refunded on the charge, per its own ledger line (0 if none). */
async function refundedByCase(
  client: DynamoDBDocumentClient,
  tables: LedgerTables,
  attempt: RefundAttempt,
  chargeCurrency: string | undefined,
): Promise<RefundedCharge> {
  const existing = await client.send(
    new GetCommand({
      TableName: tables.refundLedgerTable,
      Key: { customerId: attempt.customerId, chargeId: attempt.chargeId },
      ConsistentRead: true,
    }),
  );
  const line = existing.Item?.[caseAttribute(attempt.caseId)] as { amount: MinorUnits } | undefined;
  const currency = chargeCurrency ?? (existing.Item?.currency as string | undefined) ?? null;
  return { refunded: line?.amount ?? 0, currency };
}

/**
 * Total refunded through Refund Hub per charge of one customer, to merge into the account view.
 * With `exceptCaseId`, that case's own ledger lines are left out: a re-run of the case (after a
 * crash) then sees the account as the case first saw it, and its refund step reports the refund it
 * already made instead of finding nothing left.
 */
export async function ledgerTotals(
  client: DynamoDBDocumentClient,
  refundLedgerTable: string,
  customerId: string,
  exceptCaseId?: string,
): Promise<Map<string, MinorUnits>> {
  const items = await queryAll(client, {
    TableName: refundLedgerTable,
    KeyConditionExpression: 'customerId = :c',
    ExpressionAttributeValues: { ':c': customerId },
    ...(exceptCaseId
      ? {
          ProjectionExpression: 'chargeId, refundedTotal, #case',
          ExpressionAttributeNames: { '#case': caseAttribute(exceptCaseId) },
        }
      : { ProjectionExpression: 'chargeId, refundedTotal' }),
  });
  return new Map(
    items.map((item) => {
      const own = exceptCaseId
        ? (item[caseAttribute(exceptCaseId)] as { amount: MinorUnits } | undefined)
        : undefined;
      return [item.chargeId as string, (item.refundedTotal as number) - (own?.amount ?? 0)];
    }),
  );
}

/**
 * What one case has refunded, from the ledger (the source of truth): a refund paid before a later
 * step failed, or by an agent after an automatic refund, always shows on the case.
 */
export async function refundsByCase(
  client: DynamoDBDocumentClient,
  refundLedgerTable: string,
  customerId: string,
  caseId: string,
): Promise<RefundResult> {
  const items = await queryAll(client, {
    TableName: refundLedgerTable,
    KeyConditionExpression: 'customerId = :c',
    ExpressionAttributeValues: { ':c': customerId },
    ProjectionExpression: 'chargeId, currency, #case',
    ExpressionAttributeNames: { '#case': caseAttribute(caseId) },
  });
  // Each ledger item is one charge, so its currency is the currency of every line on it.
  return refundResult(
    items.flatMap((item) => {
      const line = item[caseAttribute(caseId)] as { amount: MinorUnits } | undefined;
      return line
        ? [{ chargeId: item.chargeId as string, amount: line.amount, currency: item.currency as string }]
        : [];
    }),
  );
}

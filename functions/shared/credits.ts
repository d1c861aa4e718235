/**
 * Goodwill credits, booked like refunds in two phases: the case's credit item is written `pending`
 * (once per case, conditional), the payment provider books it with the case's idempotency key, then
 * the item records the provider's id and `succeeded` (or `failed` for a final refusal).
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isNamedError } from './errors.js';
import { creditIdempotencyKey, type PaymentProviderName } from './payments/provider.js';
import type { MinorUnits } from './types.js';

export type CreditStatus = 'pending' | 'succeeded' | 'failed';

export interface CreditItem {
  readonly customerId: string;
  readonly caseId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly status: CreditStatus;
  readonly provider: PaymentProviderName;
  readonly idempotencyKey: string;
  readonly providerCreditId?: string;
  readonly failureReason?: string;
  readonly agentId?: string;
  readonly at: string;
  readonly updatedAt: string;
}

export interface CreditAttempt {
  readonly customerId: string;
  readonly caseId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly provider: PaymentProviderName;
  readonly agentId?: string;
  readonly at: string;
}

async function readCredit(
  client: DynamoDBDocumentClient,
  creditsTable: string,
  customerId: string,
  caseId: string,
): Promise<CreditItem | undefined> {
  const result = await client.send(
    new GetCommand({ TableName: creditsTable, Key: { customerId, caseId }, ConsistentRead: true }),
  );
  return result.Item as CreditItem | undefined;
}

/** The case's credit item: written now, or the one an earlier try wrote (whatever its amount: one credit per case). */
export async function reserveCredit(
  client: DynamoDBDocumentClient,
  creditsTable: string,
  attempt: CreditAttempt,
): Promise<CreditItem> {
  const item: CreditItem = {
    ...attempt,
    status: 'pending',
    idempotencyKey: creditIdempotencyKey(attempt.caseId),
    updatedAt: attempt.at,
  };
  try {
    await client.send(
      new PutCommand({
        TableName: creditsTable,
        Item: item,
        ConditionExpression: 'attribute_not_exists(caseId)',
      }),
    );
    return item;
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    const existing = await readCredit(client, creditsTable, attempt.customerId, attempt.caseId);
    if (!existing) throw error;
    return existing;
  }
}

/** Records what the provider did with a pending credit; a settled credit is never changed again. */
export async function settleCredit(
  client: DynamoDBDocumentClient,
  creditsTable: string,
  credit: CreditItem,
  outcome: {
    readonly status: 'succeeded' | 'failed';
    readonly providerCreditId: string | null;
    readonly failureReason?: string;
  },
  at: string,
): Promise<CreditItem> {
  const next: CreditItem = {
    ...credit,
    status: outcome.status,
    ...(outcome.providerCreditId ? { providerCreditId: outcome.providerCreditId } : {}),
    ...(outcome.failureReason ? { failureReason: outcome.failureReason } : {}),
    updatedAt: at,
  };
  try {
    await client.send(
      new UpdateCommand({
        TableName: creditsTable,
        Key: { customerId: credit.customerId, caseId: credit.caseId },
        UpdateExpression:
          'SET #status = :status, updatedAt = :at, providerCreditId = :id, failureReason = :reason',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': next.status,
          ':at': at,
          ':id': next.providerCreditId ?? null,
          ':reason': next.failureReason ?? null,
          ':pending': 'pending',
        },
      }),
    );
    return next;
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    return (await readCredit(client, creditsTable, credit.customerId, credit.caseId)) ?? next;
  }
}

/** The credit a case booked, if any. */
export function creditOfCase(
  client: DynamoDBDocumentClient,
  creditsTable: string,
  customerId: string,
  caseId: string,
): Promise<CreditItem | undefined> {
  return readCredit(client, creditsTable, customerId, caseId);
}

/** Every credit of one customer (for the export, per customer). */
export async function creditsOfCustomer(
  client: DynamoDBDocumentClient,
  creditsTable: string,
  customerId: string,
): Promise<CreditItem[]> {
  const result = await client.send(
    new QueryCommand({
      TableName: creditsTable,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
    }),
  );
  return (result.Items ?? []) as CreditItem[];
}

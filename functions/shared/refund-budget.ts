/**
 * The daily automatic-refund budget per currency (POLICY.md v2 rule 8), counted atomically across all cases without
 * transactions: one item per currency holds the reservations of the last days, and every write is conditional on the
 * version it read. Two cases at the edge of the budget cannot both pass it: the second one's write fails, it reads again
 * and sees the first. A case's reservation is keyed by its id, so a retried step finds its own and passes again.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BudgetCheck,
  type BudgetReservation,
  checkBudget,
  pruneReservations,
} from '../refund-guardrails/domain.js';
import { isNamedError } from './errors.js';
import type { IsoInstant, MinorUnits } from './types.js';

export interface BudgetRequest {
  readonly caseId: string;
  readonly currency: string;
  readonly amount: MinorUnits;
  readonly now: IsoInstant;
}

/** Too many concurrent writers in a row: the step's retry tries again later. */
export class BudgetContended extends Error {
  override readonly name = 'BudgetContended';
}

const MAX_ATTEMPTS = 12;

async function readBudget(client: DynamoDBDocumentClient, table: string, currency: string) {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { currency }, ConsistentRead: true }),
  );
  return {
    version: (Item?.version as number | undefined) ?? 0,
    reservations: (Item?.reservations as Record<string, BudgetReservation> | undefined) ?? {},
  };
}

/** Reserves `amount` of the currency's budget for the case when it fits; returns what the rule saw. */
export async function reserveBudget(
  client: DynamoDBDocumentClient,
  table: string,
  request: BudgetRequest,
  limit: MinorUnits | null,
): Promise<BudgetCheck> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const { version, reservations } = await readBudget(client, table, request.currency);
    const check = checkBudget(reservations, request, limit);
    // A retry of a case that already holds its reservation: it passed then, it passes now.
    if (reservations[request.caseId]) return { ...check, withinBudget: true };
    if (!check.withinBudget) return check;
    const next = pruneReservations({
      ...reservations,
      [request.caseId]: { amount: request.amount, at: request.now },
    });
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { currency: request.currency, version: version + 1, reservations: next },
          ConditionExpression: 'attribute_not_exists(currency) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return check;
    } catch (error) {
      if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
      // Another case wrote first: read again, with a little jitter so two writers do not keep colliding.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
  }
  throw new BudgetContended(
    `The ${request.currency} refund budget was contended ${MAX_ATTEMPTS} times in a row`,
  );
}

/** Records refunds made earlier (replay's `ledger` history) in the budget, keyed so a re-seed changes nothing. */
export async function seedBudget(
  client: DynamoDBDocumentClient,
  table: string,
  currency: string,
  entries: Readonly<Record<string, BudgetReservation>>,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const { version, reservations } = await readBudget(client, table, currency);
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            currency,
            version: version + 1,
            reservations: pruneReservations({ ...reservations, ...entries }),
          },
          ConditionExpression: 'attribute_not_exists(currency) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return;
    } catch (error) {
      if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
  }
  throw new BudgetContended(`The ${currency} refund budget was contended ${MAX_ATTEMPTS} times in a row`);
}

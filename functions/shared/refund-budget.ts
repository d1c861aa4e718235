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

/**
 * Attempts before giving up on a contended item, and the cap of the wait between two (ms). Many cases refunding at once
 * (a replay's 48 executions spread over days, where every refund reserves) write the one item of their currency in
 * turn: the wait grows exponentially with full jitter, so colliding writers spread out instead of colliding again.
 */
const MAX_ATTEMPTS = 20;
const MAX_BACKOFF_MS = 250;

async function readBudget(client: DynamoDBDocumentClient, table: string, currency: string) {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { currency }, ConsistentRead: true }),
  );
  return {
    version: (Item?.version as number | undefined) ?? 0,
    reservations: (Item?.reservations as Record<string, BudgetReservation> | undefined) ?? {},
  };
}

/**
 * Reads the currency's item and writes what `change` makes of its reservations, conditional on the version it read;
 * another writer in between means reading again. `change` returns the reservations to write (null: write nothing)
 * and the answer to give.
 */
async function updateBudget<T>(
  client: DynamoDBDocumentClient,
  table: string,
  currency: string,
  change: (reservations: Readonly<Record<string, BudgetReservation>>) => {
    readonly write: Record<string, BudgetReservation> | null;
    readonly answer: T;
  },
): Promise<T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const { version, reservations } = await readBudget(client, table, currency);
    const { write, answer } = change(reservations);
    if (write === null) return answer;
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { currency, version: version + 1, reservations: pruneReservations(write) },
          ConditionExpression: 'attribute_not_exists(currency) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return answer;
    } catch (error) {
      if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
      // Another case wrote first: read again after a random wait up to a bound that doubles (full jitter).
      const bound = Math.min(MAX_BACKOFF_MS, 4 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
    }
  }
  throw new BudgetContended(`The ${currency} refund budget was contended ${MAX_ATTEMPTS} times in a row`);
}

/** Reserves `amount` of the currency's budget for the case when it fits; returns what the rule saw. */
export function reserveBudget(
  client: DynamoDBDocumentClient,
  table: string,
  request: BudgetRequest,
  limit: MinorUnits | null,
): Promise<BudgetCheck> {
  return updateBudget(client, table, request.currency, (reservations) => {
    const check = checkBudget(reservations, request, limit);
    // A retry of a case that already holds its reservation: it passed then, it passes now.
    if (reservations[request.caseId]) return { write: null, answer: { ...check, withinBudget: true } };
    if (!check.withinBudget) return { write: null, answer: check };
    return {
      write: { ...reservations, [request.caseId]: { amount: request.amount, at: request.now } },
      answer: check,
    };
  });
}

/** Records refunds made earlier (replay's `ledger` history) in the budget, keyed so a re-seed changes nothing. */
export function seedBudget(
  client: DynamoDBDocumentClient,
  table: string,
  currency: string,
  entries: Readonly<Record<string, BudgetReservation>>,
): Promise<void> {
  return updateBudget(client, table, currency, (reservations) => ({
    write: { ...reservations, ...entries },
    answer: undefined,
  }));
}

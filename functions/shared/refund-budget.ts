/**
 * The daily automatic-refund budget per currency (POLICY.md v2 rule 8), counted atomically across all cases without
 * transactions: one item per currency holds the reservations of the last days and `total`, the sum of all of them. A
 * reservation is one conditional UpdateItem: add this case's entry and its amount to `total`, on condition that the
 * entry is not there yet and that `total` is at most what still lets this refund fit. Reservations outside this case's
 * 24 hours cannot change its window, so "total at most X" is the whole budget test: concurrent refunds under the budget
 * all pass at once (none has to wait for another), and two cases at its edge cannot both pass it: the second one's
 * condition fails, it reads again and sees the first. A case's reservation is keyed by its id, so a retried step finds
 * its own and passes again.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BudgetCheck,
  type BudgetReservation,
  checkBudget,
  maxTotalForReservation,
  pruneReservations,
  reservationsTotal,
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
 * Attempts before giving up on a contended item, and the cap of the wait between two (ms). Writers only collide at the
 * edge of the budget (or on the item's first write and its compaction): the wait grows exponentially with full jitter,
 * so colliding writers spread out instead of colliding again.
 */
const MAX_ATTEMPTS = 20;
const MAX_BACKOFF_MS = 250;
/** Over this many reservations the item is compacted (pruneReservations) in a version-conditional Put. */
const COMPACT_OVER = 600;

/**
 * Worth a compaction: over `COMPACT_OVER` entries, and pruning would drop some. A week of reservations that all still
 * count is left alone, or every write would take the version-conditional Put and wait its turn again.
 */
function compactable(reservations: Readonly<Record<string, BudgetReservation>>): boolean {
  const count = Object.keys(reservations).length;
  return count > COMPACT_OVER && Object.keys(pruneReservations(reservations)).length < count;
}

interface BudgetItem {
  readonly exists: boolean;
  readonly version: number;
  /** Absent on an item written before `total` existed: it is compacted (which writes it) first. */
  readonly total: number | undefined;
  readonly reservations: Readonly<Record<string, BudgetReservation>>;
}

async function readBudget(
  client: DynamoDBDocumentClient,
  table: string,
  currency: string,
): Promise<BudgetItem> {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { currency }, ConsistentRead: true }),
  );
  return {
    exists: Item !== undefined,
    version: (Item?.version as number | undefined) ?? 0,
    total: Item?.total as number | undefined,
    reservations: (Item?.reservations as Record<string, BudgetReservation> | undefined) ?? {},
  };
}

async function backoff(attempt: number): Promise<void> {
  const bound = Math.min(MAX_BACKOFF_MS, 4 * 2 ** attempt);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
}

/**
 * Writes `entries` into the currency's item: a conditional Put when the item does not exist yet or needs compacting
 * (the version it read), else one UpdateItem that adds each entry and its amount to `total`, on condition that none
 * is there yet and that `total` is at most `maxTotal` (when given). Returns false when a condition failed: read again.
 */
async function writeEntries(
  client: DynamoDBDocumentClient,
  table: string,
  currency: string,
  item: BudgetItem,
  entries: Readonly<Record<string, BudgetReservation>>,
  maxTotal: number | null,
): Promise<boolean> {
  try {
    if (!item.exists || item.total === undefined || compactable(item.reservations)) {
      const reservations = pruneReservations({ ...item.reservations, ...entries });
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { currency, version: item.version + 1, total: reservationsTotal(reservations), reservations },
          ConditionExpression: item.exists ? 'version = :version' : 'attribute_not_exists(currency)',
          ...(item.exists ? { ExpressionAttributeValues: { ':version': item.version } } : {}),
        }),
      );
      return true;
    }
    const keys = Object.keys(entries);
    const names = Object.fromEntries(keys.map((key, i) => [`#e${i}`, key]));
    const values = Object.fromEntries(keys.map((key, i) => [`:e${i}`, entries[key]]));
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { currency },
        UpdateExpression: `SET ${keys.map((_, i) => `reservations.#e${i} = :e${i}`).join(', ')} ADD version :one, #total :amount`,
        ConditionExpression: [
          ...keys.map((_, i) => `attribute_not_exists(reservations.#e${i})`),
          ...(maxTotal === null ? [] : ['#total <= :maxTotal']),
        ].join(' AND '),
        ExpressionAttributeNames: { ...names, '#total': 'total' },
        ExpressionAttributeValues: {
          ...values,
          ':one': 1,
          ':amount': reservationsTotal(entries),
          ...(maxTotal === null ? {} : { ':maxTotal': maxTotal }),
        },
      }),
    );
    return true;
  } catch (error) {
    if (!isNamedError(error, 'ConditionalCheckFailedException')) throw error;
    return false;
  }
}

/** Reserves `amount` of the currency's budget for the case when it fits; returns what the rule saw. */
export async function reserveBudget(
  client: DynamoDBDocumentClient,
  table: string,
  request: BudgetRequest,
  limit: MinorUnits | null,
): Promise<BudgetCheck> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const item = await readBudget(client, table, request.currency);
    const check = checkBudget(item.reservations, request, limit);
    // A retry of a case that already holds its reservation: it passed then, it passes now.
    if (item.reservations[request.caseId]) return { ...check, withinBudget: true };
    if (!check.withinBudget || limit === null) return check;
    const maxTotal = maxTotalForReservation(
      item.total ?? reservationsTotal(item.reservations),
      check,
      request.amount,
    );
    const entry = { [request.caseId]: { amount: request.amount, at: request.now } };
    if (await writeEntries(client, table, request.currency, item, entry, maxTotal)) return check;
    await backoff(attempt);
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
    const item = await readBudget(client, table, currency);
    const missing = Object.fromEntries(Object.entries(entries).filter(([key]) => !item.reservations[key]));
    if (Object.keys(missing).length === 0) return;
    if (await writeEntries(client, table, currency, item, missing, null)) return;
    await backoff(attempt);
  }
  throw new BudgetContended(`The ${currency} refund budget was contended ${MAX_ATTEMPTS} times in a row`);
}

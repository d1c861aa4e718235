/**
 * Upserting one customer's account from an operator's system. No transactions (dynalite has none,
 * and 1000 entities exceed one anyway): everything is validated and checked against the refund
 * ledger before the first write, then written as BatchWrite chunks of whole-item puts. A put of
 * the same item twice is the same item, so a request that failed part-way converges when repeated.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describeIssue, type FieldIssue, parseAccountRequest } from '../shared/account-schema.js';
import type { AccountItem } from '../shared/accounts.js';
import { queryAll } from '../shared/dynamo.js';
import {
  chunks,
  countsOf,
  isCustomerId,
  itemsOf,
  type LedgerConflict,
  ledgerChargeOf,
  ledgerConflicts,
  type WriteCounts,
} from './domain.js';

export interface AccountTables {
  readonly accountsTable: string;
  readonly refundLedgerTable: string;
}

export interface WriteOptions {
  /** Attempts per chunk while DynamoDB leaves items unprocessed. @default 8 */
  readonly maxAttempts?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What the handler answers: a status and the JSON body. */
export interface PutAccountResult {
  readonly statusCode: number;
  readonly body: unknown;
}

/** Issues listed in a 400 body beside the message (the first one is in the message). */
const MAX_LISTED_ISSUES = 50;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff (AWS's advice for BatchWrite's UnprocessedItems), 50 ms doubling to 2 s. */
const backoffMs = (attempt: number) => Math.random() * Math.min(2_000, 50 * 2 ** attempt);

function badRequest(issues: readonly FieldIssue[]): PutAccountResult {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more: see issues)` : '';
  return {
    statusCode: 400,
    body: {
      error: {
        code: 'invalid_request',
        message: `${first ? describeIssue(first) : 'invalid request'}${more}. Nothing was written.`,
        issues: issues.slice(0, MAX_LISTED_ISSUES),
      },
    },
  };
}

function conflict(conflicts: readonly LedgerConflict[]): PutAccountResult {
  return {
    statusCode: 409,
    body: {
      error: {
        code: 'ledger_conflict',
        message: `${conflicts.map((c) => `charge ${c.chargeId}: ${c.reason}`).join('; ')}. Nothing was written.`,
        conflicts,
      },
    },
  };
}

function unavailable(written: number, total: number, cause: unknown): PutAccountResult {
  const done =
    written === 0 ? 'nothing was written' : `${written} of ${total} items were written, the rest were not`;
  return {
    statusCode: 503,
    body: {
      error: {
        code: 'retry_safe',
        message:
          `The accounts table did not take the whole account (${(cause as Error)?.name ?? 'error'}): ${done}. ` +
          'This PUT is idempotent: send the same request again to finish it.',
        written,
        total,
      },
    },
  };
}

export class PartialWriteError extends Error {
  override readonly name = 'PartialWriteError';
  constructor(
    readonly written: number,
    readonly failure: unknown,
  ) {
    super(`BatchWrite stopped after ${written} items`);
  }
}

/** Writes the items in chunks of 25, retrying what DynamoDB leaves unprocessed; throws `PartialWriteError`. */
export async function writeItems(
  client: DynamoDBDocumentClient,
  table: string,
  items: readonly AccountItem[],
  options: WriteOptions = {},
): Promise<number> {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? sleepFor;
  let written = 0;
  for (const chunk of chunks(items)) {
    let pending = chunk.map((item) => ({ PutRequest: { Item: { ...item } } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= maxAttempts)
        throw new PartialWriteError(written, new Error(`${pending.length} items stayed unprocessed`));
      if (attempt > 0) await sleep(backoffMs(attempt));
      let unprocessed: typeof pending;
      try {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        unprocessed = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
      } catch (error) {
        throw new PartialWriteError(written, error);
      }
      written += pending.length - unprocessed.length;
      pending = unprocessed;
    }
  }
  return written;
}

/** The whole PUT: 400 (names the field), 409 (ledger), 503 (retry_safe) or 200 with the counts written. */
export async function putAccount(
  client: DynamoDBDocumentClient,
  tables: AccountTables,
  customerId: unknown,
  body: unknown,
  options: WriteOptions = {},
): Promise<PutAccountResult> {
  if (!isCustomerId(customerId))
    return badRequest([
      { path: 'customerId', message: 'must be a customer id: 1 to 256 characters, no spaces around it' },
    ]);
  const parsed = parseAccountRequest(customerId, body);
  if (!parsed.ok) return badRequest(parsed.issues);
  const request = parsed.value;

  if (request.charges?.length) {
    let ledgerItems: Record<string, unknown>[];
    try {
      ledgerItems = await queryAll(client, {
        TableName: tables.refundLedgerTable,
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': customerId },
        ConsistentRead: true,
      });
    } catch (error) {
      return unavailable(0, itemsOf(customerId, request).length, error);
    }
    const conflicts = ledgerConflicts(request.charges, ledgerItems.map(ledgerChargeOf));
    if (conflicts.length > 0) return conflict(conflicts);
  }

  const items = itemsOf(customerId, request);
  try {
    await writeItems(client, tables.accountsTable, items, options);
  } catch (error) {
    if (error instanceof PartialWriteError) return unavailable(error.written, items.length, error.failure);
    throw error;
  }
  const written: WriteCounts = countsOf(request);
  return { statusCode: 200, body: { customerId, written } };
}

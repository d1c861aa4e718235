/**
 * Replay's own DynamoDB I/O, batched. Replay seeds each scenario (its account items and its case
 * record) and reads each outcome; one call per item would cost about a fifth of a replay's CPU, as
 * much as two of the workflow's own steps. So writes made in the same turn of the event loop share
 * BatchWriteItem calls (25 items each), and outcome reads made within a short window share
 * BatchGetItem calls (100 keys each, strongly consistent). DataLoader does the grouping.
 *
 * Only the harness uses this (replay, and seeding in the tests): the handlers keep their own
 * clients and calls, as on AWS.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import type { LocalRuntime } from './runtime.js';

type Item = Record<string, unknown>;

export interface BatchedIoOptions {
  /** How long a read waits for others to share its BatchGetItem call. @default 10 */
  readonly readWindowMs?: number;
}

interface PendingWrite {
  readonly table: string;
  readonly item: Item;
}

/** Unprocessed items or keys are sent again after a short pause, as the SDK documentation advises. */
const RETRY_PAUSES_MS = [5, 20, 50, 100, 200, 500];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class BatchedIo {
  private readonly writes: DataLoader<PendingWrite, true>;
  private readonly reads: DataLoader<string, Item | undefined, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: {
      readonly cases: string;
      /** Key attribute names per table, to keep a key from appearing twice in one batch. */
      readonly keys: Readonly<Record<string, readonly string[]>>;
    },
    options: BatchedIoOptions = {},
  ) {
    const readWindowMs = options.readWindowMs ?? 10;
    this.writes = new DataLoader((writes) => this.writeAll(writes), { cache: false, maxBatchSize: 25 });
    this.reads = new DataLoader((caseIds) => this.readCases(caseIds), {
      cache: false,
      maxBatchSize: 100,
      batchScheduleFn: (callback) => setTimeout(callback, readWindowMs),
    });
  }

  /** Puts items, batched with the other puts of this turn; resolves once all of them are stored. */
  async put(table: string, items: readonly object[]): Promise<void> {
    const results = await this.writes.loadMany(items.map((item) => ({ table, item: item as Item })));
    const failed = results.find((r) => r instanceof Error);
    if (failed) throw failed;
  }

  /** The case record, read strongly consistent. */
  readCase(caseId: string): Promise<Item | undefined> {
    return this.reads.load(caseId);
  }

  /**
   * One BatchWriteItem call per group of writes in which no key repeats (DynamoDB refuses a batch
   * that names a key twice; a later put of the same key goes in a later call, as it would in
   * sequence). If a call fails, each write is tried alone, so one bad scenario fails only itself.
   */
  private async writeAll(writes: readonly PendingWrite[]): Promise<(true | Error)[]> {
    const groups: PendingWrite[][] = [];
    let group: PendingWrite[] = [];
    let keys = new Set<string>();
    for (const write of writes) {
      const key = this.keyOf(write);
      if (keys.has(key)) {
        groups.push(group);
        group = [];
        keys = new Set();
      }
      group.push(write);
      keys.add(key);
    }
    groups.push(group);
    try {
      for (const g of groups) await this.batchWrite(g);
      return writes.map(() => true);
    } catch (error) {
      if (writes.length === 1) return [error as Error];
      const results: (true | Error)[] = [];
      for (const write of writes)
        results.push(
          await this.batchWrite([write]).then(
            () => true as const,
            (e: Error) => e,
          ),
        );
      return results;
    }
  }

  private keyOf({ table, item }: PendingWrite): string {
    const attributes = this.tables.keys[table];
    if (!attributes) throw new Error(`BatchedIo has no key schema for table ${table}`);
    return JSON.stringify([table, ...attributes.map((a) => item[a])]);
  }

  private async batchWrite(writes: readonly PendingWrite[]): Promise<void> {
    let requestItems: Record<string, { PutRequest: { Item: Item } }[]> = {};
    for (const { table, item } of writes) {
      requestItems[table] = [...(requestItems[table] ?? []), { PutRequest: { Item: item } }];
    }
    for (let attempt = 0; Object.keys(requestItems).length > 0; attempt += 1) {
      if (attempt > RETRY_PAUSES_MS.length) throw new Error('BatchWriteItem left items unprocessed');
      if (attempt > 0) await pause(RETRY_PAUSES_MS[attempt - 1] as number);
      const output = await this.client.send(new BatchWriteCommand({ RequestItems: requestItems }));
      requestItems = (output.UnprocessedItems ?? {}) as typeof requestItems;
    }
  }

  private async readCases(caseIds: readonly string[]): Promise<(Item | undefined)[]> {
    const table = this.tables.cases;
    const found = new Map<string, Item>();
    let keys: Item[] = [...new Set(caseIds)].map((caseId) => ({ caseId }));
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt > RETRY_PAUSES_MS.length) throw new Error('BatchGetItem left keys unprocessed');
      if (attempt > 0) await pause(RETRY_PAUSES_MS[attempt - 1] as number);
      const output = await this.client.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of output.Responses?.[table] ?? []) found.set(item.caseId as string, item);
      keys = (output.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
    }
    return caseIds.map((caseId) => found.get(caseId));
  }
}

const byRuntime = new WeakMap<LocalRuntime, BatchedIo>();

/** The runtime's batched I/O (one per runtime, so everything it batches shares calls). */
export function batchedIoFor(runtime: LocalRuntime): BatchedIo {
  let io = byRuntime.get(runtime);
  if (!io) {
    const keys = Object.fromEntries(
      runtime.topology.tables.map((t) => [
        t.tableName,
        ((t.definition.KeySchema ?? []) as { AttributeName: string }[]).map((k) => k.AttributeName),
      ]),
    );
    io = new BatchedIo(runtime.documentClient, { cases: runtime.tables.cases, keys });
    byRuntime.set(runtime, io);
  }
  return io;
}

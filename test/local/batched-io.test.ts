/**
 * Replay's batched harness I/O against the embedded runtime's dynalite: what is written is read
 * back, writes and reads made together share calls, and one bad write fails only itself.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BatchedIo, batchedIoFor } from '../../local/batched-io.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';

let runtime: LocalRuntime;
let io: BatchedIo;

beforeAll(async () => {
  runtime = await startLocalRuntime();
  io = batchedIoFor(runtime);
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await runtime?.stop();
});

/** Counts the documentClient calls by command name while `work` runs. */
async function callsDuring(work: () => Promise<unknown>): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  const send = runtime.documentClient.send.bind(runtime.documentClient);
  const spy = vi.spyOn(runtime.documentClient, 'send').mockImplementation(((command: object) => {
    const name = command.constructor.name;
    calls[name] = (calls[name] ?? 0) + 1;
    return send(command as never);
  }) as never);
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return calls;
}

describe('BatchedIo', () => {
  it('writes items put in the same turn in shared BatchWriteItem calls (25 items each)', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({
      customerId: 'batch-writer',
      sk: `ITEM#${i}`,
      n: i,
    }));
    const calls = await callsDuring(() =>
      Promise.all(items.map((item) => io.put(runtime.tables.accounts, [item]))),
    );
    expect(calls).toEqual({ BatchWriteCommand: 3 });
    const stored = await runtime.documentClient.send(
      new GetCommand({
        TableName: runtime.tables.accounts,
        Key: { customerId: 'batch-writer', sk: 'ITEM#59' },
      }),
    );
    expect(stored.Item).toMatchObject({ n: 59 });
  });

  it('keeps the last of two puts of the same key in one turn (DynamoDB refuses a key twice per batch)', async () => {
    await Promise.all([
      io.put(runtime.tables.cases, [{ caseId: 'same-key', version: 1 }]),
      io.put(runtime.tables.cases, [{ caseId: 'same-key', version: 2 }]),
    ]);
    expect(await io.readCase('same-key')).toMatchObject({ version: 2 });
  });

  it('fails only the bad write when a batch is refused, and stores the others', async () => {
    const results = await Promise.allSettled([
      io.put(runtime.tables.cases, [{ caseId: 'good-before' }]),
      // No key attribute: DynamoDB refuses the item, and with it the whole batch.
      io.put(runtime.tables.cases, [{ notTheKey: 'x' }]),
      io.put(runtime.tables.cases, [{ caseId: 'good-after' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await io.readCase('good-before')).toEqual({ caseId: 'good-before' });
    expect(await io.readCase('good-after')).toEqual({ caseId: 'good-after' });
  });

  it('reads case records asked for within the window in one strongly consistent BatchGetItem call', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `read-${i}`);
    await Promise.all(ids.map((caseId) => io.put(runtime.tables.cases, [{ caseId, status: 'resolved' }])));
    let found: unknown[] = [];
    const calls = await callsDuring(async () => {
      found = await Promise.all([...ids, 'never-written'].map((id) => io.readCase(id)));
    });
    expect(calls).toEqual({ BatchGetCommand: 1 });
    expect(found.slice(0, 30)).toEqual(ids.map((caseId) => ({ caseId, status: 'resolved' })));
    expect(found[30]).toBeUndefined();
  });
});

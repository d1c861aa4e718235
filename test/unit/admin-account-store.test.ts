/**
 * The account PUT against dynalite (the same store the local runtime uses): what a 400, a 409 and a
 * fault part-way leave in the table, and that repeating the PUT converges. Faults are injected by
 * wrapping the document client's `send`.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { putAccount } from '../../functions/admin-account/store.js';
import { LOCAL_CREDENTIALS } from '../../local/emulators.js';

const server = dynalite({ createTableMs: 0 });
let raw: DynamoDBClient;
let client: DynamoDBDocumentClient;
let run = 0;
let tables: { accountsTable: string; refundLedgerTable: string };
const noSleep = { sleep: async () => undefined };

async function createTable(name: string, sortKey: string) {
  await raw.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [
        { AttributeName: 'customerId', KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'customerId', AttributeType: 'S' },
        { AttributeName: sortKey, AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  raw = new DynamoDBClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint });
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// Fresh tables per test: each test reads the table as a whole.
beforeEach(async () => {
  run++;
  tables = { accountsTable: `accounts-${run}`, refundLedgerTable: `ledger-${run}` };
  await createTable(tables.accountsTable, 'sk');
  await createTable(tables.refundLedgerTable, 'chargeId');
});

const CUSTOMER = 'C-42';
const charge = (i: number, overrides: Record<string, unknown> = {}) => ({
  id: `CH-${i}`,
  amount: 1000 + i,
  currency: 'USD',
  chargedAt: '2026-03-15T08:00:00Z',
  ...overrides,
});

async function stored(): Promise<Record<string, unknown>> {
  const result = await client.send(
    new QueryCommand({
      TableName: tables.accountsTable,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': CUSTOMER },
    }),
  );
  return Object.fromEntries((result.Items ?? []).map((item) => [item.sk as string, item.data]));
}

async function givenLedger(chargeId: string, refundedTotal: number, currency = 'USD') {
  await client.send(
    new PutCommand({
      TableName: tables.refundLedgerTable,
      Item: {
        customerId: CUSTOMER,
        chargeId,
        refundedTotal,
        currency,
        [`case:case-${'a'.repeat(32)}`]: {
          amount: refundedTotal,
          source: 'auto',
          at: '2026-03-16T00:00:00Z',
        },
      },
    }),
  );
}

/** The client, with BatchWrite call number `failOn` (1-based) throwing as DynamoDB would under a fault. */
function failingOnBatch(failOn: number): DynamoDBDocumentClient {
  let batches = 0;
  return {
    send: (command: unknown) => {
      if (command instanceof BatchWriteCommand && ++batches === failOn) {
        return Promise.reject(
          Object.assign(new Error('Throughput exceeds the current capacity'), {
            name: 'ProvisionedThroughputExceededException',
          }),
        );
      }
      return client.send(command as QueryCommand);
    },
  } as unknown as DynamoDBDocumentClient;
}

describe('PUT account: a valid request', () => {
  it('upserts what it names by id, leaves the rest, and answers the counts', async () => {
    // Prepare: an order already stored (from an earlier PUT or a webhook).
    await putAccount(
      client,
      tables,
      CUSTOMER,
      {
        orders: [
          { id: 'ORD-1', total: 10, currency: 'USD', status: 'shipped', placedAt: '2026-03-01T00:00:00Z' },
        ],
      },
      noSleep,
    );

    // Act
    const result = await putAccount(
      client,
      tables,
      CUSTOMER,
      {
        profile: { id: CUSTOMER, phone: '+12065550101' },
        charges: [charge(1), charge(2, { currency: 'eur' })],
      },
      noSleep,
    );

    // Assess
    expect(result).toEqual({
      statusCode: 200,
      body: { customerId: CUSTOMER, written: { profile: 1, subscriptions: 0, charges: 2, orders: 0 } },
    });
    const items = await stored();
    expect(Object.keys(items).sort()).toEqual(['CHARGE#CH-1', 'CHARGE#CH-2', 'ORDER#ORD-1', 'PROFILE']);
    expect(items['CHARGE#CH-2']).toMatchObject({ currency: 'EUR' });
    expect(items.PROFILE).toEqual({ id: CUSTOMER, phone: '+12065550101' });
  });
});

describe('PUT account: bad data', () => {
  it('answers 400 naming the field, and writes nothing, not even the valid entities before it', async () => {
    // Act
    const result = await putAccount(
      client,
      tables,
      CUSTOMER,
      {
        profile: { id: CUSTOMER },
        charges: [charge(0), charge(1), charge(2, { chargedAt: '2026-03-15 08:00' })],
      },
      noSleep,
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect((result.body as { error: { message: string } }).error.message).toMatch(
      /^charges\[2\]\.chargedAt: must be an ISO-8601 instant with an offset.*Nothing was written\.$/,
    );
    expect(await stored()).toEqual({});
  });

  it('refuses a path customer id that is not one', async () => {
    const result = await putAccount(client, tables, ' padded ', { charges: [charge(1)] }, noSleep);
    expect(result.statusCode).toBe(400);
    expect(JSON.stringify(result.body)).toContain('customerId: must be a customer id');
  });
});

describe('PUT account: the refund ledger', () => {
  it('answers 409 for a charge whose amount falls below what Refund Hub refunded on it, writing nothing', async () => {
    // Prepare
    await givenLedger('CH-1', 1001);

    // Act
    const result = await putAccount(
      client,
      tables,
      CUSTOMER,
      { profile: { id: CUSTOMER }, charges: [charge(1, { amount: 1000 })] },
      noSleep,
    );

    // Assess
    expect(result.statusCode).toBe(409);
    expect((result.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'ledger_conflict',
      message:
        'charge CH-1: amount 1000 is below the 1001 Refund Hub already refunded on it. Nothing was written.',
    });
    expect(await stored()).toEqual({});
  });

  it('answers 409 for a currency change on a charge with ledger lines', async () => {
    await givenLedger('CH-1', 500, 'USD');
    const result = await putAccount(
      client,
      tables,
      CUSTOMER,
      { charges: [charge(1, { currency: 'EUR' })] },
      noSleep,
    );
    expect(result.statusCode).toBe(409);
    expect(JSON.stringify(result.body)).toContain('charge CH-1: currency EUR differs from USD');
    expect(await stored()).toEqual({});
  });

  it('accepts an amount equal to what the ledger refunded, in the same currency', async () => {
    await givenLedger('CH-1', 1001, 'USD');
    const result = await putAccount(client, tables, CUSTOMER, { charges: [charge(1)] }, noSleep);
    expect(result.statusCode).toBe(200);
  });
});

describe('PUT account: a fault part-way', () => {
  const body = { charges: Array.from({ length: 60 }, (_, i) => charge(i)) };

  it('answers 503 retry_safe after a partial write, and the same PUT repeated converges', async () => {
    // Act: the second of three BatchWrite chunks fails.
    const failed = await putAccount(failingOnBatch(2), tables, CUSTOMER, body, noSleep);

    // Assess: part of the account is there, and the answer says to repeat the PUT.
    expect(failed.statusCode).toBe(503);
    const error = (failed.body as { error: { code: string; message: string; written: number } }).error;
    expect(error.code).toBe('retry_safe');
    expect(error.message).toContain('25 of 60 items were written');
    expect(error.message).toContain('This PUT is idempotent: send the same request again');
    expect(Object.keys(await stored())).toHaveLength(25);

    // Act: the operator repeats the same request.
    const repeated = await putAccount(client, tables, CUSTOMER, body, noSleep);

    // Assess: every charge is there once, as sent.
    expect(repeated.statusCode).toBe(200);
    const items = await stored();
    expect(Object.keys(items)).toHaveLength(60);
    expect(items['CHARGE#CH-59']).toEqual(charge(59));
  });

  it('retries items DynamoDB leaves unprocessed, with backoff, until all are written', async () => {
    // Prepare: the first BatchWrite takes only 5 items and hands the rest back as unprocessed.
    let first = true;
    const sleeps: number[] = [];
    const throttled = {
      send: async (command: unknown) => {
        if (command instanceof BatchWriteCommand && first) {
          first = false;
          const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0] ?? [];
          await client.send(
            new BatchWriteCommand({ RequestItems: { [String(table)]: (requests ?? []).slice(0, 5) } }),
          );
          return { UnprocessedItems: { [String(table)]: (requests ?? []).slice(5) } };
        }
        return client.send(command as QueryCommand);
      },
    } as unknown as DynamoDBDocumentClient;

    // Act
    const result = await putAccount(throttled, tables, CUSTOMER, body, {
      sleep: async (ms) => void sleeps.push(ms),
    });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(sleeps).toHaveLength(1);
    expect(Object.keys(await stored())).toHaveLength(60);
  });

  it('answers 503 when items stay unprocessed after every attempt', async () => {
    const stuck = {
      send: async (command: unknown) => {
        if (command instanceof BatchWriteCommand) return { UnprocessedItems: command.input.RequestItems };
        return client.send(command as QueryCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const result = await putAccount(stuck, tables, CUSTOMER, body, { ...noSleep, maxAttempts: 3 });
    expect(result.statusCode).toBe(503);
    expect(JSON.stringify(result.body)).toContain('nothing was written');
  });
});

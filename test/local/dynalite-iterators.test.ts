/**
 * dynalite answers Query and Scan from LevelDB iterators it never closes (it calls a `return()` that
 * abstract-level iterators lack): each request left one attached to the database, pinning memory.
 * local/level-iterators.ts closes them; this counts the iterators left open after many queries.
 */
import '../../local/level-iterators.js';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { AbstractLevel } = require(
  require.resolve('abstract-level', { paths: [require.resolve('dynalite')] }),
) as {
  AbstractLevel: { prototype: { attachResource(r: unknown): void; detachResource(r: unknown): void } };
};

let open = 0;
const { attachResource, detachResource } = AbstractLevel.prototype;
let server: ReturnType<typeof dynalite>;
let client: DynamoDBClient;

beforeAll(async () => {
  AbstractLevel.prototype.attachResource = function (resource) {
    open += 1;
    attachResource.call(this, resource);
  };
  AbstractLevel.prototype.detachResource = function (resource) {
    open -= 1;
    detachResource.call(this, resource);
  };
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'items',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // More items than a stream reads ahead (16), so a Query stopped at its Limit does not reach the end.
  for (let i = 0; i < 40; i++)
    await client.send(
      new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { S: `s${i}` } } }),
    );
});

afterAll(async () => {
  AbstractLevel.prototype.attachResource = attachResource;
  AbstractLevel.prototype.detachResource = detachResource;
  client?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe("dynalite's Query and Scan iterators", () => {
  it('are closed once answered, read to the end or stopped early by a Limit', {
    timeout: 60_000,
  }, async () => {
    const before = open;
    for (let i = 0; i < 20; i++) {
      await client.send(
        new QueryCommand({
          TableName: 'items',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'a' } },
        }),
      );
      await client.send(
        new QueryCommand({
          TableName: 'items',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'a' } },
          Limit: 2,
        }),
      );
      await client.send(new ScanCommand({ TableName: 'items', Limit: 1 }));
    }
    // Closed at once, or once idle (dynalite abandons a stream stopped at its Limit): 10 s.
    await expect.poll(() => open - before, { timeout: 30_000, interval: 500 }).toBe(0);
  });
});

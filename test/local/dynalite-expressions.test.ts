/**
 * patches/dynalite+4.0.0.patch reuses the parse of an expression that comes back with new values.
 * These check that a reuse still applies the new request's values and still refuses what DynamoDB
 * refuses (a missing, unused or wrongly typed value), against dynalite itself.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/emulators.js';

const server = dynalite({ createTableMs: 0 });
let client: DynamoDBDocumentClient;
const TableName = 'items';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint });
  await raw.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client = DynamoDBDocumentClient.from(raw);
});

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const append = (
  sk: string,
  values: Record<string, unknown>,
  names: Record<string, string> = { '#n': 'note' },
) =>
  client.send(
    new UpdateCommand({
      TableName,
      Key: { pk: 'p', sk },
      UpdateExpression: 'SET entries = list_append(if_not_exists(entries, :empty), :entries), #n = :note',
      ConditionExpression: 'attribute_exists(pk) OR attribute_not_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
const item = async (sk: string) =>
  (await client.send(new GetCommand({ TableName, Key: { pk: 'p', sk } }))).Item;

describe('dynalite with expression parses reused', () => {
  it('applies each request its own values, for the same expression again and again', async () => {
    await append('a', { ':empty': [], ':entries': [1], ':note': 'first' });
    await append('a', { ':empty': [], ':entries': [2, 3], ':note': 'second' });
    await append('b', { ':empty': [], ':entries': ['x'], ':note': 'other item' });

    expect(await item('a')).toMatchObject({ entries: [1, 2, 3], note: 'second' });
    expect(await item('b')).toMatchObject({ entries: ['x'], note: 'other item' });
  });

  it('applies the names of each request', async () => {
    await append('c', { ':empty': [], ':entries': [1], ':note': 'n' }, { '#n': 'label' });

    expect(await item('c')).toMatchObject({ label: 'n' });
    expect(await item('c')).not.toHaveProperty('note');
  });

  it('still refuses a value the expression uses but the request does not define', async () => {
    await append('d', { ':empty': [], ':entries': [1], ':note': 'ok' });

    await expect(append('d', { ':empty': [], ':entries': [1] })).rejects.toThrow(
      /attribute value used in expression is not defined/,
    );
  });

  it('still refuses a value the request defines but the expression does not use', async () => {
    await expect(append('e', { ':empty': [], ':entries': [1], ':note': 'n', ':extra': 1 })).rejects.toThrow(
      /unused in expressions: keys: \{:extra\}/,
    );
  });

  it('still refuses a value of the wrong type for the function, after the same expression passed', async () => {
    await append('f', { ':empty': [], ':entries': [1], ':note': 'n' });

    await expect(append('f', { ':empty': [], ':entries': 'not a list', ':note': 'n' })).rejects.toThrow(
      /Incorrect operand type for operator or function; operator or function: list_append/,
    );
  });

  it('answers a key condition with the key of each query', async () => {
    await client.send(new PutCommand({ TableName, Item: { pk: 'q1', sk: '1' } }));
    await client.send(new PutCommand({ TableName, Item: { pk: 'q2', sk: '1' } }));
    await client.send(new PutCommand({ TableName, Item: { pk: 'q2', sk: '2' } }));
    const count = async (pk: string) =>
      (
        await client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': pk },
          }),
        )
      ).Count;

    expect([await count('q1'), await count('q2'), await count('q1')]).toEqual([1, 2, 1]);
  });
});

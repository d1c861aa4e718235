/**
 * local/table-endpoints.ts: a DynamoDB client whose calls on a routed table go to another endpoint (replay's shared
 * refund budget), the other tables' to its own, as the handlers' one client would send them.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/emulators.js';
import { type DynamoServer, routeTables, startDynamoServer } from '../../local/table-endpoints.js';

const config = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
let own: DynamoServer;
let shared: DynamoServer;

function documentClient(endpoint: string) {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint }));
}

async function createTable(endpoint: string, name: string) {
  const client = new DynamoDBClient({ ...config, endpoint });
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
}

beforeAll(async () => {
  [own, shared] = await Promise.all([startDynamoServer(), startDynamoServer()]);
  await Promise.all([createTable(own.endpoint, 'Cases'), createTable(shared.endpoint, 'Budgets')]);
  // dynalite makes a table ACTIVE on the next timer tick.
  await new Promise((resolve) => setTimeout(resolve, 20));
});
afterAll(async () => {
  await Promise.all([own.stop(), shared.stop()]);
});

describe('routeTables', () => {
  it("sends a routed table's calls to its endpoint and the others' to the client's own", async () => {
    const client = documentClient(own.endpoint);
    routeTables([client], { Budgets: shared.endpoint });
    await client.send(new PutCommand({ TableName: 'Budgets', Item: { id: 'USD', total: 1000 } }));
    await client.send(new PutCommand({ TableName: 'Cases', Item: { id: 'case-1' } }));

    const onShared = documentClient(shared.endpoint);
    const onOwn = documentClient(own.endpoint);
    expect((await onShared.send(new GetCommand({ TableName: 'Budgets', Key: { id: 'USD' } }))).Item).toEqual({
      id: 'USD',
      total: 1000,
    });
    expect((await onOwn.send(new GetCommand({ TableName: 'Cases', Key: { id: 'case-1' } }))).Item).toEqual({
      id: 'case-1',
    });
    // Another worker's client, routed the same way, reads the same budget.
    const otherWorker = documentClient(own.endpoint);
    routeTables([otherWorker], { Budgets: shared.endpoint });
    expect(
      (await otherWorker.send(new GetCommand({ TableName: 'Budgets', Key: { id: 'USD' } }))).Item?.total,
    ).toBe(1000);
    for (const c of [client, onShared, onOwn, otherWorker]) c.destroy();
  });

  it('refuses one batch across tables of different endpoints instead of sending it half to the wrong one', async () => {
    const client = documentClient(own.endpoint);
    routeTables([client], { Budgets: shared.endpoint });
    await expect(
      client.send(
        new BatchWriteCommand({
          RequestItems: {
            Budgets: [{ PutRequest: { Item: { id: 'EUR' } } }],
            Cases: [{ PutRequest: { Item: { id: 'case-2' } } }],
          },
        }),
      ),
    ).rejects.toThrow('tables served by different endpoints: Budgets, Cases');
    client.destroy();
  });
});

/** A dynalite server on loopback with the tables a unit test names: conditional writes evaluated for real. */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { LOCAL_CREDENTIALS } from '../../local/emulators.js';

export interface TableSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface DynaliteTables {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export async function startDynaliteTables(tables: readonly TableSpec[]): Promise<DynaliteTables> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint });
  for (const table of tables) {
    const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
    await raw.send(
      new CreateTableCommand({
        TableName: table.name,
        KeySchema: keys.map((name, i) => ({ AttributeName: name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const LEDGER_TABLES: readonly TableSpec[] = [
  { name: 'accounts', partitionKey: 'customerId', sortKey: 'sk' },
  { name: 'ledger', partitionKey: 'customerId', sortKey: 'chargeId' },
  { name: 'credits', partitionKey: 'customerId', sortKey: 'caseId' },
];

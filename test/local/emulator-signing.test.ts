/**
 * The embedded runtime's clients skip SigV4 (local/emulator-signing.ts). These check, against
 * dynalite itself, that the emulator accepts the header they write and that a client left alone
 * still signs for real, as the handlers' clients do on AWS and LocalStack; and that the runtime
 * gives the signer to the very clients its handlers use.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorSigner, signForEmulators } from '../../local/emulator-signing.js';
import { LOCAL_CREDENTIALS } from '../../local/emulators.js';
import { startLocalRuntime } from '../../local/runtime.js';

const server = dynalite({ createTableMs: 0 });
const received: IncomingHttpHeaders[] = [];
let endpoint: string;
const TableName = 'items';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  server.on('request', (request: { headers: IncomingHttpHeaders }) => received.push(request.headers));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const newClient = () => new DynamoDBClient({ region: 'eu-west-2', credentials: LOCAL_CREDENTIALS, endpoint });
const signatureOf = (headers: IncomingHttpHeaders | undefined) =>
  /Signature=([0-9a-f]+)/.exec(headers?.authorization ?? '')?.[1];

describe('signing for the emulators', () => {
  it('writes a SigV4 header with the credential scope and no signature, which dynalite accepts', async () => {
    const client = newClient();
    signForEmulators([client]);
    await client.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, amount: { N: '1250' } } }));
    const { Item } = await client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'a' } } }));
    expect(Item?.amount).toEqual({ N: '1250' });

    const headers = received.at(-1);
    expect(signatureOf(headers)).toBe('0'.repeat(64));
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    expect(headers?.authorization).toContain(`Credential=local/${today}/eu-west-2/dynamodb/aws4_request`);
    expect(headers?.['x-amz-date']).toMatch(new RegExp(`^${today}T\\d{6}Z$`));
    client.destroy();
  });

  it('leaves other clients signing for real', async () => {
    const client = newClient();
    await client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'a' } } }));
    const signature = signatureOf(received.at(-1));
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signature).not.toBe('0'.repeat(64));
    expect(client.config.httpAuthSchemes.map((scheme) => scheme.signer)).not.toContain(emulatorSigner);
    client.destroy();
  });
});

describe('the embedded runtime', () => {
  it("signs for the emulators with the handlers' clients and its own", async () => {
    const runtime = await startLocalRuntime();
    try {
      // The module the handlers import, loaded by the runtime with them.
      const clients = await import('../../functions/shared/clients.js');
      for (const client of [
        clients.documentClient,
        clients.snsClient,
        clients.sfnClient,
        runtime.documentClient,
      ])
        expect(client.config.httpAuthSchemes.map((scheme) => scheme.signer)).toEqual([emulatorSigner]);
    } finally {
      await runtime.stop();
    }
  }, 60_000);
});

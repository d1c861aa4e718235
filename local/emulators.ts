/**
 * Loopback emulators the handlers' real SDK clients talk to: dynalite for DynamoDB, fauxqs for
 * SNS/SQS. Tables, the topic, the team queues and their filter policies come from the template.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import './level-iterators.js';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalTopology } from './template.js';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface Emulators {
  readonly dynamodbEndpoint: string;
  readonly snsEndpoint: string;
  readonly queueUrls: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** LevelDB folder for dynalite; in memory when absent. */
  readonly dataDir?: string;
}

export async function startEmulators(
  topology: LocalTopology,
  options: EmulatorOptions = {},
): Promise<Emulators> {
  const dynamo = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', () => resolve()));
  const dynamodbEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;

  // fauxqs's startFauxqs always listens on 0.0.0.0 (its `host` only names queue URLs): build its app and bind loopback.
  const fauxqs = buildApp({ logger: false, host: '127.0.0.1', defaultRegion: LOCAL_REGION });
  const snsEndpoint = await fauxqs.listen({ port: 0, host: '127.0.0.1' });

  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const ddb = new DynamoDBClient({ ...clientConfig, endpoint: dynamodbEndpoint });
  const existing = new Set((await ddb.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const table of topology.tables) {
    if (existing.has(table.tableName)) continue;
    const d = table.definition as Record<string, unknown>;
    await ddb.send(
      new CreateTableCommand({
        TableName: table.tableName,
        KeySchema: d.KeySchema as never,
        AttributeDefinitions: d.AttributeDefinitions as never,
        BillingMode: 'PAY_PER_REQUEST',
        ...(d.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: d.GlobalSecondaryIndexes as never } : {}),
        ...(d.LocalSecondaryIndexes ? { LocalSecondaryIndexes: d.LocalSecondaryIndexes as never } : {}),
      }),
    );
  }
  ddb.destroy();

  const sns = new SNSClient({ ...clientConfig, endpoint: snsEndpoint });
  const sqs = new SQSClient({ ...clientConfig, endpoint: snsEndpoint });
  await sns.send(new CreateTopicCommand({ Name: topology.topicName }));
  const queueUrls: Record<string, string> = {};
  for (const queue of topology.queues) {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: queue.name }));
    queueUrls[queue.name] = created.QueueUrl ?? '';
  }
  for (const subscription of topology.subscriptions) {
    await sns.send(
      new SubscribeCommand({
        TopicArn: topology.topicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${subscription.queueName}`,
        Attributes: {
          ...(subscription.filterPolicy ? { FilterPolicy: JSON.stringify(subscription.filterPolicy) } : {}),
          RawMessageDelivery: String(subscription.rawMessageDelivery),
        },
      }),
    );
  }
  sns.destroy();
  sqs.destroy();

  return {
    dynamodbEndpoint,
    snsEndpoint,
    queueUrls,
    stop: async () => {
      await fauxqs.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}

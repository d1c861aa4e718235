/**
 * Loopback emulators the handlers' real SDK clients talk to: dynalite for DynamoDB, fauxqs for
 * SNS/SQS. Tables, the topic, the team queues and their filter policies come from the template.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { isNamedError } from '../functions/shared/errors.js';
import { startDynamoServer, type TableEndpoints } from './table-endpoints.js';
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
  /**
   * Tables another DynamoDB endpoint serves (local/table-endpoints.ts): created there when missing (by whichever
   * runtime comes first), not in this runtime's dynalite.
   */
  readonly tableEndpoints?: TableEndpoints;
}

export async function startEmulators(
  topology: LocalTopology,
  options: EmulatorOptions = {},
): Promise<Emulators> {
  const dynamo = await startDynamoServer(options.dataDir);
  const dynamodbEndpoint = dynamo.endpoint;

  // fauxqs's startFauxqs always listens on 0.0.0.0 (its `host` only names queue URLs): build its app and bind loopback.
  const fauxqs = buildApp({ logger: false, host: '127.0.0.1', defaultRegion: LOCAL_REGION });
  const snsEndpoint = await fauxqs.listen({ port: 0, host: '127.0.0.1' });

  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const tableEndpoints = options.tableEndpoints ?? {};
  const endpoints = new Set([dynamodbEndpoint, ...Object.values(tableEndpoints)]);
  for (const endpoint of endpoints) {
    const tables = topology.tables.filter(
      (t) => (tableEndpoints[t.tableName] ?? dynamodbEndpoint) === endpoint,
    );
    const ddb = new DynamoDBClient({ ...clientConfig, endpoint });
    try {
      await createTables(ddb, tables);
    } finally {
      ddb.destroy();
    }
  }

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
      await dynamo.stop();
    },
  };
}

/** Creates the tables that do not exist yet; one another runtime creates at the same moment is waited for instead. */
async function createTables(ddb: DynamoDBClient, tables: LocalTopology['tables']): Promise<void> {
  const existing = new Set((await ddb.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const table of tables) {
    if (existing.has(table.tableName)) continue;
    const d = table.definition as Record<string, unknown>;
    try {
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
    } catch (error) {
      if (!isNamedError(error, 'ResourceInUseException')) throw error;
    }
    // dynalite makes a table ACTIVE on a timer, even with createTableMs 0: wait for it, as a client of DynamoDB would.
    for (let attempt = 0; ; attempt += 1) {
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: table.tableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
      if (attempt >= 100) throw new Error(`Table ${table.tableName} did not become ACTIVE`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

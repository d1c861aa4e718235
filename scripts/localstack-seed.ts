/**
 * `npm run localstack:seed`: writes the demo customers (../shared/scenarios/examples.jsonl, else
 * local/demo-data.jsonl) into the deployed stack's accounts table on LocalStack, found through
 * CloudFormation, and prints the stack outputs with the LocalStack form of the API URL.
 */
import '../local/quiet.js';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  clientConfig,
  connectionFrom,
  errorContext,
  stackOutputs,
  stackResources,
  tableName,
} from '../cli/aws.js';
import { explain } from '../cli/errors.js';
import { demoDataFile } from '../cli/local.js';
import { localstackApiUrl } from '../cli/resolve.js';
import { demoAccounts, readScenarios, seedAccounts } from '../cli/seed.js';
import { assertLocalstackUp, localstackEndpoint, runMain } from './localstack-env.js';

runMain(async () => {
  const endpoint = localstackEndpoint();
  await assertLocalstackUp(endpoint);
  const connection = connectionFrom({ endpoint }, process.env);
  try {
    const cloudformation = new CloudFormationClient(clientConfig(connection));
    const outputs = await stackOutputs(cloudformation, connection.stackName);
    const table = tableName(
      await stackResources(cloudformation, connection.stackName),
      'Accounts',
      connection.stackName,
    );
    const file = demoDataFile();
    if (!file)
      throw new Error(
        'No demo data: ../shared/scenarios/examples.jsonl and local/demo-data.jsonl are both missing.',
      );
    const accounts = demoAccounts(readScenarios(file));
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(connection)), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const written = await seedAccounts(client, table, accounts);
    process.stdout.write(
      `Seeded ${accounts.length} demo customers (${written} items) into ${table} from ${file}:\n  ${accounts.map((a) => a.profile.id).join(', ')}\n`,
    );
    for (const [key, value] of Object.entries(outputs)) process.stdout.write(`${key}: ${value}\n`);
    if (outputs.ApiUrl)
      process.stdout.write(`ApiUrl on LocalStack: ${localstackApiUrl(outputs.ApiUrl, endpoint)}\n`);
  } catch (error) {
    throw new Error(explain(error, errorContext(connection)));
  }
});

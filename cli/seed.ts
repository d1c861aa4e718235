/**
 * Demo data on a deployed stack (LocalStack or AWS): the example scenarios' customers written to the
 * accounts table in the layout `accountItems` defines, the same data the embedded runtime seeds.
 */
import { readFileSync } from 'node:fs';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { accountItems, type CustomerAccount } from '../functions/shared/accounts.js';
import { accountOf, describeIssues, type Scenario, scenarioSchema } from '../local/scenario.js';
import { CliError } from './errors.js';

/** Every scenario of a JSONL file (the replay format), validated. */
export function readScenarios(file: string): Scenario[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, index) => {
      if (text.trim() === '') return [];
      const parsed = scenarioSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new CliError(`${file} line ${index + 1}: ${describeIssues(parsed.error)}`);
      return [parsed.data];
    });
}

/** One account per customer id: the first scenario that names it. */
export function demoAccounts(scenarios: readonly Scenario[]): CustomerAccount[] {
  const accounts = new Map<string, CustomerAccount>();
  for (const scenario of scenarios) {
    if (!accounts.has(scenario.customer.id))
      accounts.set(scenario.customer.id, accountOf(scenario, scenario.customer.id));
  }
  return [...accounts.values()];
}

/** Writes the accounts, 25 items a batch, retrying what DynamoDB leaves unprocessed. */
export async function seedAccounts(
  client: DynamoDBDocumentClient,
  table: string,
  accounts: readonly CustomerAccount[],
): Promise<number> {
  const items = accounts.flatMap(accountItems);
  for (let i = 0; i < items.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = items
      .slice(i, i + 25)
      .map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      if (attempt > 5)
        throw new CliError(`DynamoDB kept ${requests.length} demo items unprocessed: try again.`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      const result = await client.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests as never } }),
      );
      requests = result.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
    }
  }
  return items.length;
}

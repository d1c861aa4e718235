/** DynamoDB helpers shared by the steps. */
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

type StartKey = QueryCommandInput['ExclusiveStartKey'];

/** Every item of a paged read, following `LastEvaluatedKey` across pages. */
async function allPages(
  read: (startKey: StartKey) => Promise<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: StartKey }>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: StartKey;
  do {
    const page = await read(startKey);
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Every item of a query, across pages. */
export function queryAll(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  return allPages((startKey) => client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
}

/** Every item of a scan, across pages. */
export function scanAll(
  client: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  return allPages((startKey) => client.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey })));
}

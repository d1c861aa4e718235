/** Reads and updates of the case record that several steps and endpoints make. */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord, TimelineEntry } from './case-record.js';

/**
 * Appends timeline entries and sets fields in one conditional update (the case must exist:
 * a step never creates a half-empty case record).
 */
export async function updateCase(
  client: DynamoDBDocumentClient,
  casesTable: string,
  caseId: string,
  entries: readonly TimelineEntry[],
  fields: Record<string, unknown> = {},
  remove: readonly string[] = [],
): Promise<void> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':entries': entries, ':empty': [] };
  const sets = ['timeline = list_append(if_not_exists(timeline, :empty), :entries)'];
  Object.entries(fields).forEach(([key, value], i) => {
    names[`#f${i}`] = key;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  const removals = remove.map((key, i) => {
    names[`#r${i}`] = key;
    return `#r${i}`;
  });
  await client.send(
    new UpdateCommand({
      TableName: casesTable,
      Key: { caseId },
      UpdateExpression: `SET ${sets.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(#id)',
      ExpressionAttributeNames: { ...names, '#id': 'caseId' },
      ExpressionAttributeValues: values,
    }),
  );
}

/** The case as last written (a strongly consistent read: right after a write, it is found). */
export async function readCaseRecord(
  client: DynamoDBDocumentClient,
  casesTable: string,
  caseId: string,
): Promise<CaseRecord | undefined> {
  const result = await client.send(
    new GetCommand({ TableName: casesTable, Key: { caseId }, ConsistentRead: true }),
  );
  return result.Item as CaseRecord | undefined;
}

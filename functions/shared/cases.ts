/** Updates to the case record that several steps make. */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry } from './case-record.js';

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

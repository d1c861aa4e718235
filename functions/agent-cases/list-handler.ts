import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CASES_BY_AGENT_QUEUE_INDEX } from '../shared/case-record.js';
import { documentClient } from '../shared/document-client.js';
import { ENV, requiredEnv } from '../shared/env.js';
import { agentIdOf, HttpError, httpHandler, json } from '../shared/http.js';
import { listQueue, parseListQuery, type QueuedCase, type QueueKey } from './domain.js';

const casesTable = requiredEnv(ENV.casesTable);

/** Index items read per page: the status filter drops some, so a page is read whole and cut in the domain. */
const PAGE_SIZE = 100;

/**
 * GET /v1/agent/cases?queue=&status=&limit=&nextToken= (IAM): a team's waiting cases, most urgent then longest
 * waiting, from the cases table's `byAgentQueue` index. Never the SQS queues: those belong to other consumers.
 */
export const handler = httpHandler(async (event) => {
  agentIdOf(event);
  const parsed = parseListQuery(event.queryStringParameters);
  if (!parsed.ok) throw new HttpError(400, 'invalid_request', parsed.message);
  const query = parsed.value;
  const statusValues = Object.fromEntries(query.statuses.map((s, i) => [`:s${i}`, s]));
  // Every projected attribute by a name placeholder: several are DynamoDB reserved words (status, message...).
  const projected = [
    'caseId',
    'agentQueue',
    'agentRank',
    'status',
    'dispatchedAt',
    'reason',
    'intent',
    'escalations',
  ].concat(['claimedBy', 'message', 'receipt']);
  const names = Object.fromEntries(projected.map((name, i) => [`#p${i}`, name]));
  const readPage = async (startKey: QueueKey | undefined) => {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: casesTable,
        IndexName: CASES_BY_AGENT_QUEUE_INDEX,
        KeyConditionExpression: 'agentQueue = :q',
        FilterExpression: `#p${projected.indexOf('status')} IN (${Object.keys(statusValues).join(', ')})`,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':q': query.queue, ...statusValues },
        ScanIndexForward: true,
        Limit: PAGE_SIZE,
        ...(startKey ? { ExclusiveStartKey: { ...startKey } } : {}),
      }),
    );
    return {
      items: (page.Items ?? []) as unknown as QueuedCase[],
      lastKey: page.LastEvaluatedKey as QueueKey | undefined,
    };
  };
  return json(200, await listQueue(query, readPage, new Date()));
});
